using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using CleanProdFlow.TestSupport;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CleanProdFlow.Web.UiTests;

/// <summary>
/// The unread count in the page header and the notification centre in Chromium. A Wuxi user of its own (the other
/// browser tests work in Suzhou) starts a case; its first task, for the user's group, becomes a notification after
/// the step committed; the header shows it on every page, the centre lists it, "mark all read" clears the count.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class NotificationPagesTests(BrowserFixture browser)
{
    private WebApp App => browser.App;

    private static async Task ShotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, $"{name}.png"), FullPage = true });

    [SkippableFact]
    public async Task The_header_counts_unread_notifications_and_the_centre_clears_them()
    {
        browser.RequireBrowser();
        const string user = "notify.wuxi";
        using (var admin = await App.ApiAsync("admin.province"))
        {
            var created = await admin.PostAsJsonAsync("/api/v1/admin/users",
                new { username = user, displayName = "通知测试", organisation = "wuxi", roles = new[] { "acceptance" }, password = WebApp.Password });
            Assert.True(created.IsSuccessStatusCode || created.StatusCode == System.Net.HttpStatusCode.Conflict, $"create {user}: {(int)created.StatusCode}");
        }
        await Scenario.DeployAsync(App);
        using var api = await App.ApiAsync(user);
        await Scenario.StartCaseAsync(api, "WX-UI-NOTIFY", "无锡绿色材料有限公司", "91320200MA1W9L3X2C");
        await Eventually.UntilAsync<int>(async () =>
        {
            var count = (await api.GetFromJsonAsync<JsonElement>("/api/v1/notifications/unread-count")).GetProperty("unread").GetInt32();
            return count == 1 ? count : null;
        }, "the new task's notification");

        var page = await browser.NewPageAsync();
        await page.GotoAsync("/account/login");
        await page.GetByLabel("用户名").FillAsync(user);
        await page.GetByLabel("密码").FillAsync(WebApp.Password);
        await page.Locator("main").GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/$"));

        var count = page.Locator("#notification-count");
        await Expect(count.Locator(".badge")).ToHaveTextAsync("1");
        await Expect(count).ToHaveAttributeAsync("aria-label", "通知：1 条未读");
        await ShotAsync(page, "60-header-unread-count");
        await page.GotoAsync("/inbox");
        await Expect(count.Locator(".badge")).ToHaveTextAsync("1");

        await count.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "通知中心", Level = 1 })).ToBeVisibleAsync();
        var row = page.Locator("tr", new() { HasText = "WX-UI-NOTIFY" });
        await Expect(row).ToContainTextAsync("新待办");
        await Expect(row).ToHaveClassAsync(new Regex("unread"));
        await ShotAsync(page, "61-notification-centre");

        await page.GetByRole(AriaRole.Button, new() { Name = "全部标为已读" }).ClickAsync();
        await Expect(count.Locator(".badge")).ToHaveTextAsync("0");
        await Expect(row).ToHaveClassAsync(new Regex("(^| )read"));
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("已将 1 条通知标为已读");
    }
}
