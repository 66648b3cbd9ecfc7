using System.Net;
using System.Net.Http.Json;
using CleanProdFlow.Data.Database;
using CleanProdFlow.Web.Tests.Eia;
using CleanProdFlow.Web.Tests.Revocation;
using CleanProdFlow.Web.Tests.Workflows;
using static CleanProdFlow.Web.Tests.Eia.EiaApi;

namespace CleanProdFlow.Web.Tests.Quota;

/// <summary>
/// Reserve deposits (收储) and priority allocation (measure 8) on SQLite and PostgreSQL: a deposit is reviewed (due in
/// 10 working days: 2026-10-16), transferred into the city reserve and followed by a permit change; a rejected one
/// releases its hold. A green-channel case whose need the city reserve covers is allocated from it without a task;
/// one it cannot cover goes to the city's officer, then to the province, which allocates from the reserve it names
/// (an empty one sends the task back) — and a revocation decided meanwhile withdraws the requests' priority.
/// </summary>
public sealed class QuotaAllocationTests(EiaHostsFixture hosts) : IClassFixture<EiaHostsFixture>
{
    /// <summary>Deposits <paramref name="amount"/> of the enterprise's quota into its city reserve through quota-reserve.</summary>
    private static async Task DepositAsync(CpfWebFactory host, string code, string pollutant, decimal amount, string recorder, string reviewer)
    {
        var deposit = await host.PostCreatedAsync(recorder, "/api/v1/quota/deposits", new { creditCode = code, pollutant, amount, price = 1000m });
        var instanceId = deposit.GetProperty("instanceId").GetGuid();
        var review = Assert.Single(await host.OpenTasksAsync(instanceId, reviewer));
        Assert.Equal(Date("2026-10-16"), review.DueDate());
        await host.DoAsync(reviewer, review.GetProperty("id").GetGuid(), new { outcome = "approve", variables = new { opinion = "同意收储" } });
        var permit = Assert.Single(await host.OpenTasksAsync(instanceId, reviewer));
        Assert.Equal("permit-change", permit.GetProperty("elementId").GetString());
        Assert.Equal(Date("2026-10-30"), permit.DueDate());
        await host.DoAsync(reviewer, permit.GetProperty("id").GetGuid(), new { variables = new { permitChange = $"许可排放量 {pollutant} 减少 {amount} t/a" } });
    }

    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_city_reserve_covers_what_it_can_and_the_province_allocates_the_rest_from_the_reserve_it_names(DatabaseProvider provider)
    {
        var host = await hosts.HostAsync(provider);
        await host.EnsureUserAsync("quota-officer.nanjing", "nanjing", "quota-officer");
        await host.EnsureUserAsync("enforcement.suzhou", "suzhou", "enforcement");

        // Suzhou's reserve gets 1 t/a COD from a deposit; a rejected deposit releases its hold.
        var depositor = await host.EnterpriseAsync(eligible: true);
        await host.ReductionAsync(depositor, "COD", 5m);
        await DepositAsync(host, depositor, "COD", 1m, "quota-officer.suzhou", "quota-officer.suzhou");
        Assert.Equal((4m, 0m), await host.BalanceAsync("enterprise", depositor, "COD"));
        Assert.Equal((1m, 0m), await host.BalanceAsync("city-reserve", "suzhou", "COD"));
        var refused = await host.PostCreatedAsync("quota-officer.suzhou", "/api/v1/quota/deposits", new { creditCode = depositor, pollutant = "COD", amount = 3m, price = 900m });
        Assert.Equal((4m, 3m), await host.BalanceAsync("enterprise", depositor, "COD"));
        await host.DoAsync("quota-officer.suzhou", await host.TaskAsync(refused.GetProperty("instanceId").GetGuid(), "review-deposit", "quota-officer.suzhou"),
            new { outcome = "reject", variables = new { opinion = "收储价格不符合规定" } });
        Assert.Equal((4m, 0m), await host.BalanceAsync("enterprise", depositor, "COD"));

        // Case 1: the reserve covers 0.6 t/a → allocated at once, no quota task.
        var covered = await host.AdvancedEnterpriseAsync();
        var case1 = (await host.AcceptedAsync(Application(covered, quotaNeeds: new Dictionary<string, decimal> { ["COD"] = 0.6m }))).GetProperty("caseNumber").GetString()!;
        Assert.Equal(["assessment", "publish", "review"], (await (await host.As("acceptance.suzhou")).CaseAsync(case1)).OpenTasks());
        var allocation1 = Assert.Single(await host.AllocationsAsync(case1));
        Assert.Equal(("allocated", "city-reserve", "suzhou", true), (allocation1.GetProperty("status").GetString(), allocation1.GetProperty("sourceKind").GetString(),
            allocation1.GetProperty("sourceId").GetString(), allocation1.GetProperty("priority").GetBoolean()));
        Assert.Equal((0.6m, 0m), await host.BalanceAsync("enterprise", covered, "COD"));
        Assert.Equal((0.4m, 0m), await host.BalanceAsync("city-reserve", "suzhou", "COD"));

        // Case 2: 1.2 t/a COD and 0.15 t/a NH3-N are more than Suzhou's reserve → the city's officer, who escalates.
        var escalated = await host.AdvancedEnterpriseAsync();
        var case2 = (await host.AcceptedAsync(Application(escalated, quotaNeeds: new Dictionary<string, decimal> { ["COD"] = 1.2m, ["NH3-N"] = 0.15m })))
            .GetProperty("caseNumber").GetString()!;
        var view = await (await host.As("acceptance.suzhou")).CaseAsync(case2);
        Assert.Equal(["assessment", "publish", "quota-city", "review"], view.OpenTasks());
        Assert.All(await host.AllocationsAsync(case2), a => Assert.Equal(("waiting", true), (a.GetProperty("status").GetString(), a.GetProperty("priority").GetBoolean())));
        Assert.Equal((0.4m, 0m), await host.BalanceAsync("city-reserve", "suzhou", "COD")); // nothing taken for a need it cannot cover
        await host.DoAsync("quota-officer.suzhou", view.TaskId("quota-city"), new { outcome = "cannot-balance", variables = new { source = "本市储备不足" } });
        view = await (await host.As("acceptance.suzhou")).CaseAsync(case2);
        Assert.Contains("quota-province", view.OpenTasks());

        // The enterprise's incentives are revoked while the request waits: it loses the advanced-enterprise priority.
        var enforcement = await host.As("enforcement.suzhou");
        Assert.Equal(HttpStatusCode.Created, (await enforcement.PenaltyAsync(escalated, $"苏环罚〔2026〕{escalated[^4..]}号")).StatusCode);
        var revocation = Assert.Single(await host.RevocationsAsync(escalated));
        var revocationInstance = revocation.GetProperty("instanceId").GetGuid();
        await host.DoAsync("enforcement.suzhou", await host.TaskAsync(revocationInstance, "verify", "enforcement.suzhou"),
            new { outcome = "confirmed", variables = new { findings = "处罚决定书已生效" } });
        await host.DoAsync("enforcement.suzhou", await host.TaskAsync(revocationInstance, "notify", "enforcement.suzhou"),
            new { variables = new { noticeNumber = "苏环告〔2026〕9号", deliveredOn = "2026-09-28" } });
        Assert.Equal(HttpStatusCode.OK, (await enforcement.PostAsJsonAsync($"/api/v1/revocations/{revocation.GetProperty("id").GetGuid()}/statement",
            new { statement = "无异议" })).StatusCode);
        await host.DoAsync("enforcement.suzhou", await host.TaskAsync(revocationInstance, "review-statement", "enforcement.suzhou"),
            new { outcome = "rejected", variables = new { reviewOpinion = "不予采纳" } });
        await host.DoAsync("approver.province", await host.TaskAsync(revocationInstance, "decide", "approver.province"),
            new { outcome = "revoke", variables = new { decisionNumber = "苏环激〔2026〕9号", reasons = "受到生态环境行政处罚" } });
        var decided = await host.RevocationAsync(revocation.GetProperty("id").GetGuid());
        Assert.Equal(2, decided.GetProperty("effect").GetProperty("quotaAllocationsPriorityWithdrawn").GetInt32());
        Assert.All(await host.AllocationsAsync(case2), a =>
        {
            Assert.False(a.GetProperty("priority").GetBoolean());
            Assert.Equal("waiting", a.GetProperty("status").GetString());
            Assert.NotEqual(System.Text.Json.JsonValueKind.Null, a.GetProperty("priorityWithdrawnAt").ValueKind);
        });
        Assert.True((await host.AllocationsAsync(case1))[0].GetProperty("priority").GetBoolean()); // an allocated request keeps what it got

        // The province names its own reserve, which is empty → the task comes back; then Nanjing's reserve, which covers it.
        var provinceTask = await host.TaskAsync(view.InstanceId(), "quota-province", "quota-officer.province");
        await host.DoAsync("quota-officer.province", provinceTask, new { variables = new { source = "省级储备库", reserve = "province" } });
        var again = await host.TaskAsync(view.InstanceId(), "quota-province", "quota-officer.province");
        Assert.NotEqual(provinceTask, again);
        Assert.All(await host.AllocationsAsync(case2), a => Assert.Equal("waiting", a.GetProperty("status").GetString()));
        var nanjingFirm = await host.EnterpriseAsync(eligible: true, city: "nanjing");
        await host.ReductionAsync(nanjingFirm, "COD", 3m, username: "admin.province");
        await host.ReductionAsync(nanjingFirm, "NH3-N", 1m, username: "admin.province");
        await DepositAsync(host, nanjingFirm, "COD", 2m, "admin.province", "quota-officer.nanjing");
        await DepositAsync(host, nanjingFirm, "NH3-N", 0.5m, "admin.province", "quota-officer.nanjing");
        await host.DoAsync("quota-officer.province", again, new { variables = new { source = "南京市储备库调剂", reserve = "nanjing" } });

        var allocations = await host.AllocationsAsync(case2);
        Assert.Equal(["COD", "NH3-N"], allocations.Select(a => a.GetProperty("pollutant").GetString()));
        Assert.All(allocations, a => Assert.Equal(("allocated", "city-reserve", "nanjing"),
            (a.GetProperty("status").GetString(), a.GetProperty("sourceKind").GetString(), a.GetProperty("sourceId").GetString())));
        Assert.Equal((1.2m, 0m), await host.BalanceAsync("enterprise", escalated, "COD"));
        Assert.Equal((0.15m, 0m), await host.BalanceAsync("enterprise", escalated, "NH3-N"));
        Assert.Equal((0.8m, 0m), await host.BalanceAsync("city-reserve", "nanjing", "COD"));
        Assert.Equal((0.35m, 0m), await host.BalanceAsync("city-reserve", "nanjing", "NH3-N"));
        Assert.DoesNotContain((await (await host.As("acceptance.suzhou")).CaseAsync(case2)).OpenTasks(), t => t.StartsWith("quota", StringComparison.Ordinal));
        // Suzhou's staff see their city's allocations only; Nanjing's officer sees none of Suzhou's cases.
        Assert.Empty(await host.AllocationsAsync(case2, "quota-officer.nanjing"));
        Assert.Equal(2, (await host.AllocationsAsync(case2, "quota-officer.suzhou")).Count);
    }
}
