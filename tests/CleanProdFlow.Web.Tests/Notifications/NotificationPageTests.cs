using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using CleanProdFlow.Data.Database;
using CleanProdFlow.Web.Tests.Workflows;

namespace CleanProdFlow.Web.Tests.Notifications;

/// <summary>The notification centre page and the unread count in the header of every page, in both languages.</summary>
public sealed partial class NotificationPageTests(NotificationHostsFixture hosts) : IClassFixture<NotificationHostsFixture>
{
    [GeneratedRegex("""name="__RequestVerificationToken" type="hidden" value="([^"]+)" """)]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex("id=\"notification-count\" href=\"/notifications\" data-unread=\"(\\d+)\"")]
    private static partial Regex HeaderCount();

    private static async Task<HttpClient> BrowserAsync(CpfWebFactory host, string username)
    {
        var browser = host.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        browser.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        var token = AntiforgeryField().Match(await browser.GetStringAsync("/account/login")).Groups[1].Value;
        var signIn = await browser.PostAsync("/account/login", new FormUrlEncodedContent([
            new("Username", username), new("Password", CpfWebFactory.Password), new("__RequestVerificationToken", token),
        ]));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        return browser;
    }

    private static int Count(string html) => int.Parse(HeaderCount().Match(html).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task The_centre_lists_my_notifications_and_the_header_counts_the_unread_on_every_page()
    {
        var host = await hosts.HostAsync(DatabaseProvider.Sqlite);
        await host.EnsureUserAsync("page.suzhou", "suzhou", "review");
        var key = TestDefinitions.NewKey("notify-page");
        await (await host.SignedInAsync("admin.province")).DeployAsync(TestDefinitions.SingleTask(key));
        var starter = await host.SignedInAsync("review.suzhou");
        var instance = await starter.StartAsync(key, "页面-1");
        var task = await starter.OpenTaskAsync(instance, "check");
        await host.ArrivedAsync("page.suzhou", "task", $"/tasks/{task:D}");
        var unread = await host.UnreadCountAsync("page.suzhou");
        Assert.True(unread >= 1);

        var browser = await BrowserAsync(host, "page.suzhou");
        foreach (var page in new[] { "/", "/inbox", "/register" })
            Assert.Equal(unread, Count(await browser.GetStringAsync(page)));

        var centre = await browser.GetStringAsync("/notifications");
        Assert.Contains("通知中心", centre);
        Assert.Contains("【新待办】核查 · 页面-1", centre);
        Assert.Contains($"href=\"/tasks/{task:D}\"", centre);
        Assert.Equal(unread, Count(centre));

        // Mark all read (a plain form post): the header says 0 everywhere.
        var token = AntiforgeryField().Match(centre).Groups[1].Value;
        var readAll = await browser.PostAsync("/notifications?handler=ReadAll", new FormUrlEncodedContent([new("__RequestVerificationToken", token)]));
        Assert.Equal(HttpStatusCode.Redirect, readAll.StatusCode);
        Assert.Equal(0, Count(await browser.GetStringAsync("/notifications")));
        Assert.Equal(0, Count(await browser.GetStringAsync("/inbox")));
        Assert.Contains("没有未读通知", await browser.GetStringAsync("/notifications?unread=true"));

        // English.
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/culture/en?returnUrl=/notifications")).StatusCode);
        var english = await browser.GetStringAsync("/notifications");
        Assert.Contains("[New task] 核查 · 页面-1", english);
        Assert.Contains("Notifications: 0 unread", english);

        // Another user's page shows none of these.
        var other = await BrowserAsync(host, "publicity.suzhou");
        Assert.DoesNotContain($"/tasks/{task:D}", await other.GetStringAsync("/notifications"));
    }
}
