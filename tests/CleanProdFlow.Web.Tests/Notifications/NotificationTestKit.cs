using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CleanProdFlow.Data.Database;
using CleanProdFlow.TestSupport;
using CleanProdFlow.Web.Tests.Eia;
using CleanProdFlow.Web.Tests.Workflows;

namespace CleanProdFlow.Web.Tests.Notifications;

/// <summary>Hosts whose virtual clock starts at the EIA acceptance instant (Monday 2026-09-28 09:00 Beijing), one per provider.</summary>
public sealed class NotificationHostsFixture : HostsPerProvider
{
    protected override Task<CpfWebFactory> StartAsync(DatabaseProvider provider) =>
        CpfWebFactory.StartAsync(provider, settings: WorkflowApi.VirtualClock(EiaHostsFixture.Acceptance));
}

/// <summary>What the notification tests do through the API.</summary>
public static class NotificationApi
{
    /// <summary>All of the user's notifications, newest first (every page followed).</summary>
    public static async Task<IReadOnlyList<JsonElement>> NotificationsAsync(this CpfWebFactory host, string username, bool unreadOnly = false)
    {
        var client = await host.SignedInAsync(username);
        var all = new List<JsonElement>();
        string? after = null;
        do
        {
            var response = await client.GetAsync($"/api/v1/notifications?limit=100&unread={(unreadOnly ? "true" : "false")}"
                                                 + (after is null ? "" : $"&after={Uri.EscapeDataString(after)}"));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"notifications of {username}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            var page = await response.JsonAsync();
            all.AddRange(page.GetProperty("notifications").EnumerateArray());
            after = page.GetProperty("next").ValueKind == JsonValueKind.Null ? null : page.GetProperty("next").GetString();
        }
        while (after is not null);
        return all;
    }

    public static async Task<int> UnreadCountAsync(this CpfWebFactory host, string username)
    {
        var response = await (await host.SignedInAsync(username)).GetAsync("/api/v1/notifications/unread-count");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("unread").GetInt32();
    }

    /// <summary>Waits (bounded) until the user has a notification of <paramref name="kind"/>, which a fan-out job makes after the step committed.</summary>
    public static async Task<JsonElement> ArrivedAsync(this CpfWebFactory host, string username, string kind, string? link = null) =>
        await Eventually.UntilAsync<JsonElement>(async () =>
        {
            var found = (await host.NotificationsAsync(username)).Where(n => n.GetProperty("kind").GetString() == kind
                && (link is null || n.GetProperty("link").GetString() == link)).ToList();
            return found.Count > 0 ? found[0] : (JsonElement?)null;
        }, $"a {kind} notification for {username}");

    public static IReadOnlyList<string> Kinds(this IEnumerable<JsonElement> notifications) =>
        notifications.Select(n => n.GetProperty("kind").GetString()!).Order(StringComparer.Ordinal).ToList();

    public static Task<HttpResponseMessage> SetEmailAsync(this HttpClient client, string? email) =>
        client.PutAsJsonAsync("/api/v1/me/email", new { email });
}
