using CleanProdFlow.Domain.Common;

namespace CleanProdFlow.Domain.Imports;

public enum ImportFormat
{
    Csv,
    Xlsx,
}

/// <summary>One non-empty row of an import file: its number as a spreadsheet shows it (the first line is row 1) and its cells.</summary>
public sealed record ImportRow(int Number, IReadOnlyList<string?> Cells)
{
    public string? Cell(int column) => column < Cells.Count ? Cells[column] : null;
}

/// <summary>A file read into rows, or why it cannot be read (then the whole file is refused).</summary>
public sealed record ImportRead(IReadOnlyList<ImportRow> Rows, LocalizedText? Problem)
{
    public static ImportRead Refused(LocalizedText problem) => new([], problem);
}

/// <summary>
/// Reads the CSV and XLSX files the city bureaus keep their enterprise and audit data in. Only the first
/// <see cref="MaxRows"/> data rows (plus a few title rows above the header) are read: a bigger file is refused
/// before it fills the memory.
/// </summary>
public static class ImportFile
{
    public const long MaxBytes = 10 * 1024 * 1024;
    public const int MaxRows = 50_000;

    /// <summary>How many rows above the header a sheet may have (a title such as “2025年清洁生产审核验收名单”).</summary>
    public const int MaxTitleRows = 9;

    /// <summary>The format an upload's name says it has; null for anything but .csv and .xlsx.</summary>
    public static ImportFormat? FormatOf(string? fileName) => Path.GetExtension(fileName ?? "").ToLowerInvariant() switch
    {
        ".csv" => ImportFormat.Csv,
        ".xlsx" => ImportFormat.Xlsx,
        _ => null,
    };

    public static ImportRead Read(byte[] content, ImportFormat format)
    {
        if (content.Length == 0)
            return ImportRead.Refused(new("文件为空", "the file is empty"));
        var read = format == ImportFormat.Csv ? CsvTableReader.Read(content) : XlsxTableReader.Read(content);
        if (read.Problem is null && read.Rows.Count == 0)
            return ImportRead.Refused(new("文件中没有任何内容（既无表头也无数据行）", "the file has no rows (neither a header nor data)"));
        return read;
    }

    internal static LocalizedText TooManyRows => new($"文件超过 {MaxRows} 个数据行，请分成多个文件导入",
        $"the file has more than {MaxRows} data rows; split it into several files");

    /// <summary>The most rows a reader keeps: the data rows, the header and the title rows above it, and one more to see that there are too many.</summary>
    internal const int RowsToRead = MaxRows + MaxTitleRows + 2;

    internal static bool IsBlank(IReadOnlyList<string?> cells) => cells.All(string.IsNullOrWhiteSpace);
}
