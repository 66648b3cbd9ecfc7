using System.Net;
using System.Text;
using CleanProdFlow.Data.Database;
using CleanProdFlow.Web.Compliance;
using Dapper;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.Extensions.DependencyInjection;

namespace CleanProdFlow.Web.Tests.Compliance;

/// <summary>
/// The timing-compliance pages and exports through the host (on the demo data): who may read them, city scoping,
/// the evidence page, and the CSV and XLSX files as a spreadsheet reads them.
/// </summary>
public sealed class CompliancePagesTests(DemoHostFixture host) : IClassFixture<DemoHostFixture>
{
    private CpfWebFactory Factory => host.Factory;

    private async Task<Guid> CaseOfAsync(string city)
    {
        await using var connection = await Factory.Services.GetRequiredService<CpfDatabase>().OpenAsync();
        var prefix = city == "suzhou" ? "苏州" : "南京";
        // A decided case (the city's first), so that its evidence has a stop.
        return (await connection.QueryAsync<Guid>(
            "SELECT id FROM workflow_instances WHERE business_key LIKE @pattern AND definition_key LIKE 'eia-%' AND status = 'completed' ORDER BY business_key",
            new { pattern = prefix + "%" })).First();
    }

    [Theory]
    [InlineData("auditor.province")]
    [InlineData("admin.province")]
    [InlineData("approver.province")]
    [InlineData("auditor.suzhou")]
    public async Task Auditors_administrators_and_approvers_read_the_dashboard_of_every_city_they_supervise(string username)
    {
        var session = await PageSession.SignInAsync(Factory, username);

        var (status, html) = await session.GetAsync("/compliance");

        Assert.Equal(HttpStatusCode.OK, status);
        foreach (var chart in new[] { "steps", "cities", "months", "tracks", "breaches", "pauses", "extensions" })
            Assert.Contains($"id=\"chart-{chart}\"", html);
        Assert.Contains("环境影响报告表审批决定", html); // the per-step table
        Assert.Contains("南京市生态环境局", html); // every city: the province and auditors supervise them all
        Assert.Contains("/compliance/export/breaches.csv", html);
    }

    [Fact]
    public async Task A_city_approver_sees_the_figures_of_the_own_city_only_and_another_city_is_the_403_page()
    {
        var session = await PageSession.SignInAsync(Factory, "approver.suzhou");

        var (status, html) = await session.GetAsync("/compliance");
        var (other, otherHtml) = await session.GetAsync("/compliance?city=nanjing");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("苏州市生态环境局", html);
        Assert.DoesNotContain("南京环审", html);
        Assert.DoesNotContain("南京市生态环境局", html);
        Assert.Equal(HttpStatusCode.Forbidden, other);
        Assert.Contains("无权访问", otherHtml);
    }

    [Theory]
    [InlineData("review.suzhou", "/compliance")]
    [InlineData("acceptance.province", "/compliance/cases")]
    [InlineData("publicity.suzhou", "/compliance/export/breaches.csv")]
    public async Task Staff_who_work_the_cases_get_the_403_page_for_the_dashboard_and_its_exports(string username, string path)
    {
        var session = await PageSession.SignInAsync(Factory, username);

        var (status, html) = await session.GetAsync(path);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("无权访问", html);
    }

    [Fact]
    public async Task The_drill_down_lists_the_breached_cases_with_links_to_the_case_and_its_evidence()
    {
        var session = await PageSession.SignInAsync(Factory, "auditor.province");

        var (status, html) = await session.GetAsync("/compliance/cases?result=breached");
        var (bad, badHtml) = await session.GetAsync("/compliance/cases?result=sometimes&from=2026-13-01");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("有超期记录的计时", html);
        Assert.Contains("/evidence\"", html);
        Assert.Contains("href=\"/cases/", html);
        Assert.Equal(HttpStatusCode.OK, bad); // a wrong filter is named on the page and left out, not a 500
        Assert.Contains("未知的结果", badHtml);
        Assert.Contains("须为 yyyy-MM-dd 格式", badHtml);
    }

    [Fact]
    public async Task The_evidence_of_a_case_is_open_to_its_city_the_province_and_auditors_and_another_city_gets_the_403_page()
    {
        var suzhou = await CaseOfAsync("suzhou");
        var nanjing = await CaseOfAsync("nanjing");
        var reviewer = await PageSession.SignInAsync(Factory, "review.suzhou");
        var auditor = await PageSession.SignInAsync(Factory, "auditor.province");

        var (own, html) = await reviewer.GetAsync($"/compliance/cases/{suzhou}/evidence");
        var (other, otherHtml) = await reviewer.GetAsync($"/compliance/cases/{nanjing}/evidence");
        var (audited, auditedHtml) = await auditor.GetAsync($"/compliance/cases/{nanjing}/evidence");
        var (missing, _) = await auditor.GetAsync($"/compliance/cases/{Guid.NewGuid()}/evidence");

        Assert.Equal(HttpStatusCode.OK, own);
        Assert.Contains("法定时限证据", html);
        Assert.Contains("《环境影响评价法》第二十二条", html);
        Assert.Contains("工作日历版本", html);
        Assert.Contains("开始计时", html);
        Assert.Contains("停止计时（办结）", html); // the first Suzhou case was decided
        Assert.Contains("按期办结", html);
        Assert.Equal(HttpStatusCode.Forbidden, other);
        Assert.Contains("无权访问", otherHtml);
        Assert.Equal(HttpStatusCode.OK, audited);
        Assert.Contains("南京环审", auditedHtml);
        Assert.Equal(HttpStatusCode.NotFound, missing);
    }

