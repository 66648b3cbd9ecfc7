using System.Text;
using System.Text.RegularExpressions;

namespace CleanProdFlow.Domain.Documents;

/// <summary>How a line of a document is set: the renderers (DOCX and PDF) give each kind one style.</summary>
public enum BlockKind
{
    /// <summary><c>= text</c>: the document's title, centred, large and bold.</summary>
    Title,
    /// <summary><c>^ text</c>: centred (the document number, a heading).</summary>
    Centered,
    /// <summary><c>&gt; text</c>: right-aligned (issuing organisation, date).</summary>
    Right,
    /// <summary>A plain line: body text with a two-character first-line indent.</summary>
    Body,
    /// <summary><c>- text</c>: a body line without indent (salutation, headings inside the text).</summary>
    Plain,
    /// <summary><c>* {{list}}</c>: one numbered line per item of the list field.</summary>
    Item,
    /// <summary>An empty line.</summary>
    Blank,
    /// <summary><c>[qr]</c>: a QR code of the field verifyUrl.</summary>
    Qr,
}

public sealed record DocumentBlock(BlockKind Kind, string Text);

/// <summary>A filled template: the title and the blocks to render, in order.</summary>
public sealed record DocumentLayout(string Title, IReadOnlyList<DocumentBlock> Blocks);

/// <summary>A template line that cannot be used, with its 1-based line number.</summary>
public sealed record TemplateProblem(int Line, string MessageZh, string MessageEn);

/// <summary>
/// A document template in the product's line format (see workflows/documents/FORMAT.md): one line per paragraph, a
/// leading mark sets its style, <c>{{field}}</c> inserts a value (<c>{{field?}}</c> may be empty). Checked when it is
/// saved (every field known to the kind), filled when a document is issued (every required value present).
/// </summary>
public sealed partial class DocumentTemplate
{
    public const int MaxLength = 20_000;

    private readonly IReadOnlyList<(int Line, BlockKind Kind, string Text)> _lines;

    private DocumentTemplate(DocumentKind kind, IReadOnlyList<(int, BlockKind, string)> lines)
    {
        Kind = kind;
        _lines = lines;
    }

    public DocumentKind Kind { get; }

    [GeneratedRegex(@"\{\{\s*([A-Za-z][A-Za-z0-9]*)(\?)?\s*\}\}")]
    private static partial Regex Placeholder();

