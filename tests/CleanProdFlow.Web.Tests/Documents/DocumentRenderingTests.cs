using System.Diagnostics;
using CleanProdFlow.Domain.Documents;
using CleanProdFlow.Web.Documents;
using Microsoft.Extensions.Configuration;
using UglyToad.PdfPig;

namespace CleanProdFlow.Web.Tests.Documents;

/// <summary>
/// The shipped templates rendered without a host: the DOCX's paragraphs are compared as text (golden strings, not
/// bytes), the PDF's page count and text are read back with PdfPig, and the certificate and a decision are rasterised
/// with pdftoppm (poppler-utils) into the test output for a person to look at.
/// </summary>
public sealed class DocumentRenderingTests
{
    private static readonly DocumentSettings Settings = DocumentSettings.Read(new ConfigurationBuilder().Build());

    public static readonly Dictionary<string, string> Eia = new()
    {
        ["documentNumber"] = "苏市环审〔2026〕7号",
        ["issuedOn"] = "2026年10月12日",
        ["organisationName"] = "苏州市生态环境局",
        ["enterpriseName"] = "苏州绿源精细化工有限公司",
        ["creditCode"] = "91320500MA1XYZ1234",
        ["caseNumber"] = "苏州环评〔2026〕0012",
        ["projectName"] = "年产5000吨水性涂料技改项目",
        ["acceptanceDate"] = "2026年10月9日",
        ["reasons"] = "项目符合国家产业政策和太湖流域管理要求，同意建设。",
        ["missingItems"] = "1. 环境影响报告书（报批稿）\n2、公众参与说明；建设项目总量指标来源说明\n（四）排污许可证副本",
    };

    [Fact]
    public void The_correction_notice_lists_every_missing_item_in_docx_and_pdf()
    {
        var (pdf, docx, layout) = Render(DocumentKind.CorrectionNotice, Eia);
        string[] items = ["1. 环境影响报告书（报批稿）", "2. 公众参与说明", "3. 建设项目总量指标来源说明", "4. 排污许可证副本"];
        Assert.Equal(items, layout.Blocks.Where(b => b.Kind == BlockKind.Item).Select(b => b.Text));

        var paragraphs = DocxDocumentWriter.Paragraphs(docx);
        Assert.Equal(
        [
            "补正材料通知书", "苏市环补〔2026〕7号".Replace("补", "审", StringComparison.Ordinal), "",
            "苏州绿源精细化工有限公司（统一社会信用代码：91320500MA1XYZ1234）：",
            "你单位报送的《年产5000吨水性涂料技改项目》环境影响评价文件审批申请（受理编号：苏州环评〔2026〕0012）材料不齐全或者不符合法定形式。根据《中华人民共和国行政许可法》第三十二条，现一次性告知你单位需要补正的全部内容如下：",
            .. items,
            "请按上述要求补正后重新报送。补正期间不计入审批期限。", "", "苏州市生态环境局", "2026年10月12日",
        ], paragraphs);

        using var document = PdfDocument.Open(pdf);
        Assert.Equal(1, document.NumberOfPages);
        var text = Squeeze(document.GetPage(1).Text);
        Assert.Contains("补正材料通知书", text);
        foreach (var item in items)
            Assert.Contains(Squeeze(item), text);
    }

    [Fact]
    public void Every_shipped_template_renders_with_its_title_and_number()
    {
        var values = new Dictionary<string, string>(Eia)
        {
            ["publicityDays"] = "5", ["extensionDays"] = "10", ["extensionReason"] = "需征求相邻县（市、区）意见", ["newDueDate"] = "2026年11月20日",
            ["triggerSummary"] = "受到生态环境行政处罚（苏环罚〔2026〕101号）", ["statementDeadline"] = "2026年10月19日", ["statementDays"] = "5",
            ["certificateNumber"] = "JS-CP-2026-0001", ["confirmedOn"] = "2026年10月1日", ["verifyUrl"] = Settings.VerifyUrl("JS-CP-2026-0001"),
        };
        foreach (var kind in DocumentKind.All)
        {
            var (pdf, docx, layout) = Render(kind.Code, values);
            Assert.Contains(layout.Title, DocxDocumentWriter.Paragraphs(docx));
            Assert.Contains("苏市环审〔2026〕7号", DocxDocumentWriter.Paragraphs(docx));
            using var document = PdfDocument.Open(pdf);
            Assert.True(document.NumberOfPages == 1, $"{kind.Code}: {document.NumberOfPages} pages");
            Assert.Contains(Squeeze(layout.Title)[..4], Squeeze(document.GetPage(1).Text));
        }
    }

