using System.Globalization;
using System.Text;
using CleanProdFlow.Domain.Common;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace CleanProdFlow.Domain.Imports;

/// <summary>
/// The first worksheet (in tab order) of an XLSX workbook, read as text the way Excel shows it: shared and inline
/// strings (without their phonetic guides), numbers as written, booleans as true/false, and numbers formatted as
/// dates (serial days, 1900 or 1904 system) as yyyy-MM-dd. The sheet is streamed, so a big file stops at the row limit.
/// </summary>
internal static class XlsxTableReader
{
    /// <summary>Refuses parts that expand far beyond what 50,000 rows need (a “zip bomb” of a few megabytes).</summary>
    private const long MaxCharactersInPart = 200_000_000;

    private static readonly LocalizedText Unreadable = new("文件不是有效的 .xlsx 工作簿（无法打开；.xls 等旧格式请在 Excel 中另存为 .xlsx）",
        "the file is not a valid .xlsx workbook (it cannot be opened; save older formats such as .xls as .xlsx in Excel)");

    public static ImportRead Read(byte[] content)
    {
        try
        {
            using var stream = new MemoryStream(content, writable: false);
            using var document = SpreadsheetDocument.Open(stream, false, new OpenSettings { MaxCharactersInPart = MaxCharactersInPart });
            var workbookPart = document.WorkbookPart;
            var sheet = workbookPart?.Workbook?.Sheets?.Elements<Sheet>().FirstOrDefault();
            if (workbookPart is null || sheet?.Id?.Value is not { } id)
                return ImportRead.Refused(new("工作簿中没有工作表", "the workbook has no worksheet"));
            if (workbookPart.GetPartById(id) is not WorksheetPart worksheet)
                return ImportRead.Refused(new("第一个工作表不是数据表（可能是图表），请把数据放在第一个工作表", "the first sheet is not a worksheet (perhaps a chart); put the data on the first sheet"));
            var strings = SharedStrings(workbookPart.SharedStringTablePart);
            var dateStyles = DateStyles(workbookPart.WorkbookStylesPart?.Stylesheet);
            var date1904 = workbookPart.Workbook!.WorkbookProperties?.Date1904?.Value == true;
            return Rows(worksheet, strings, dateStyles, date1904);
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            // Whatever the package, XML or schema layer throws, the cause is the uploaded file.
            return ImportRead.Refused(Unreadable);
        }
    }

    private static ImportRead Rows(WorksheetPart worksheet, IReadOnlyList<string> strings, IReadOnlySet<uint> dateStyles, bool date1904)
    {
        var rows = new List<ImportRow>();
        using var reader = OpenXmlReader.Create(worksheet);
        var previous = 0;
        while (reader.Read())
        {
            if (reader.ElementType != typeof(Row) || !reader.IsStartElement)
                continue;
            var row = (Row)reader.LoadCurrentElement()!;
            var number = row.RowIndex?.Value is { } index ? (int)index : previous + 1;
            previous = number;
            var cells = new List<string?>();
            var column = -1;
            foreach (var cell in row.Elements<Cell>())
            {
                column = ColumnOf(cell.CellReference?.Value) ?? column + 1;
                while (cells.Count < column)
                    cells.Add(null);
                if (cells.Count == column)
                    cells.Add(TextOf(cell, strings, dateStyles, date1904));
            }
            if (ImportFile.IsBlank(cells))
                continue;
            rows.Add(new ImportRow(number, cells));
            if (rows.Count > ImportFile.RowsToRead)
                return ImportRead.Refused(ImportFile.TooManyRows);
        }
        return new ImportRead(rows, null);
    }

    /// <summary>"C12" → 2 (zero-based column); null for a missing or odd reference.</summary>
    private static int? ColumnOf(string? reference)
    {
        if (string.IsNullOrEmpty(reference))
            return null;
        var column = 0;
        var letters = 0;
        foreach (var c in reference)
        {
            if (c is >= 'A' and <= 'Z')
                column = column * 26 + (c - 'A' + 1);
            else if (c is >= 'a' and <= 'z')
                column = column * 26 + (c - 'a' + 1);
            else
                break;
            if (++letters > 3)
                return null; // Excel's last column is XFD
        }
        return letters == 0 ? null : column - 1;
    }