    /// <summary>Parses <paramref name="body"/> for <paramref name="kind"/>; every problem is listed, none is fixed silently.</summary>
    public static (DocumentTemplate? Template, IReadOnlyList<TemplateProblem> Problems) Parse(DocumentKind kind, string? body)
    {
        var problems = new List<TemplateProblem>();
        if (string.IsNullOrWhiteSpace(body))
            return (null, [new TemplateProblem(0, "模板内容不能为空", "the template is empty")]);
        if (body.Length > MaxLength)
            return (null, [new TemplateProblem(0, $"模板不能超过 {MaxLength} 个字符", $"the template is longer than {MaxLength} characters")]);
        var allowed = kind.AllowedFields.ToHashSet(StringComparer.Ordinal);
        var lines = new List<(int, BlockKind, string)>();
        var number = 0;
        foreach (var raw in body.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n'))
        {
            number++;
            var line = raw.TrimEnd();
            if (line.StartsWith('#'))
                continue;
            var (blockKind, text) = line switch
            {
                "" => (BlockKind.Blank, ""),
                "[qr]" => (BlockKind.Qr, "{{verifyUrl}}"),
                _ when line.StartsWith("= ", StringComparison.Ordinal) => (BlockKind.Title, line[2..].Trim()),
                _ when line.StartsWith("^ ", StringComparison.Ordinal) => (BlockKind.Centered, line[2..].Trim()),
                _ when line.StartsWith("> ", StringComparison.Ordinal) => (BlockKind.Right, line[2..].Trim()),
                _ when line.StartsWith("- ", StringComparison.Ordinal) => (BlockKind.Plain, line[2..].Trim()),
                _ when line.StartsWith("* ", StringComparison.Ordinal) => (BlockKind.Item, line[2..].Trim()),
                _ => (BlockKind.Body, line.Trim()),
            };
            foreach (Match match in Placeholder().Matches(text))
                if (!allowed.Contains(match.Groups[1].Value))
                    problems.Add(new TemplateProblem(number, $"第 {number} 行：{kind.NameZh}没有字段 {{{{{match.Groups[1].Value}}}}}（可用：{string.Join("、", allowed)}）",
                        $"line {number}: {kind.NameEn} has no field {{{{{match.Groups[1].Value}}}}} (known: {string.Join(", ", allowed)})"));
            var stray = Placeholder().Replace(text, "");
            if (stray.Contains("{{", StringComparison.Ordinal) || stray.Contains("}}", StringComparison.Ordinal))
                problems.Add(new TemplateProblem(number, $"第 {number} 行：占位符须写作 {{{{字段名}}}}", $"line {number}: a placeholder is written {{{{field}}}}"));
            if (blockKind == BlockKind.Item && Placeholder().Matches(text).Count != 1)
                problems.Add(new TemplateProblem(number, $"第 {number} 行：列表行（* 开头）须且只能含一个字段", $"line {number}: a list line (starting with *) names exactly one field"));
            lines.Add((number, blockKind, text));
        }
        if (!lines.Any(l => l.Item2 == BlockKind.Title))
            problems.Add(new TemplateProblem(0, "模板须有一行标题（以“= ”开头）", "the template needs a title line (starting with \"= \")"));
        if (kind.Code == DocumentKind.HonourCertificate && !lines.Any(l => l.Item2 == BlockKind.Qr))
            problems.Add(new TemplateProblem(0, "荣誉证书须有二维码行 [qr]（供公众核验）", "the certificate needs its [qr] line (for public verification)"));
        return problems.Count > 0 ? (null, problems) : (new DocumentTemplate(kind, lines), []);
    }

    /// <summary>The fields the template names that must have a value.</summary>
    public IReadOnlyList<string> NamedFields =>
        _lines.SelectMany(l => Placeholder().Matches(l.Text).Select(m => m.Groups[1].Value)).Distinct().ToList();

    /// <summary>
    /// The layout with every placeholder replaced. A required field without a value is an error naming every such
    /// field: an official document is never issued with a gap in it. A list field's items are separated by newlines.
    /// </summary>
    public DocumentLayout Fill(IReadOnlyDictionary<string, string> values)
    {
        var missing = _lines.SelectMany(l => Placeholder().Matches(l.Text))
            .Where(m => m.Groups[2].Value != "?" && (!values.TryGetValue(m.Groups[1].Value, out var v) || string.IsNullOrWhiteSpace(v)))
            .Select(m => m.Groups[1].Value).Distinct().ToList();
        if (missing.Count > 0)
            throw new DocumentFieldsMissingException(Kind, missing);
        var blocks = new List<DocumentBlock>();
        foreach (var (_, blockKind, text) in _lines)
        {
            if (blockKind == BlockKind.Item)
            {
                var field = Placeholder().Match(text);
                var items = Items(values.GetValueOrDefault(field.Groups[1].Value));
                for (var i = 0; i < items.Count; i++)
                    blocks.Add(new DocumentBlock(BlockKind.Item, $"{i + 1}. " + text.Replace(field.Value, items[i], StringComparison.Ordinal)));
                continue;
            }
            blocks.Add(new DocumentBlock(blockKind, Placeholder().Replace(text, m => values.GetValueOrDefault(m.Groups[1].Value)?.Trim() ?? "")));
        }
        var title = blocks.First(b => b.Kind == BlockKind.Title).Text;
        return new DocumentLayout(title, blocks);
    }

    /// <summary>
    /// The items of a list field: one per line; a line holding several items separated by ；or ; is split too, so
    /// that "缺少环评报告；缺少公参说明" in one form field becomes two items. Numbering the staff typed is removed.
    /// </summary>
    public static IReadOnlyList<string> Items(string? value) =>
        (value ?? "").Split(['\n', '；', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(i => LeadingNumber().Replace(i, "").Trim()).Where(i => i.Length > 0).ToList();

    [GeneratedRegex(@"^(\d+|[一二三四五六七八九十]+)[\.、．)）]\s*|^[（(](\d+|[一二三四五六七八九十]+)[)）]\s*")]
    private static partial Regex LeadingNumber();

    /// <summary>A Beijing date written as in Chinese official documents: 2026年10月12日.</summary>
    public static string ChineseDate(DateOnly date) => $"{date.Year}年{date.Month}月{date.Day}日";

    /// <summary>The plain text of a layout, one block a line (for tests and the journal).</summary>
    public static string PlainText(DocumentLayout layout)
    {
        var text = new StringBuilder();
        foreach (var block in layout.Blocks.Where(b => b.Kind != BlockKind.Qr))
            text.Append(block.Text).Append('\n');
        return text.ToString();
    }
}

/// <summary>A document cannot be issued: the workflow did not supply these fields.</summary>
public sealed class DocumentFieldsMissingException(DocumentKind kind, IReadOnlyList<string> fields)
    : InvalidOperationException($"the {kind.Code} template needs values for: {string.Join(", ", fields)}")
{
    public IReadOnlyList<string> Fields { get; } = fields;
}
