using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CleanProdFlow.Web.UiTests;

/// <summary>
/// The auditors' timing-compliance pages and the register pages in Chromium. The breached case is made through the
/// API as an integrator would: a fast-track EIA application of an eligible Suzhou enterprise received 28 days before
/// the virtual clock's start (2026-10-05), whose halved limit of 15 working days ran out in October; moving the
/// virtual clock by one second fires its due timer, which records the breach.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class CompliancePagesTests(BrowserFixture browser)
{
    private WebApp App => browser.App;

    private static int _enterprise = 7100;

    private static async Task ShotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, $"{name}.png"), FullPage = true });

    private async Task<IPage> SignedInAsync(string username)
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/account/login");
        await page.GetByLabel("用户名").FillAsync(username);
        await page.GetByLabel("密码").FillAsync(WebApp.Password);
        await page.Locator("main").GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/$"));
        return page;
    }

    /// <summary>A valid 统一社会信用代码 (GB 32100-2015) of an enterprise: organisation-code check digit (GB 11714), then the check character.</summary>
    private static string CreditCode(int number, string division = "320500")
    {
        const string alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
        int[] organisationWeights = [3, 7, 9, 10, 5, 8, 4, 2];
        int[] weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
        var body = number.ToString("D8", System.Globalization.CultureInfo.InvariantCulture);
        var organisationCheck = (11 - body.Select((c, i) => (c - '0') * organisationWeights[i]).Sum() % 11) switch { 10 => 'X', 11 => '0', var n => (char)('0' + n) };
        var first17 = $"91{division}{body}{organisationCheck}";
        var sum = first17.Select((c, i) => alphabet.IndexOf(c) * weights[i]).Sum();
        return first17 + alphabet[(31 - sum % 31) % 31];
    }

    private static async Task OkAsync(HttpResponseMessage response, params HttpStatusCode[] expected)
    {
        Assert.True(expected.Contains(response.StatusCode), $"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>An eligible Suzhou enterprise (level Ⅱ audit of 2025) and its fast-track application received on 2026-10-05; returns the case number.</summary>
    private async Task<string> BreachedCaseAsync()
    {
        var code = CreditCode(Interlocked.Increment(ref _enterprise));
        using var acceptance = await App.ApiAsync("acceptance.suzhou");
        await OkAsync(await acceptance.PostAsJsonAsync("/api/v1/enterprises", new
        {
            creditCode = code, name = $"苏州界面测试{code[^4..]}新材料有限公司", city = "suzhou", county = "相城区", industry = "新材料",
            address = "苏州市相城区澄阳路 1 号", onlineMonitoring = true,
        }), HttpStatusCode.Created);
        using (var auditor = await App.ApiAsync("audit-officer.suzhou"))
            await OkAsync(await auditor.PostAsJsonAsync($"/api/v1/enterprises/{code}/audit-results", new
            {
                acceptedOn = "2025-06-30", level = "Ⅱ", authority = "苏州市生态环境局", documentNumber = $"苏环清审〔2025〕{code[^5..]}号",
            }), HttpStatusCode.Created);
        var submitted = await acceptance.PostAsJsonAsync("/api/v1/eia/applications", new
        {
            creditCode = code, projectName = "界面测试：年产 500 吨电子化学品项目", kind = "new", documentType = "form", city = "suzhou",
            receivedAt = "2026-10-05T09:30:00+08:00",
        });
        await OkAsync(submitted, HttpStatusCode.Created);
        var caseNumber = (await submitted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("caseNumber").GetString()!;
        // The due timers lie in the past: one second of virtual time fires them (and records the breach).
        using var admin = await App.ApiAsync("admin.province");
        await OkAsync(await admin.PostAsJsonAsync("/api/v1/clock/advance", new { by = "PT1S" }), HttpStatusCode.OK);
        return caseNumber;
    }

    [SkippableFact]
    public async Task An_auditor_reads_the_dashboard_drills_into_a_breached_case_prints_its_evidence_and_downloads_the_breach_list()
    {
        browser.RequireBrowser();
        var caseNumber = await BreachedCaseAsync();
        var page = await SignedInAsync("auditor.province");

        // The navigation offers the dashboard; every chart container holds a drawn chart (canvas) or says it has no data.
        await page.GetByRole(AriaRole.Navigation, new() { Name = "主导航" }).GetByRole(AriaRole.Link, new() { Name = "时限合规" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "时限合规", Level = 1 })).ToBeVisibleAsync();
        foreach (var chart in new[] { "steps", "cities", "months", "tracks", "breaches" })
            await Expect(page.Locator($"#chart-{chart} canvas")).ToHaveCountAsync(1);
        foreach (var chart in new[] { "pauses", "extensions" })
            await Expect(page.Locator($"#chart-{chart} canvas, #chart-{chart}.chart-empty")).ToHaveCountAsync(1);
        await Expect(page.Locator("#breaches-table")).ToContainTextAsync(caseNumber);
        await Expect(page.Locator("#steps-table")).ToContainTextAsync("环境影响报告表审批决定");
        await ShotAsync(page, "c1-compliance-dashboard");
        await page.Locator(".charts").ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "c1b-compliance-charts.png") });

        // Drill down: the breached cases of the step, then the case itself (its clock overdue).
        await page.Locator(".kpis").GetByRole(AriaRole.Link, new() { NameRegex = new Regex("超期记录") }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/compliance/cases\\?result=breached"));
        var row = page.Locator("#compliance-cases tr", new() { HasText = caseNumber });
        await Expect(row).ToContainTextAsync("已超期（办理中）");
        await ShotAsync(page, "c2-compliance-breached-cases");
        await row.GetByRole(AriaRole.Link, new() { Name = caseNumber }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/cases/[0-9a-f-]{36}$"));
        await Expect(page.Locator("main")).ToContainTextAsync(caseNumber);
        var caseUrl = page.Url;
        await ShotAsync(page, "c3-breached-case");

        // Its evidence: the rule, the legal basis, the events with who did them, the breach; printed without navigation.
        await page.GotoAsync(new Uri(caseUrl).AbsolutePath.Replace("/cases/", "/compliance/cases/") + "/evidence");
        await Expect(page.GetByRole(AriaRole.Heading, new() { NameRegex = new Regex("法定时限证据") })).ToBeVisibleAsync();
        var evidence = page.Locator(".clock-evidence").First;
        await Expect(evidence).ToContainTextAsync("环境影响报告表审批决定");
        await Expect(evidence).ToContainTextAsync("《环境影响评价法》第二十二条");
        await Expect(evidence).ToContainTextAsync("绿色通道");
        await Expect(evidence).ToContainTextAsync("已超期");
        await Expect(evidence.Locator("tr.event-started")).ToContainTextAsync("启动审批计时");
        await Expect(page.Locator(".breach-evidence")).ToContainTextAsync("尚未说明");
        await ShotAsync(page, "c4-evidence-screen");
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Print });
        await Expect(page.Locator("header.top")).ToBeHiddenAsync();
        await Expect(page.Locator("#print-evidence")).ToBeHiddenAsync();
        Assert.Equal("rgb(255, 255, 255)", await page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor"));
        await ShotAsync(page, "c5-evidence-print");
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Screen });

        // The breach list as CSV: UTF-8 with a byte-order mark, the Chinese header, the case in it.
        await page.GotoAsync("/compliance");
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#export-breaches-csv").ClickAsync());
        var path = Path.Combine(BrowserFixture.ScreenshotDirectory, "c6-breaches.csv");
        await download.SaveAsAsync(path);
        var bytes = await File.ReadAllBytesAsync(path);
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var text = Encoding.UTF8.GetString(bytes[3..]);
        Assert.StartsWith("受理编号,承办单位,时限规则,规则编号,通道,截止时刻,发现超期时间", text);
        Assert.Contains(caseNumber, text);
        Assert.EndsWith(".csv", download.SuggestedFilename);

        // The same dashboard in English (the language switch in the header).
        await page.GetByRole(AriaRole.Link, new() { Name = "English" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Timing compliance", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator("#chart-steps canvas")).ToHaveCountAsync(1);
        await ShotAsync(page, "c6b-compliance-dashboard-en");
        await page.GetByRole(AriaRole.Link, new() { Name = "简体中文" }).ClickAsync();
    }

    [SkippableFact]
    public async Task A_city_officer_reads_the_register_and_an_import_with_bad_rows_lists_every_bad_row()
    {
        browser.RequireBrowser();
        await BreachedCaseAsync(); // a Suzhou enterprise in the register, at least
        var page = await SignedInAsync("acceptance.suzhou");

        await page.GetByRole(AriaRole.Navigation, new() { Name = "主导航" }).GetByRole(AriaRole.Link, new() { Name = "企业登记簿" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "企业登记簿", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator("#enterprises")).ToContainTextAsync("苏州界面测试");
        await Expect(page.Locator("#enterprises")).Not.ToContainTextAsync("南京市"); // another city's enterprises stay hidden
        await ShotAsync(page, "c7-register-list");

        await page.Locator("#enterprises").GetByRole(AriaRole.Link, new() { NameRegex = new Regex("苏州界面测试") }).First.ClickAsync();
        await Expect(page.Locator("#eligibility-verdict")).ToHaveTextAsync("符合清洁生产先进企业条件");
        await Expect(page.Locator(".eligibility-rules")).ToContainTextAsync("2025-06-30");
        await ShotAsync(page, "c8-register-enterprise");

        // A file with two bad rows: nothing is imported and both rows are listed with their reasons.
        await page.GotoAsync("/register/import");
        var csv = "统一社会信用代码,企业名称,设区市,在线监测\r\n" +
                  $"{CreditCode(7901)},苏州导入测试一号有限公司,苏州,是\r\n" +
                  "91320500MA1W9L3X2Z,苏州导入测试二号有限公司,苏州,否\r\n" +
                  $"{CreditCode(7902, "320100")},南京导入测试有限公司,南京,否\r\n";
        await page.Locator("#import-file").SetInputFilesAsync(new FilePayload
        {
            Name = "企业.csv", MimeType = "text/csv", Buffer = [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv)],
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "检查并导入" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { NameRegex = new Regex("未导入") })).ToBeVisibleAsync();
        var errors = page.Locator("#import-errors tbody tr");
        await Expect(errors.Filter(new() { HasText = "91320500MA1W9L3X2Z" })).ToHaveCountAsync(1);
        await Expect(errors.Filter(new() { HasText = "南京" })).ToHaveCountAsync(1);
        await ShotAsync(page, "c9-register-import-errors");
    }
}
