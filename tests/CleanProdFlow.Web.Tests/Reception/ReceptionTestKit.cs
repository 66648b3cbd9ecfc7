using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CleanProdFlow.Data.Database;
using CleanProdFlow.Web.Tests.Eia;
using CleanProdFlow.Web.Tests.Workflows;

namespace CleanProdFlow.Web.Tests.Reception;

/// <summary>
/// Hosts whose virtual clock starts on Monday 2026-09-28 09:00 (Beijing), the day of the reception-day session in the
/// scenarios (the answer limit spans 国庆), one per provider, shared by the tests of one class. The clock only moves
/// forward, so each class that moves it has its own fixture.
/// </summary>
public sealed class ReceptionHostsFixture : HostsPerProvider
{
    public const string SessionDay = "2026-09-28";

    protected override Task<CpfWebFactory> StartAsync(DatabaseProvider provider) =>
        CpfWebFactory.StartAsync(provider, settings: WorkflowApi.VirtualClock($"{SessionDay}T09:00:00+08:00"));
}

/// <summary>What the reception-day tests do through the API.</summary>
public static class ReceptionApi
{
    public static Task<HttpResponseMessage> CreateSessionAsync(this HttpClient client, string date = ReceptionHostsFixture.SessionDay,
        string? organisation = null) =>
        client.PostAsJsonAsync("/api/v1/reception/sessions",
            new { date, place = "苏州市生态环境局一楼接待室", host = "王副局长", topic = "清洁生产先进企业专场", organisation });

    /// <summary>A Suzhou session on <paramref name="date"/>, scheduled by acceptance.suzhou; returns its id.</summary>
    public static async Task<Guid> SessionAsync(this CpfWebFactory host, string date = ReceptionHostsFixture.SessionDay, string username = "acceptance.suzhou")
    {
        var response = await (await host.As(username)).CreateSessionAsync(date);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"session answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.JsonAsync()).GetProperty("id").GetGuid();
    }

    public static object Request(string creditCode, string category = "technology", string request = "印染废水提标改造技术路线咨询") =>
        new { creditCode, contactName = "李工", contactPhone = "0512-66668888", category, request };

    public static Task<HttpResponseMessage> RecordAsync(this HttpClient client, Guid sessionId, object body, string? idempotencyKey = null)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/reception/sessions/{sessionId}/requests") { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null)
            message.Headers.Add("Idempotency-Key", idempotencyKey);
        return client.SendAsync(message);
    }

    /// <summary>Records (as acceptance.suzhou unless told) and expects 201; returns the request's row.</summary>
    public static async Task<JsonElement> RecordedAsync(this CpfWebFactory host, Guid sessionId, object body, string username = "acceptance.suzhou")
    {
        var response = await (await host.As(username)).RecordAsync(sessionId, body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"intake answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.JsonAsync();
    }

    public static async Task<JsonElement> SessionListAsync(this CpfWebFactory host, Guid sessionId, string username = "auditor.province")
    {
        var response = await (await host.As(username)).GetAsync($"/api/v1/reception/sessions/{sessionId}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"session {sessionId}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.JsonAsync();
    }

    /// <summary>The session list's row of <paramref name="requestNumber"/>.</summary>
    public static async Task<JsonElement> RowAsync(this CpfWebFactory host, Guid sessionId, string requestNumber) =>
        (await host.SessionListAsync(sessionId)).GetProperty("requests").EnumerateArray()
        .Single(r => r.GetProperty("requestNumber").GetString() == requestNumber);

    public static string? Text(this JsonElement element, string property) =>
        element.GetProperty(property).ValueKind == JsonValueKind.Null ? null : element.GetProperty(property).GetString();

    /// <summary>The element ids of the instance's open tasks as <paramref name="username"/> sees them, sorted.</summary>
    public static async Task<IReadOnlyList<string>> OpenTasksAsync(this CpfWebFactory host, Guid instanceId, string username = "auditor.province") =>
        (await (await host.As(username)).TasksAsync($"instanceId={instanceId}&status=open")).Select(t => t.GetProperty("elementId").GetString()!)
        .Order(StringComparer.Ordinal).ToList();
}
