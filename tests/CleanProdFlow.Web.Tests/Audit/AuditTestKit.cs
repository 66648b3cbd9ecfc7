using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CleanProdFlow.Data.Database;
using CleanProdFlow.Web.Tests.Eia;
using CleanProdFlow.Web.Tests.Workflows;
using Dapper;

namespace CleanProdFlow.Web.Tests.Audit;

/// <summary>
/// Hosts whose virtual clock starts on Tuesday 2026-03-10 09:00 (Beijing), the day the test lists are published, one per
/// provider, shared by the tests of one class (each class that moves the clock gets its own instance of this fixture).
/// </summary>
public sealed class AuditHostsFixture : HostsPerProvider
{
    public const string Start = "2026-03-10T09:00:00+08:00";

    protected override Task<CpfWebFactory> StartAsync(DatabaseProvider provider) =>
        CpfWebFactory.StartAsync(provider, settings: WorkflowApi.VirtualClock(Start));
}

/// <summary>What the audit tests do through the API.</summary>
public static class AuditApi
{
    private static int _nextEnterprise = 9000;

    public const string ListReference = "苏环办〔2026〕12号";

    /// <summary>Registers an enterprise of <paramref name="city"/> with, optionally, one accepted audit.</summary>
    public static async Task<string> EnterpriseAsync(this CpfWebFactory host, string city = "suzhou", string? acceptedOn = null, string? level = null)
    {
        var code = CreditCodes.Make(Interlocked.Increment(ref _nextEnterprise), city == "suzhou" ? "320500" : "320100");
        var admin = await host.As("admin.province");
        var created = await admin.PostAsJsonAsync("/api/v1/enterprises", new
        {
            creditCode = code, name = $"江苏审核{code[^5..]}材料有限公司", city, county = "工业园区", industry = "电镀", address = "工业园区1号", onlineMonitoring = true,
        });
        Assert.True(created.StatusCode == HttpStatusCode.Created, $"register {code}: {await created.Content.ReadAsStringAsync()}");
        if (acceptedOn is not null)
        {
            var audit = await admin.PostAsJsonAsync($"/api/v1/enterprises/{code}/audit-results",
                new { acceptedOn, level, authority = "苏州市生态环境局", documentNumber = DocumentOf(code) });
            Assert.True(audit.StatusCode == HttpStatusCode.Created, $"audit of {code}: {await audit.Content.ReadAsStringAsync()}");
        }
        return code;
    }

    public static string DocumentOf(string code) => $"苏环验〔2021〕{code[^5..]}号";

    public static Task<HttpResponseMessage> ListAsync(this HttpClient client, object body, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/audit-cycles") { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null)
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        return client.SendAsync(request);
    }

    /// <summary>Records a list of one enterprise published on <paramref name="listedOn"/>; returns the cycle id.</summary>
    public static async Task<Guid> ListedAsync(this CpfWebFactory host, string code, string listedOn = "2026-03-10", string reference = ListReference)
    {
        var response = await (await host.As("audit-officer.suzhou")).ListAsync(new { listReference = reference, listedOn, creditCodes = new[] { code } });
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"list {code}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return Assert.Single((await response.JsonAsync()).EnumerateArray()).GetProperty("id").GetGuid();
    }

    public static async Task<JsonElement> CycleAsync(this CpfWebFactory host, Guid id, string username = "auditor.province")
    {
        var response = await (await host.As(username)).GetAsync($"/api/v1/audit-cycles/{id}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"cycle {id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.JsonAsync();
    }

    public static Guid InstanceOf(this JsonElement cycle) => cycle.GetProperty("cycle").GetProperty("instanceId").GetGuid();

    public static string Status(this JsonElement cycle) => cycle.GetProperty("cycle").GetProperty("status").GetString()!;

    public static JsonElement Clock(this JsonElement cycle, string name) =>
        cycle.GetProperty("clocks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    public static IReadOnlyList<string> OpenTasks(this JsonElement cycle) =>
        cycle.GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("elementId").GetString()!).Order(StringComparer.Ordinal).ToList();

    public static Guid TaskOf(this JsonElement cycle, string elementId) =>
        cycle.GetProperty("tasks").EnumerateArray().Single(t => t.GetProperty("elementId").GetString() == elementId).GetProperty("id").GetGuid();

    public static Task<HttpResponseMessage> RequestExtensionAsync(this HttpClient client, Guid cycleId, object body) =>
        client.PostAsJsonAsync($"/api/v1/audit-cycles/{cycleId}/extension-requests", body);

    /// <summary>The pending timers of an instance by element, read from the timer table itself.</summary>
    public static async Task<IReadOnlyDictionary<string, DateTimeOffset>> PendingTimersAsync(this CpfWebFactory host, Guid instanceId)
    {
        await using var connection = await host.Service<CpfDatabase>().OpenAsync();
        var rows = await connection.QueryAsync<TimerRow>(
            "SELECT element_id AS ElementId, due_at AS DueAt FROM workflow_timers WHERE instance_id = @instanceId AND status = 'pending'", new { instanceId });
        return rows.ToDictionary(r => r.ElementId, r => r.DueAt);
    }

    public static async Task<T> ScalarAsync<T>(this CpfWebFactory host, string sql, object? parameters = null)
    {
        await using var connection = await host.Service<CpfDatabase>().OpenAsync();
        return (await connection.ExecuteScalarAsync<T>(sql, parameters))!;
    }

    private sealed class TimerRow
    {
        public string ElementId { get; init; } = "";
        public DateTimeOffset DueAt { get; init; }
    }

    public static DateTimeOffset At(string beijing) => EiaApi.At(beijing);
}
