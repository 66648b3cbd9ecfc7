using System.Text;
using CleanProdFlow.Domain.Common;

namespace CleanProdFlow.Domain.Imports;

/// <summary>
/// A column an import reads: the API field it fills, whether the file must have it, its Chinese name, and the
/// other names it goes by. Names match ignoring case, spaces, '_' and '-', a leading or trailing '*' (a required
/// mark) and full- or half-width brackets: “县（市、区）”, “县(市、区)” and “County” are one column.
/// </summary>
public sealed record ImportColumn(string Field, bool Required, string NameZh, params string[] Aliases)
{
    public IEnumerable<string> Names => [NameZh, Field, .. Aliases];
}

/// <summary>Where each field's column is in the file, and the header row it was found in.</summary>
public sealed record ColumnLayout(int HeaderRow, IReadOnlyDictionary<string, int> Positions, IReadOnlyDictionary<string, string> Headers)
{
    public bool Has(string field) => Positions.ContainsKey(field);

    public string? Cell(ImportRow row, string field) => Positions.TryGetValue(field, out var column) ? row.Cell(column) : null;

    /// <summary>The header as written in the file (for error messages), or the field name when the file has no such column.</summary>
    public string HeaderOf(string field) => Headers.TryGetValue(field, out var header) ? header : field;
}

public static class ImportColumns
{
    public static string Normalise(string? header)
    {
        var text = new StringBuilder();
        foreach (var c in (header ?? "").Normalize(NormalizationForm.FormKC)) // full-width （ ） → ( )
        {
            if (char.IsWhiteSpace(c) || c is '_' or '-' or '*' or '\uFEFF' or '\u200B')
                continue;
            text.Append(char.ToLowerInvariant(c));
        }
        return text.ToString();
    }

    /// <summary>
    /// Finds the header: the first row (of the first few, so a title row above it is allowed) that names every
    /// required column. Columns the import does not know (序号, 备注, …) are ignored. A header without data rows
    /// below it, or with more than <see cref="ImportFile.MaxRows"/>, is a problem of the whole file.
    /// </summary>
    public static (ColumnLayout? Layout, LocalizedText? Problem) Locate(IReadOnlyList<ImportColumn> columns, IReadOnlyList<ImportRow> rows)
    {
        var byName = new Dictionary<string, ImportColumn>(StringComparer.Ordinal);
        foreach (var column in columns)
            foreach (var name in column.Names)
                byName[Normalise(name)] = column;

        ColumnLayout? best = null;
        foreach (var row in rows.Take(ImportFile.MaxTitleRows + 1))
        {
            var positions = new Dictionary<string, int>(StringComparer.Ordinal);
            var headers = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < row.Cells.Count; i++)
            {
                if (!byName.TryGetValue(Normalise(row.Cells[i]), out var column))
                    continue;
                if (positions.TryGetValue(column.Field, out var earlier))
                    return (null, new($"第 {row.Number} 行表头中“{headers[column.Field]}”和“{row.Cells[i]!.Trim()}”是同一列（{column.NameZh}），请删去一列",
                        $"in header row {row.Number}, '{headers[column.Field]}' and '{row.Cells[i]!.Trim()}' are the same column ({column.Field}); remove one ({earlier + 1}, {i + 1})"));
                positions[column.Field] = i;
                headers[column.Field] = row.Cells[i]!.Trim();
            }
            var layout = new ColumnLayout(row.Number, positions, headers);
            if (columns.All(c => !c.Required || positions.ContainsKey(c.Field)))
            {
                var dataRows = rows.Count(r => r.Number > row.Number);
                if (dataRows == 0)
                    return (null, new($"表头（第 {row.Number} 行）下面没有数据行", $"there are no data rows below the header (row {row.Number})"));
                return dataRows > ImportFile.MaxRows ? (null, ImportFile.TooManyRows) : (layout, null);
            }
            if (best is null || positions.Count > best.Positions.Count)
                best = layout;
        }

        var missing = columns.Where(c => c.Required && best?.Has(c.Field) != true).ToList();
        var where = best is null || best.Positions.Count == 0 ? 1 : best.HeaderRow;
        return (null, new(
            $"表头（第 {where} 行）缺少必需的列：{string.Join("、", missing.Select(c => $"{c.NameZh}（{c.Field}）"))}。可用的列名：{Describe(columns, zh: true)}",
            $"the header (row {where}) lacks the required column(s) {string.Join(", ", missing.Select(c => $"{c.Field} ({c.NameZh})"))}. Column names: {Describe(columns, zh: false)}"));
    }

    private static string Describe(IReadOnlyList<ImportColumn> columns, bool zh) =>
        string.Join(zh ? "；" : "; ", columns.Select(c => $"{c.NameZh}/{c.Field}{(c.Required ? (zh ? "（必需）" : " (required)") : "")}"));
}

/// <summary>Why one cell of one row was refused: row number as the spreadsheet shows it, API field, the file's header, the cell text.</summary>
public sealed record ImportRowError(int Row, string Field, string Column, string? Value, LocalizedText Reason);
