using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static CleanProdFlow.Web.UiTests.Scenario;
using static Microsoft.Playwright.Assertions;

namespace CleanProdFlow.Web.UiTests;

/// <summary>
/// The yearly programmes page (年度专项) in Chromium: the province's view of this year's typical-case campaign with a
/// city's nomination and its technologies, reached from the main navigation.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ProgrammePagesTests(BrowserFixture browser)
{
    private WebApp App => browser.App;

    private const string CreditCode = "91320500000770013C";

    private static async Task ShotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, $"{name}.png"), FullPage = true });

    [SkippableFact]
    public async Task The_programmes_page_shows_the_years_campaign_with_a_citys_nomination_and_its_technologies()
    {
        browser.RequireBrowser();
        await Scenario.RegisterAuditedAsync(App, CreditCode, "苏州典型案例示范电镀有限公司", "吴中区", "电镀", "苏州市吴中区示范路1号", "苏环验〔2025〕770号");
        using (var approver = await App.ApiAsync("approver.province"))
        {
            await OkAsync(approver.PostAsJsonAsync("/api/v1/register", new { creditCode = CreditCode }), "admit");
            await OkAsync(approver.PostAsJsonAsync("/api/v1/programmes/typical-cases", new { year = 2026 }), "start");
        }
        using (var auditOfficer = await App.ApiAsync("audit-officer.suzhou"))
            await OkAsync(auditOfficer.PostAsJsonAsync("/api/v1/programmes/typical-cases/2026/nominations", new
            {
                creditCode = CreditCode, title = "电镀废水分质回用与重金属削减", summary = "分质分流、膜法回用，年节水 12 万吨",
                technologies = new[] { new { name = "电镀废水膜法回用", description = "超滤+反渗透" }, new { name = "三价铬镀铬替代", description = "替代六价铬" } },
            }), "nominate");

        var page = await browser.NewPageAsync();
        await page.GotoAsync("/account/login");
        await page.GetByLabel("用户名").FillAsync("approver.province");
        await page.GetByLabel("密码").FillAsync(WebApp.Password);
        await page.Locator("main").GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/$"));
        await page.GetByRole(AriaRole.Navigation, new() { Name = "主导航" }).GetByRole(AriaRole.Link, new() { Name = "年度专项" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "年度专项", Level = 1 })).ToBeVisibleAsync();
        var campaign = page.Locator("section[aria-labelledby='typical-cases']");
        await Expect(campaign.GetByRole(AriaRole.Heading, new() { Name = "2026 年度" })).ToContainTextAsync("征集推荐中");
        await Expect(campaign.Locator("tbody tr")).ToHaveCountAsync(1);
        await Expect(campaign.Locator("tbody tr")).ToContainTextAsync("电镀废水分质回用与重金属削减");
        await Expect(campaign.Locator("tbody tr")).ToContainTextAsync("电镀废水膜法回用、三价铬镀铬替代");
        await ShotAsync(page, "13-programmes");
        await page.Context.CloseAsync();
    }
}