    [Fact]
    public async Task The_evidence_names_who_paused_extended_and_explained_a_breach()
    {
        var auditor = await PageSession.SignInAsync(Factory, "auditor.province");
        var (_, cases) = await auditor.GetAsync("/compliance/cases?result=extended");
        var extended = System.Text.RegularExpressions.Regex.Match(cases, "/compliance/cases/([0-9a-f-]{36})/evidence").Groups[1].Value;
        var (_, late) = await auditor.GetAsync("/compliance/cases?result=late");
        var breached = System.Text.RegularExpressions.Regex.Match(late, "/compliance/cases/([0-9a-f-]{36})/evidence").Groups[1].Value;

        var (_, extendedHtml) = await auditor.GetAsync($"/compliance/cases/{extended}/evidence");
        var (_, breachedHtml) = await auditor.GetAsync($"/compliance/cases/{breached}/evidence");

        Assert.Contains("延长期限", extendedHtml);
        Assert.Contains("《中华人民共和国行政许可法》第四十二条", extendedHtml);
        Assert.Matches("approver\\.(suzhou|wuxi|nanjing)", extendedHtml);
        Assert.Contains("超期办结", breachedHtml);
        Assert.Contains("超期原因及处理措施", breachedHtml);
        Assert.Matches("（流程环节「", breachedHtml); // the clock's start and stop by their workflow steps
    }

    [Fact]
    public async Task The_breach_list_downloads_as_csv_with_a_byte_order_mark_and_the_header_in_chinese()
    {
        var session = await PageSession.SignInAsync(Factory, "auditor.province");

        var response = await session.Http.GetAsync("/compliance/export/breaches.csv");
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("受理编号,承办单位,时限规则,规则编号,通道,截止时刻,发现超期时间,计时结果,办结时间,迟延工作日（截止后第几个工作日，含办结当日）," +
                     "超期原因及处理措施,说明人,说明时间,案件标识", lines[0]);
        Assert.True(lines.Length > 3, "the demo data has several breaches");
        Assert.Contains(lines, l => l.Contains("环审〔") && l.Contains("超期办结"));
        Assert.Contains("attachment", response.Content.Headers.ContentDisposition?.ToString());
    }

    [Fact]
    public async Task The_per_step_table_downloads_as_csv_and_as_xlsx_that_a_spreadsheet_opens()
    {
        var session = await PageSession.SignInAsync(Factory, "auditor.province");

        var csv = await session.Http.GetAsync("/compliance/export/steps.csv?city=suzhou");
        var xlsx = await session.Http.GetAsync("/compliance/export/steps.xlsx?city=suzhou");

        var text = Encoding.UTF8.GetString((await csv.Content.ReadAsByteArrayAsync())[3..]);
        Assert.StartsWith("环节（时限规则）,规则编号,法律依据,已办结,按期,超期,按期率（%）", text);
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        Assert.Equal(ComplianceExports.XlsxType, xlsx.Content.Headers.ContentType?.MediaType);
        using var stream = new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync());
        using var document = SpreadsheetDocument.Open(stream, isEditable: false);
        var sheet = document.WorkbookPart!.WorksheetParts.Single().Worksheet;
        var rows = sheet.Descendants<Row>().ToList();
        string Cell(Row row, int index) => row.Elements<Cell>().ElementAt(index) is var cell && cell.DataType?.Value == CellValues.InlineString
            ? cell.InlineString!.InnerText : cell.CellValue?.Text ?? "";
        Assert.Equal("环节（时限规则）", Cell(rows[0], 0));
        Assert.Equal("已办结", Cell(rows[0], 3));
        var form = rows.Skip(1).Single(r => Cell(r, 1) == "eia.decision.form");
        Assert.Equal("环境影响报告表审批决定", Cell(form, 0));
        Assert.True(double.Parse(Cell(form, 3), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.Equal("分环节时限", document.WorkbookPart.Workbook.Sheets!.Elements<Sheet>().Single().Name!.Value);
    }

    [Fact]
    public async Task An_export_with_a_filter_that_does_not_read_is_refused_rather_than_silently_unfiltered()
    {
        var session = await PageSession.SignInAsync(Factory, "auditor.province");

        var response = await session.Http.GetAsync("/compliance/export/breaches.xlsx?from=yesterday");
        var unknown = await session.Http.GetAsync("/compliance/export/everything.csv");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("yyyy-MM-dd", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"")]
    [InlineData("+86 512", "'+86 512")]
    [InlineData("-1", "'-1")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("苏州, 工业园区", "\"苏州, 工业园区\"")]
    [InlineData("专家评审", "专家评审")]
    public void Csv_cells_that_a_spreadsheet_would_run_as_a_formula_are_neutralised(string value, string written)
    {
        Assert.Equal(written, ComplianceExports.CsvText(value));
    }

    [Fact]
    public async Task The_navigation_offers_the_dashboard_to_its_readers_only()
    {
        var auditor = await PageSession.SignInAsync(Factory, "auditor.province");
        var reviewer = await PageSession.SignInAsync(Factory, "review.suzhou");

        Assert.Contains("href=\"/compliance\"", (await auditor.GetAsync("/")).Html);
        Assert.DoesNotContain("href=\"/compliance\"", (await reviewer.GetAsync("/")).Html);
    }
}