    [Fact]
    public void A_missing_font_is_a_clear_error_naming_the_package_and_the_setting()
    {
        var settings = DocumentSettings.Read(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [DocumentSettings.FontPathKey] = "/nonexistent/NotoSerifCJK-Regular.ttc",
        }).Build());
        using var fonts = new DocumentFonts(settings);
        var problem = fonts.Problem();
        Assert.NotNull(problem);
        Assert.Contains("fonts-noto-cjk", problem);
        Assert.Contains(DocumentSettings.FontPathKey, problem);
        Assert.Throws<DocumentFontMissingException>(() => fonts.Regular);
    }

    [Fact]
    public void Two_organisations_with_one_prefix_stop_the_start()
    {
        var refused = Assert.Throws<CleanProdFlow.Data.Database.StartupException>(() => DocumentSettings.Read(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Documents:Prefixes:nanjing"] = "苏环" }).Build()));
        Assert.Contains("province", refused.Message);
        Assert.Contains("nanjing", refused.Message);
    }

    [Fact]
    public void A_long_decision_breaks_onto_a_second_page_with_nothing_lost()
    {
        var reasons = string.Join("\n", Enumerable.Range(1, 40).Select(i => $"第{i}条：项目应落实废气收集处理措施，确保达标排放。"));
        var (template, _) = DocumentTemplate.Parse(DocumentKind.Find(DocumentKind.ApprovalDecision)!, File.ReadAllText(DocumentRegistration.ShippedTemplatePath(DocumentKind.ApprovalDecision)));
        var layout = template!.Fill(new Dictionary<string, string>(Eia) { ["reasons"] = reasons });
        var pdf = new PdfDocumentWriter(new DocumentFonts(Settings)).Write(layout, false, "苏州市生态环境局", DateTimeOffset.Parse("2026-10-12T02:00:00Z"));
        using var document = PdfDocument.Open(pdf);
        Assert.True(document.NumberOfPages >= 2, $"{document.NumberOfPages} pages");
        var text = Squeeze(string.Concat(document.GetPages().Select(p => p.Text)));
        Assert.Contains("第1条", text);
        Assert.Contains("第40条", text);
    }

    [Fact]
    public void The_certificate_and_a_decision_are_rasterised_for_a_person_to_look_at()
    {
        var pdftoppm = new[] { "/usr/bin/pdftoppm", "/usr/local/bin/pdftoppm" }.FirstOrDefault(File.Exists);
        Skip.If(pdftoppm is null, "pdftoppm (poppler-utils) is not installed");
        var folder = Path.Combine(AppContext.BaseDirectory, "documents");
        Directory.CreateDirectory(folder);
        var values = new Dictionary<string, string>(Eia)
        {
            ["documentNumber"] = "苏环证〔2026〕1号", ["organisationName"] = "江苏省生态环境厅", ["certificateNumber"] = "JS-CP-2026-0001",
            ["confirmedOn"] = "2026年10月1日", ["verifyUrl"] = Settings.VerifyUrl("JS-CP-2026-0001"),
        };
        foreach (var (kind, file) in new[] { (DocumentKind.HonourCertificate, "certificate"), (DocumentKind.RefusalDecision, "refusal-decision") })
        {
            var (pdf, _, _) = Render(kind, values);
            var path = Path.Combine(folder, $"{file}.pdf");
            File.WriteAllBytes(path, pdf);
            using var process = Process.Start(new ProcessStartInfo(pdftoppm!, ["-png", "-r", "60", "-singlefile", path, Path.Combine(folder, file)])
                { RedirectStandardError = true })!;
            process.WaitForExit(60_000);
            Assert.True(process.ExitCode == 0, process.StandardError.ReadToEnd());
            Assert.True(new FileInfo(Path.Combine(folder, $"{file}.png")).Length > 5_000);
        }
    }

    public static (byte[] Pdf, byte[] Docx, DocumentLayout Layout) Render(string kindCode, IReadOnlyDictionary<string, string> values)
    {
        var kind = DocumentKind.Find(kindCode)!;
        var (template, problems) = DocumentTemplate.Parse(kind, File.ReadAllText(DocumentRegistration.ShippedTemplatePath(kindCode)));
        Assert.True(template is not null, string.Join("; ", problems.Select(p => p.MessageEn)));
        var layout = template.Fill(values);
        var pdf = new PdfDocumentWriter(new DocumentFonts(Settings)).Write(layout, kindCode == DocumentKind.HonourCertificate, "苏州市生态环境局",
            DateTimeOffset.Parse("2026-10-12T02:00:00Z"));
        return (pdf, DocxDocumentWriter.Write(layout), layout);
    }

    /// <summary>
    /// PDF text extraction puts no spaces where lines break, so compare without whitespace, and compare glyphs rather
    /// than code points: Noto CJK draws 目 and the Kangxi radical ⽬ (长 and ⻓, …) with one glyph, and the ToUnicode map
    /// Skia writes for a shared glyph names the radical, which PdfPig returns as it is. Every radical is mapped here to
    /// the ideograph the font draws with the same glyph, so a wrong character still fails the test.
    /// </summary>
    public static string Squeeze(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)).Select(c => RadicalToIdeograph.Value.GetValueOrDefault(c, c)));

    private static readonly Lazy<Dictionary<char, char>> RadicalToIdeograph = new(() =>
    {
        using var fonts = new DocumentFonts(Settings);
        var map = new Dictionary<char, char>();
        foreach (var face in new[] { fonts.Regular, fonts.Bold })
        {
            using var font = new SkiaSharp.SKFont(face);
            var byGlyph = new Dictionary<ushort, char>();
            for (var c = (char)0x4E00; c <= (char)0x9FFF; c++)
                byGlyph.TryAdd(font.GetGlyph(c), c);
            for (var c = (char)0x2E80; c <= (char)0x2FDF; c++)
                if (font.GetGlyph(c) is var glyph and not 0 && byGlyph.TryGetValue(glyph, out var ideograph))
                    map.TryAdd(c, ideograph);
        }
        return map;
    });
}
