using System.Globalization;
using System.Text;
using CleanProdFlow.Data.Compliance;
using CleanProdFlow.Timing;
using CleanProdFlow.Web.Pages;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace CleanProdFlow.Web.Compliance;

/// <summary>A table to export: its header and rows of cells (text, numbers, instants, or nothing).</summary>
public sealed record ExportTable(string SheetName, IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<object?>> Rows);

/// <summary>
/// The breach list and the per-step table as CSV (UTF-8 with a byte-order mark, so Excel in China opens the Chinese
/// text; cells a spreadsheet would run as a formula are neutralised, as in the public list) and as XLSX (written with
/// DocumentFormat.OpenXml, which the imports already use; text goes in as inline strings, never as formulas).
/// Instants are Beijing time, yyyy-MM-dd HH:mm.
/// </summary>
public static class ComplianceExports
{
    public const string CsvType = "text/csv; charset=utf-8";
    public const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>The breach list; <paramref name="lateNow"/> gives a row's working days late as of now (a running clock's grow).</summary>
    public static ExportTable Breaches(IReadOnlyList<BreachRow> rows, DateTimeOffset now, Func<BreachRow, int?> lateNow) => new(Ui.T("超期记录", "Breaches"),
        [
            Ui.T("受理编号", "Case number"), Ui.T("承办单位", "Organisation"), Ui.T("时限规则", "Time-limit rule"), Ui.T("规则编号", "Rule id"),
            Ui.T("通道", "Track"), Ui.T("截止时刻", "Due"), Ui.T("发现超期时间", "Detected"), Ui.T("计时结果", "Clock result"),
            Ui.T("办结时间", "Ended"), Ui.T("迟延工作日（截止后第几个工作日，含办结当日）", "Working days late (through the day decided)"), Ui.T("超期原因及处理措施", "Reasons and measures"),
            Ui.T("说明人", "Explained by"), Ui.T("说明时间", "Explained at"), Ui.T("案件标识", "Instance id"),
        ],
        rows.Select(b => (IReadOnlyList<object?>)
        [
            b.BusinessKey, Ui.OrganisationName(b.Organisation), ComplianceText.RuleName(b.NameZh, b.NameEn, b.RuleId), b.RuleId,
            ComplianceText.Track(b.Track), Due(b.DueAt), b.DetectedAt, b.ClockResult is null ? null : ComplianceText.Result(b.ClockResult, b.DueAt, now),
            b.EndedAt, lateNow(b), b.Reason, b.ReasonBy, b.ReasonAt, b.InstanceId?.ToString("D"),
        ]).ToList());

    public static ExportTable Steps(IReadOnlyList<StepFigures> steps) => new(Ui.T("分环节时限", "Steps"),
        [
            Ui.T("环节（时限规则）", "Step (time-limit rule)"), Ui.T("规则编号", "Rule id"), Ui.T("法律依据", "Legal basis"),
            Ui.T("已办结", "Decided"), Ui.T("按期", "On time"), Ui.T("超期", "Late"), Ui.T("按期率（%）", "On-time rate (%)"),
            Ui.T("绿色通道办结", "Fast track decided"), Ui.T("绿色通道按期率（%）", "Fast track on-time rate (%)"),
            Ui.T("绿色通道平均用时（工作日）", "Fast track average used (working days)"), Ui.T("绿色通道平均时限（工作日）", "Fast track average limit (working days)"),
            Ui.T("普通程序平均用时（工作日）", "Standard average used (working days)"), Ui.T("普通程序平均时限（工作日）", "Standard average limit (working days)"),
            Ui.T("迟延工作日合计（含办结当日）", "Working days late, total (through the day decided)"), Ui.T("暂停工作日合计", "Working days paused, total"),
            Ui.T("延长工作日合计", "Working days extended, total"), Ui.T("有暂停的案件", "Cases with pauses"), Ui.T("有延长的案件", "Cases extended"),
            Ui.T("办理中", "Running now"), Ui.T("已超期未办结", "Overdue now"), Ui.T("暂停中", "Paused now"),
        ],
        steps.Select(s => (IReadOnlyList<object?>)
        [
            ComplianceText.RuleName(s.NameZh, s.NameEn, s.RuleId), s.RuleId, s.LegalBasis, s.Decided, s.OnTime, s.Late,
            ComplianceText.RateValue(s.OnTime, s.Decided), s.FastDecided, ComplianceText.RateValue(s.FastOnTime, s.FastDecided),
            Round(s.FastAverageUsed), Round(s.FastAverageLimit), Round(s.StandardAverageUsed), Round(s.StandardAverageLimit),
            s.LateWorkingDays, s.PausedWorkingDays, s.ExtensionDays, s.WithPauses, s.Extended, s.RunningNow, s.OverdueNow, s.PausedNow,
        ]).ToList());

    // The due instant is 24:00 of the last day: written as that day, 24:00, the way the law says it.
    private static string Due(DateTimeOffset due) => Ui.DueDateTime(due);

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 1) : null;

    // ------------------------------------------------------------------------------------------------- CSV

    public static byte[] Csv(ExportTable table)
    {
        var csv = new StringBuilder();
        csv.AppendJoin(',', table.Header.Select(CsvText)).Append("\r\n");
        foreach (var row in table.Rows)
            csv.AppendJoin(',', row.Select(CsvCell)).Append("\r\n");
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv.ToString())];
    }

    private static string CsvCell(object? value) => value switch
    {
        null => "",
        int or long => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        double d => d.ToString("0.###", CultureInfo.InvariantCulture),
        DateTimeOffset instant => BeijingTime.Format(instant),
        _ => CsvText(value.ToString() ?? ""),
    };

    /// <summary>
    /// RFC 4180 quoting; a text cell starting with =, +, -, @, a tab or a carriage return gets a leading apostrophe
    /// so that a spreadsheet shows it instead of running it (CSV injection). Numbers are written by us and left alone.
    /// </summary>
    public static string CsvText(string value)
    {
        if (LooksLikeFormula(value))
            value = "'" + value;
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{value.Replace("\"", "\"\"")}\"" : value;
    }

    /// <summary>Text a spreadsheet would take for a formula (or, after a tab or carriage return, start one).</summary>
    public static bool LooksLikeFormula(string value) => value.Length > 0 && "=+-@\t\r".Contains(value[0]);

    // ------------------------------------------------------------------------------------------------- XLSX

    public static byte[] Xlsx(ExportTable table)
    {
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            var styles = workbook.AddNewPart<WorkbookStylesPart>();
            // Style 1: the header in bold; style 2: instants as yyyy-mm-dd hh:mm; style 3: text shown with Excel's
            // quote prefix (the cell stays text even when someone edits it), for text that looks like a formula.
            styles.Stylesheet = new Stylesheet(
                new NumberingFormats(new NumberingFormat { NumberFormatId = 164, FormatCode = "yyyy-mm-dd hh:mm" }) { Count = 1 },
                new Fonts(new Font(), new Font(new Bold())) { Count = 2 },
                new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 })) { Count = 2 },
                new Borders(new Border()) { Count = 1 },
                new CellFormats(new CellFormat(), new CellFormat { FontId = 1, ApplyFont = true },
                    new CellFormat { NumberFormatId = 164, ApplyNumberFormat = true }, new CellFormat { QuotePrefix = true }) { Count = 4 });

            var sheet = workbook.AddNewPart<WorksheetPart>();
            var data = new SheetData();
            data.Append(XlsxRow(table.Header.Cast<object?>(), header: true));
            foreach (var row in table.Rows)
                data.Append(XlsxRow(row, header: false));
            var columns = new Columns(table.Header.Select((h, i) => new Column
            {
                Min = (uint)(i + 1), Max = (uint)(i + 1), CustomWidth = true,
                Width = Math.Clamp(Math.Max(h.Length * 2.2, table.Rows.Select(r => Width(r.ElementAtOrDefault(i))).DefaultIfEmpty(8).Max()), 8, 60),
            }));
            // The header row stays visible while scrolling.
            var view = new SheetView(new Pane { VerticalSplit = 1, TopLeftCell = "A2", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen })
            { WorkbookViewId = 0 };
            sheet.Worksheet = new Worksheet(new SheetViews(view), columns, data);
            workbook.Workbook.AppendChild(new Sheets(new Sheet { Id = workbook.GetIdOfPart(sheet), SheetId = 1, Name = table.SheetName }));
        }
        return stream.ToArray();
    }

    private static double Width(object? value) => value switch
    {
        null => 8,
        DateTimeOffset => 17,
        string text => text.Sum(c => c > 0x2E80 ? 2.1 : 1.1) + 2,
        _ => 10,
    };

    private static Row XlsxRow(IEnumerable<object?> values, bool header)
    {
        var row = new Row();
        foreach (var value in values)
            row.Append(XlsxCell(value, header));
        return row;
    }

    private static Cell XlsxCell(object? value, bool header) => value switch
    {
        null => new Cell(),
        int or long or double => new Cell { DataType = CellValues.Number, CellValue = new CellValue(Convert.ToDouble(value, CultureInfo.InvariantCulture)) },
        // Excel has no time zone: the Beijing wall-clock time as a serial date.
        DateTimeOffset instant => new Cell { CellValue = new CellValue(instant.ToBeijing().DateTime.ToOADate()), StyleIndex = 2 },
        _ => new Cell
        {
            DataType = CellValues.InlineString, StyleIndex = header ? 1U : LooksLikeFormula(value.ToString() ?? "") ? 3U : 0U,
            InlineString = new InlineString(new Text(value.ToString() ?? "") { Space = SpaceProcessingModeValues.Preserve }),
        },
    };
}
