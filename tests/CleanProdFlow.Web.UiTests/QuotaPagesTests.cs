using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static CleanProdFlow.Web.UiTests.Scenario;
using static Microsoft.Playwright.Assertions;

namespace CleanProdFlow.Web.UiTests;

/// <summary>
/// The quota page (总量指标) in Chromium: Suzhou's quota officer reaches it from the main navigation and sees an
/// enterprise's balance with the amount its open offer holds, opens the account's movements (the audit-formed
/// reduction with the acceptance number it stands on) and the offer under review.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class QuotaPagesTests(BrowserFixture browser)
{
    private WebApp App => browser.App;

    private const string CreditCode = "913205000008800287";
    private const string AuditNumber = "苏环验〔2025〕880号";

    [SkippableFact]
    public async Task The_quota_page_shows_the_citys_balances_an_accounts_movements_and_the_open_offer()
    {
        browser.RequireBrowser();
        await Scenario.RegisterAuditedAsync(App, CreditCode, "苏州总量示范印染有限公司", "吴江区", "印染", "苏州市吴江区示范路8号", AuditNumber);
        using (var auditOfficer = await App.ApiAsync("audit-officer.suzhou"))
            await OkAsync(auditOfficer.PostAsJsonAsync("/api/v1/quota/reductions",
                new { creditCode = CreditCode, pollutant = "COD", amount = 3.5m, auditReference = AuditNumber }), "reduction");
        using (var quotaOfficer = await App.ApiAsync("quota-officer.suzhou"))
            await OkAsync(quotaOfficer.PostAsJsonAsync("/api/v1/quota/offers", new { creditCode = CreditCode, pollutant = "COD", amount = 1m, price = 1200m }), "offer");

        var page = await browser.NewPageAsync();
        await page.GotoAsync("/account/login");
        await page.GetByLabel("用户名").FillAsync("quota-officer.suzhou");
        await page.GetByLabel("密码").FillAsync(WebApp.Password);
        await page.Locator("main").GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/$"));
        await page.GetByRole(AriaRole.Navigation, new() { Name = "主导航" }).GetByRole(AriaRole.Link, new() { Name = "总量指标" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "总量指标", Level = 1 })).ToBeVisibleAsync();
        var row = page.Locator("section[aria-labelledby='balances'] tbody tr", new() { HasText = CreditCode });
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row.Locator("td")).ToHaveTextAsync(["苏州市生态环境局", "化学需氧量（COD）", "3.500", "1.000", "2.500"]);
        var offers = page.Locator("section[aria-labelledby='offers'] tbody tr.offer", new() { HasText = CreditCode });
        await Expect(offers).ToContainTextAsync("审核中");
        await Expect(offers).ToContainTextAsync("1200.00");

        await row.GetByRole(AriaRole.Link, new() { Name = CreditCode }).ClickAsync();
        var movements = page.Locator("section[aria-labelledby='movements']");
        await Expect(movements.GetByRole(AriaRole.Heading)).ToContainTextAsync(CreditCode);
        await Expect(movements.Locator("tbody tr")).ToHaveCountAsync(1);
        await Expect(movements.Locator("tbody tr")).ToContainTextAsync("审核减排量核定");
        await Expect(movements.Locator("tbody tr")).ToContainTextAsync(AuditNumber);
        await Expect(movements.Locator("tbody tr")).ToContainTextAsync("+3.500");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "14-quota.png"), FullPage = true });

        // Another city's account is not shown: the 404 page.
        var response = await page.GotoAsync("/quota?holderKind=city-reserve&holderId=nanjing&pollutant=COD");
        Assert.Equal(404, response!.Status);
        await page.Context.CloseAsync();
    }
}