    private static string? TextOf(Cell cell, IReadOnlyList<string> strings, IReadOnlySet<uint> dateStyles, bool date1904)
    {
        var raw = cell.CellValue?.Text;
        var type = cell.DataType?.Value;
        if (type == CellValues.InlineString)
            return cell.InlineString is { } inline ? PlainText(inline) : raw;
        if (raw is null)
            return null;
        if (type == CellValues.SharedString)
            return int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < strings.Count ? strings[index] : null;
        if (type == CellValues.Boolean)
            return raw.Trim() == "1" ? "true" : "false";
        if (type == CellValues.Date)
            return raw.Length >= 10 ? raw[..10] : raw; // ISO 8601 text
        if (type == CellValues.Number || type is null)
        {
            if (cell.StyleIndex?.Value is { } style && dateStyles.Contains(style)
                && double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var serial))
                return ImportValues.SerialDate(serial, date1904) ?? raw;
        }
        return raw; // numbers as written, formula results (str), errors (#N/A)
    }

    /// <summary>The visible text of a string item: plain text and rich-text runs, without phonetic guides (rPh).</summary>
    private static string PlainText(OpenXmlElement item)
    {
        var text = new StringBuilder();
        foreach (var child in item.ChildElements)
        {
            if (child is Text t)
                text.Append(t.Text);
            else if (child is Run run)
                foreach (var runText in run.Elements<Text>())
                    text.Append(runText.Text);
        }
        return text.ToString();
    }

    private static List<string> SharedStrings(SharedStringTablePart? part)
    {
        var strings = new List<string>();
        if (part is null)
            return strings;
        using var reader = OpenXmlReader.Create(part);
        while (reader.Read())
            if (reader.ElementType == typeof(SharedStringItem) && reader.IsStartElement)
                strings.Add(PlainText(reader.LoadCurrentElement()!));
        return strings;
    }

    /// <summary>Built-in number formats that show a date: 14–22, 27–36, 45–47 and the East Asian 50–58.</summary>
    private static bool IsBuiltInDate(uint id) => id is >= 14 and <= 22 or >= 27 and <= 36 or >= 45 and <= 47 or >= 50 and <= 58;

    /// <summary>The cell style indexes whose number format shows a date (built in, or a custom code with y/m/d or 年/月/日).</summary>
    private static HashSet<uint> DateStyles(Stylesheet? stylesheet)
    {
        var custom = new Dictionary<uint, string>();
        foreach (var format in stylesheet?.NumberingFormats?.Elements<NumberingFormat>() ?? [])
            if (format.NumberFormatId?.Value is { } id)
                custom[id] = format.FormatCode?.Value ?? "";
        var styles = new HashSet<uint>();
        var index = 0u;
        foreach (var format in stylesheet?.CellFormats?.Elements<CellFormat>() ?? [])
        {
            var id = format.NumberFormatId?.Value ?? 0;
            if (custom.TryGetValue(id, out var code) ? IsDateCode(code) : IsBuiltInDate(id))
                styles.Add(index);
            index++;
        }
        return styles;
    }

    private static bool IsDateCode(string code)
    {
        // Quoted text, [colour]/[$-804] sections and escaped characters are not part of the pattern.
        var pattern = new StringBuilder();
        for (var i = 0; i < code.Length; i++)
        {
            var c = code[i];
            if (c == '"')
                i = code.IndexOf('"', i + 1) is var end and >= 0 ? end : code.Length;
            else if (c == '[')
                i = code.IndexOf(']', i + 1) is var end and >= 0 ? end : code.Length;
            else if (c == '\\')
                i++;
            else
                pattern.Append(char.ToLowerInvariant(c));
        }
        var text = pattern.ToString();
        return text.IndexOfAny(['y', 'd', '年', '月', '日']) >= 0 || (text.Contains('m') && !text.Contains('h') && !text.Contains('s'));
    }
}
