using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CleanProdFlow.Timing;
using CleanProdFlow.Web.Tests.Eia;
using CleanProdFlow.Web.Tests.Workflows;

namespace CleanProdFlow.Web.Tests.Quota;

/// <summary>What the quota tests do through the API.</summary>
public static class QuotaApi
{
    public static async Task<JsonElement> PostCreatedAsync(this CpfWebFactory host, string username, string path, object body)
    {
        var response = await (await host.As(username)).PostAsJsonAsync(path, body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{username} POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.JsonAsync();
    }

    /// <summary>The acceptance document number of the audit EiaApi.EnterpriseAsync records for a test enterprise.</summary>
    public static string AuditNumber(string code) => $"苏环验〔2025〕{code[^5..]}号";

    /// <summary>
    /// Registers an audit-formed reduction on the enterprise's accepted audit (by default the one the test kit recorded),
    /// as Suzhou's audit officer or the province's administrator for another city.
    /// </summary>
    public static Task<JsonElement> ReductionAsync(this CpfWebFactory host, string code, string pollutant, decimal amount, string? reference = null,
        string username = "audit-officer.suzhou") =>
        host.PostCreatedAsync(username, "/api/v1/quota/reductions", new { creditCode = code, pollutant, amount, auditReference = reference ?? AuditNumber(code) });

    /// <summary>Deposits <paramref name="amount"/> of the enterprise's quota into its city reserve through quota-reserve (review and permit task done).</summary>
    public static async Task DepositAsync(this CpfWebFactory host, string code, string pollutant, decimal amount, string recorder, string reviewer)
    {
        var deposit = await host.PostCreatedAsync(recorder, "/api/v1/quota/deposits", new { creditCode = code, pollutant, amount, price = 1000m });
        var instanceId = deposit.GetProperty("instanceId").GetGuid();
        var review = Assert.Single(await host.OpenTasksAsync(instanceId, reviewer));
        await host.DoAsync(reviewer, review.GetProperty("id").GetGuid(), new { outcome = "approve", variables = new { opinion = "同意收储" } });
        var permit = Assert.Single(await host.OpenTasksAsync(instanceId, reviewer));
        Assert.Equal("permit-change", permit.GetProperty("elementId").GetString());
        await host.DoAsync(reviewer, permit.GetProperty("id").GetGuid(), new { variables = new { permitChange = $"许可排放量 {pollutant} 减少 {amount} t/a" } });
    }

    /// <summary>(balance, reserved) of an account in tonnes, (0, 0) when it has none.</summary>
    public static async Task<(decimal Balance, decimal Reserved)> BalanceAsync(this CpfWebFactory host, string holderKind, string holderId, string pollutant)
    {
        var response = await (await host.As("auditor.province")).GetAsync($"/api/v1/quota/accounts?holderKind={holderKind}&holderId={Uri.EscapeDataString(holderId)}&pollutant={pollutant}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var account = (await response.JsonAsync()).EnumerateArray().SingleOrDefault();
        return account.ValueKind == JsonValueKind.Undefined ? (0m, 0m) : (account.GetProperty("balance").GetDecimal(), account.GetProperty("reserved").GetDecimal());
    }

    public static async Task<JsonElement> OfferAsync(this CpfWebFactory host, Guid id, string username = "auditor.province")
    {
        var response = await (await host.As(username)).GetAsync($"/api/v1/quota/offers/{id}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.JsonAsync();
    }

    /// <summary>The open tasks of an instance as <paramref name="username"/> sees them.</summary>
    public static async Task<IReadOnlyList<JsonElement>> OpenTasksAsync(this CpfWebFactory host, Guid instanceId, string username) =>
        await (await host.As(username)).TasksAsync($"instanceId={instanceId}&status=open");

    /// <summary>The Beijing date a task is due by (its due instant is the end of that day).</summary>
    public static DateOnly DueDate(this JsonElement task) => BeijingTime.DateOf(task.GetProperty("dueAt").GetDateTimeOffset().AddTicks(-1));

    public static async Task<IReadOnlyList<JsonElement>> AllocationsAsync(this CpfWebFactory host, string caseNumber, string username = "auditor.province")
    {
        var response = await (await host.As(username)).GetAsync("/api/v1/quota/allocations");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.JsonAsync()).EnumerateArray().Where(a => a.GetProperty("caseNumber").GetString() == caseNumber)
            .OrderBy(a => a.GetProperty("pollutant").GetString(), StringComparer.Ordinal).ToList();
    }
}
