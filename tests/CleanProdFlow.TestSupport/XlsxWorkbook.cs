using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace CleanProdFlow.TestSupport;

/// <summary>A cell written as an inline string (&lt;is&gt;) instead of a shared string.</summary>
public sealed record InlineText(string Text);

/// <summary>A number cell without a date format (e.g. a date typed as its serial number into a General cell).</summary>
public sealed record PlainNumber(double Value);

/// <summary>
/// XLSX workbooks for the import tests, written with the OpenXml SDK as Excel writes them: strings shared, dates as
/// serial numbers with a date format, booleans as 1/0. A null row leaves a gap (no row element), a null cell is
/// left out. The worksheet parts are added in reverse tab order, so a reader must follow the tab order.
/// </summary>
public static class XlsxWorkbook
{
    public static byte[] Create(IReadOnlyList<IReadOnlyList<object?>?> rows, params IReadOnlyList<IReadOnlyList<object?>?>[] laterSheets)
    {
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            var shared = workbook.AddNewPart<SharedStringTablePart>();
            shared.SharedStringTable = new SharedStringTable();
            var styles = workbook.AddNewPart<WorkbookStylesPart>();
            styles.Stylesheet = new Stylesheet(
                new NumberingFormats(new NumberingFormat { NumberFormatId = 176, FormatCode = "yyyy\"年\"m\"月\"d\"日\"" }) { Count = 1 },
                new Fonts(new Font()) { Count = 1 },
                new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 })) { Count = 2 },
                new Borders(new Border()) { Count = 1 },
                new CellFormats(
                    new CellFormat(),
                    new CellFormat { NumberFormatId = 14, ApplyNumberFormat = true },   // 1: built-in short date
                    new CellFormat { NumberFormatId = 176, ApplyNumberFormat = true })  // 2: custom 2025年6月30日
                { Count = 3 });

            var all = new[] { rows }.Concat(laterSheets).ToList();
            var ids = new string[all.Count];
            for (var s = all.Count - 1; s >= 0; s--)
            {
                var part = workbook.AddNewPart<WorksheetPart>();
                part.Worksheet = new Worksheet(SheetData(all[s], shared.SharedStringTable));
                ids[s] = workbook.GetIdOfPart(part);
            }
            var sheets = workbook.Workbook.AppendChild(new Sheets());
            for (var s = 0; s < all.Count; s++)
                sheets.Append(new Sheet { Id = ids[s], SheetId = (uint)(s + 1), Name = s == 0 ? "企业名单" : $"Sheet{s + 1}" });
            workbook.Workbook.Save();
        }
        return stream.ToArray();
    }

    private static SheetData SheetData(IReadOnlyList<IReadOnlyList<object?>?> rows, SharedStringTable shared)
    {
        var data = new SheetData();
        for (var r = 0; r < rows.Count; r++)
        {
            if (rows[r] is not { } cells)
                continue;
            var row = new Row { RowIndex = (uint)(r + 1) };
            for (var c = 0; c < cells.Count; c++)
            {
                if (cells[c] is not { } value)
                    continue;
                var cell = new Cell { CellReference = $"{Column(c)}{r + 1}" };
                switch (value)
                {
                    case string text:
                        shared.Append(new SharedStringItem(new Text(text) { Space = SpaceProcessingModeValues.Preserve }));
                        cell.DataType = CellValues.SharedString;
                        cell.CellValue = new CellValue(shared.ChildElements.Count - 1);
                        break;
                    case InlineText inline:
                        cell.DataType = CellValues.InlineString;
                        cell.InlineString = new InlineString(new Text(inline.Text));
                        break;
                    case bool flag:
                        cell.DataType = CellValues.Boolean;
                        cell.CellValue = new CellValue(flag ? "1" : "0");
                        break;
                    case DateOnly date:
                        cell.StyleIndex = 1;
                        cell.CellValue = new CellValue(date.ToDateTime(TimeOnly.MinValue).ToOADate().ToString(CultureInfo.InvariantCulture));
                        break;
                    case ChineseFormattedDate chinese:
                        cell.StyleIndex = 2;
                        cell.CellValue = new CellValue(chinese.Date.ToDateTime(TimeOnly.MinValue).ToOADate().ToString(CultureInfo.InvariantCulture));
                        break;
                    case PlainNumber number:
                        cell.CellValue = new CellValue(number.Value.ToString(CultureInfo.InvariantCulture));
                        break;
                    case int or long or double:
                        cell.CellValue = new CellValue(Convert.ToString(value, CultureInfo.InvariantCulture)!);
                        break;
                    default:
                        throw new ArgumentException($"no cell for a {value.GetType().Name}");
                }
                row.Append(cell);
            }
            data.Append(row);
        }
        return data;
    }

    private static string Column(int index) => index < 26 ? ((char)('A' + index)).ToString() : Column(index / 26 - 1) + (char)('A' + index % 26);

    /// <summary>A date with the custom Chinese date format (style 2) instead of the built-in one.</summary>
    public static object ChineseDate(DateOnly date) => new ChineseFormattedDate(date);

    private sealed record ChineseFormattedDate(DateOnly Date);
}
