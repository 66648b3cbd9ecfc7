using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CleanProdFlow.Data.Database;
using CleanProdFlow.Timing;
using CleanProdFlow.Timing.Calendars;
using CleanProdFlow.Timing.Rules;
using CleanProdFlow.Web.Tests.Workflows;

namespace CleanProdFlow.Web.Tests.Eia;

/// <summary>
/// Hosts whose virtual clock starts on Monday 2026-09-28 09:00 (Beijing), the acceptance date of issue 6's
/// scenarios, one per provider, created when a test first asks and shared by the tests of one class. The clock
/// only moves forward, so each class that moves it has its own fixture.
/// </summary>
public sealed class EiaHostsFixture : HostsPerProvider
{
    public const string Acceptance = "2026-09-28T09:00:00+08:00";

    protected override Task<CpfWebFactory> StartAsync(DatabaseProvider provider) =>
        CpfWebFactory.StartAsync(provider, settings: WorkflowApi.VirtualClock(Acceptance));
}

/// <summary>What the EIA tests do through the API, and the Timing library's own answers to compare with.</summary>
public static class EiaApi
{
    private static int _nextEnterprise = 6000;

    /// <summary>The shipped calendar and rules, read by the Timing library itself (not through the host).</summary>
    public static readonly WorkingDayCalendar Calendar = WorkingDayCalendar.Parse(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "workflows", "calendars", "cn-mainland.json"))).Value;

    public static readonly TimeLimitRuleSet Rules = TimeLimitRuleSet.Parse(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "workflows", "time-limits.json"))).Value;

    public static DateTimeOffset At(string beijing) => DateTimeOffset.Parse(beijing, System.Globalization.CultureInfo.InvariantCulture);

    public static DateOnly Date(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A fresh sign-in: moving the virtual clock expires earlier tokens.</summary>
    public static Task<HttpClient> As(this CpfWebFactory host, string username) => host.SignedInAsync(username);

    public static async Task<HttpClient> InEnglishAsync(this CpfWebFactory host, string username)
    {
        var client = await host.SignedInAsync(username);
        client.DefaultRequestHeaders.AcceptLanguage.Add(new StringWithQualityHeaderValue("en"));
        return client;
    }

    /// <summary>Moves the virtual clock to a Beijing instant, firing every timer due by then.</summary>
    public static async Task AdvanceToAsync(this CpfWebFactory host, string beijing)
    {
        var admin = await host.As("admin.province");
        var response = await admin.AdvanceAsync(new { to = beijing });
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"advance to {beijing}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Registers a Suzhou enterprise; an eligible one gets a level-Ⅱ audit accepted in 2025, an ineligible one a level-Ⅲ audit.</summary>
    public static async Task<string> EnterpriseAsync(this CpfWebFactory host, bool eligible, string city = "suzhou")
    {
        var code = CreditCodes.Make(Interlocked.Increment(ref _nextEnterprise), city == "suzhou" ? "320500" : "320100");
        var registrar = await host.As(city == "suzhou" ? "acceptance.suzhou" : "admin.province");
        var created = await registrar.PostAsJsonAsync("/api/v1/enterprises", new
        {
            creditCode = code, name = $"江苏测试{code[^5..]}化工有限公司", city, county = "工业园区", industry = "化工",
            address = "苏州市工业园区星湖街1号", onlineMonitoring = true,
        });
        Assert.True(created.StatusCode == HttpStatusCode.Created, $"register {code}: {await created.Content.ReadAsStringAsync()}");
        var auditor = await host.As(city == "suzhou" ? "audit-officer.suzhou" : "admin.province");
        var audit = await auditor.PostAsJsonAsync($"/api/v1/enterprises/{code}/audit-results",
            new { acceptedOn = "2025-06-30", level = eligible ? "Ⅱ" : "Ⅲ", authority = "苏州市生态环境局", documentNumber = $"苏环验〔2025〕{code[^5..]}号" });
        Assert.True(audit.StatusCode == HttpStatusCode.Created, $"audit of {code}: {await audit.Content.ReadAsStringAsync()}");
        return code;
    }

    public static Task<HttpResponseMessage> SubmitAsync(this HttpClient client, object application) =>
        client.PostAsJsonAsync("/api/v1/eia/applications", application);

    public static object Application(string creditCode, string documentType = "report", object? quotaNeeds = null, string city = "suzhou",
        string receivedAt = EiaHostsFixture.Acceptance) =>
        new { creditCode, projectName = "年产 5 万吨精细化学品扩建项目", kind = "expand", documentType, city, quotaNeeds, receivedAt };

    /// <summary>Submits as acceptance.suzhou and expects 201; returns the answer.</summary>
    public static async Task<JsonElement> AcceptedAsync(this CpfWebFactory host, object application, string username = "acceptance.suzhou")
    {
        var response = await (await host.As(username)).SubmitAsync(application);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"submit answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.JsonAsync();
    }

    public static async Task<JsonElement> CaseAsync(this HttpClient client, string caseNumber)
    {
        var response = await client.GetAsync($"/api/v1/eia/applications/{Uri.EscapeDataString(caseNumber)}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"case {caseNumber}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.JsonAsync();
    }

    public static JsonElement DecisionClock(this JsonElement caseView) =>
        caseView.GetProperty("clocks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "eia.decision");

    public static string? DueDate(this JsonElement clock) =>
        clock.GetProperty("dueDate").ValueKind == JsonValueKind.Null ? null : clock.GetProperty("dueDate").GetString();

    /// <summary>The element ids of the case's open tasks, sorted.</summary>
    public static IReadOnlyList<string> OpenTasks(this JsonElement caseView) =>
        caseView.GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("elementId").GetString()!).Order(StringComparer.Ordinal).ToList();

    public static Guid TaskId(this JsonElement caseView, string elementId) =>
        caseView.GetProperty("tasks").EnumerateArray().Single(t => t.GetProperty("elementId").GetString() == elementId).GetProperty("id").GetGuid();

    public static Guid InstanceId(this JsonElement caseView) => caseView.GetProperty("instance").GetProperty("id").GetGuid();

    /// <summary>Completes a task and expects 200.</summary>
    public static async Task DoAsync(this CpfWebFactory host, string username, Guid taskId, object body)
    {
        var response = await (await host.As(username)).CompleteAsync(taskId, body);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{username} completing {taskId}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>The current due instant of the timer waiting at <paramref name="eventId"/> (the last armed or rescheduled one).</summary>
    public static DateTimeOffset? TimerDue(this JsonElement caseView, string eventId)
    {
        DateTimeOffset? due = null;
        foreach (var entry in caseView.GetProperty("journal").EnumerateArray().Where(j => j.GetProperty("elementId").GetString() == eventId))
        {
            var kind = entry.GetProperty("kind").GetString();
            var data = entry.GetProperty("data");
            if (kind == "timer.armed")
                due = data.GetProperty("dueAt").GetDateTimeOffset();
            else if (kind == "timer.rescheduled")
                due = data.GetProperty("dueAfter").ValueKind == JsonValueKind.Null ? null : data.GetProperty("dueAfter").GetDateTimeOffset();
            else if (kind is "timer.waiting" or "timer.cancelled" or "timer.fired")
                due = null;
        }
        return due;
    }

    public static bool Fired(this JsonElement caseView, string eventId) =>
        caseView.GetProperty("journal").EnumerateArray().Any(j => j.GetProperty("kind").GetString() == "timer.fired" && j.GetProperty("elementId").GetString() == eventId);

    public static string Beijing(DateTimeOffset instant) => instant.ToBeijing().ToString("yyyy-MM-ddTHH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);
}
