using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using CleanProdFlow.Data.Database;
using CleanProdFlow.Engine.Execution;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.Web.Tests.Compliance;
using CleanProdFlow.Web.Tests.Eia;
using CleanProdFlow.Web.Tests.Revocation;
using CleanProdFlow.Web.Tests.Workflows;

namespace CleanProdFlow.Web.Tests.Programmes;

/// <summary>
/// Issue 9 part 4 end to end on the virtual clock (starting 2026-10-12): the batch of 2026 starts itself on
/// 2 January 2027, its selection clock ends on 30 June 2027, a revoked enterprise is excluded at the build and one
/// revoked after it is dropped at the recommendation, the rest join green-finance-pool; a second start does nothing.
/// </summary>
public sealed class GreenFinanceBatchTests(VirtualHostsFixture hosts) : IClassFixture<VirtualHostsFixture>
{
    private const string Batches = "/api/v1/programmes/green-finance/batches";

    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_yearly_batch_starts_itself_is_reviewed_and_recommends_the_still_active_enterprises(DatabaseProvider provider)
    {
        var host = await hosts.HostAsync(provider);
        var kept = await host.AdvancedAsync();
        var nanjing = await host.AdvancedAsync("nanjing");
        var excludedByReviewer = await host.AdvancedAsync();
        var revokedBeforeBuild = await host.AdvancedAsync();
        var revokedAfterBuild = await host.AdvancedAsync();
        await host.RevokeAsync(revokedBeforeBuild, "受到生态环境行政处罚，取消激励");
        Assert.Empty((await host.GetOkAsync(Batches)).EnumerateArray());

        // 2 January 2027 00:00 Beijing: the timer starts the batch of 2026 by itself.
        await host.AdvanceToAsync("2027-01-02T00:05:00+08:00");
        var batch = await host.GetOkAsync($"{Batches}/2026");
        Assert.Equal("reviewing", batch.Status());
        Assert.Equal("system:timer", batch.GetProperty("builtBy").GetString());
        var instanceId = batch.GetProperty("instanceId").GetGuid();
        var instance = await (await host.As("auditor.province")).InstanceAsync(instanceId);
        Assert.Equal("green-finance-batch", instance.GetProperty("definitionKey").GetString());
        var candidates = batch.Candidates();
        Assert.Equal(new[] { kept, nanjing, excludedByReviewer, revokedBeforeBuild, revokedAfterBuild }.Order(), candidates.Keys.Order());
        Assert.Equal(["candidate", "candidate", "candidate", "candidate"], new[] { kept, nanjing, excludedByReviewer, revokedAfterBuild }.Select(c => candidates[c].Status()));
        Assert.Equal("excluded", candidates[revokedBeforeBuild].Status());
        Assert.Contains("受到生态环境行政处罚", candidates[revokedBeforeBuild].GetProperty("reason").GetString());

        // The selection clock (finance.pool-selection, 6 months) starts on 31 December and ends on 30 June.
        var clock = batch.GetProperty("clock");
        Assert.Equal("finance.pool-selection", clock.GetProperty("rule").GetString());
        Assert.Equal("2026-12-31T23:59:59+08:00", Beijing(clock.GetProperty("startedAt").GetDateTimeOffset()));
        Assert.Equal("2027-06-30", clock.GetProperty("dueDate").GetString());
        Assert.Equal("2027-07-01T00:00:00+08:00", Beijing(clock.GetProperty("dueAt").GetDateTimeOffset()));
        var review = await host.TaskAsync(instanceId, "review", "approver.province");
        var reviewTask = Assert.Single(await (await host.As("approver.province")).TasksAsync($"instanceId={instanceId}"));
        Assert.Equal("2027-07-01T00:00:00+08:00", Beijing(reviewTask.GetProperty("dueAt").GetDateTimeOffset()));

        // City staff read only their city's candidates and cannot act; a reason is required; the approver excludes.
        var suzhouView = await host.GetOkAsync($"{Batches}/2026", "audit-officer.suzhou");
        Assert.DoesNotContain(nanjing, suzhouView.Candidates().Keys);
        Assert.Equal(4, suzhouView.Candidates().Count);
        var exclusion = $"{Batches}/2026/candidates/{excludedByReviewer}/exclusion";
        Assert.Equal(HttpStatusCode.Forbidden, (await (await host.As("audit-officer.suzhou")).PostAsJsonAsync(exclusion, new { reason = "越权" })).StatusCode);
        var noReason = await (await host.As("approver.province")).PostAsJsonAsync(exclusion, new { reason = " " });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Single(await noReason.FieldErrorsAsync("reason"));
        Assert.Equal("candidate", (await host.GetOkAsync($"{Batches}/2026")).Candidates()[excludedByReviewer].Status());
        var excluded = await (await host.As("approver.province")).PostAsJsonAsync(exclusion, new { reason = "企业申请暂不入库" });
        Assert.Equal(HttpStatusCode.OK, excluded.StatusCode);
        Assert.Equal("excluded", (await excluded.JsonAsync()).Status());
        Assert.Equal(HttpStatusCode.NotFound, (await (await host.As("approver.province")).PostAsJsonAsync(
            $"{Batches}/2026/candidates/91320500MA1NOTHERE/exclusion", new { reason = "不在批次中" })).StatusCode);

        // The page shows a city its own candidates only.
        var (pageStatus, suzhouPage) = await (await PageSession.SignInAsync(host, "audit-officer.suzhou")).GetAsync("/programmes");
        Assert.Equal(HttpStatusCode.OK, pageStatus);
        Assert.Contains("2026 年度批次", suzhouPage);
        Assert.Contains($"/register/enterprises/{kept}", suzhouPage);
        Assert.DoesNotContain($"/register/enterprises/{nanjing}", suzhouPage);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Count(suzhouPage, "class=\"candidate-candidate\""));
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Count(suzhouPage, "class=\"candidate-excluded\""));

        // Revoked after the build: still a candidate until the recommendation is recorded.
        await host.RevokeAsync(revokedAfterBuild, "发生较大环境污染事故，取消激励");

        // A reminder one working day before the due date; at the due instant a breach and an escalation.
        await host.AdvanceToAsync("2027-06-30T12:00:00+08:00");
        var open = (await (await host.As("approver.province")).TasksAsync($"instanceId={instanceId}")).Select(t => t.GetProperty("elementId").GetString()).Order();
        Assert.Equal(["remind-day-before", "review"], open);
        await host.AdvanceToAsync("2027-07-01T00:05:00+08:00");
        open = (await (await host.As("approver.province")).TasksAsync($"instanceId={instanceId}")).Select(t => t.GetProperty("elementId").GetString()).Order();
        Assert.Equal(["escalate", "remind-day-before", "review"], open);
        var breach = Assert.Single((await host.GetOkAsync($"/api/v1/instances/{instanceId}/breaches")).EnumerateArray());
        Assert.Equal("2027-07-01T00:00:00+08:00", Beijing(breach.GetProperty("dueAt").GetDateTimeOffset()));

        // The review is completed: the recommendation drops the enterprise revoked since the build.
        await host.DoAsync("approver.province", review, new { variables = new { opinion = "同意推荐入库" } });
        batch = await host.GetOkAsync($"{Batches}/2026");
        Assert.Equal("recommended", batch.Status());
        candidates = batch.Candidates();
        Assert.Equal("recommended", candidates[kept].Status());
        Assert.Equal("recommended", candidates[nanjing].Status());
        Assert.Equal("excluded", candidates[excludedByReviewer].Status());
        Assert.Equal("企业申请暂不入库", candidates[excludedByReviewer].GetProperty("reason").GetString());
        Assert.Equal("excluded", candidates[revokedBeforeBuild].Status());
        Assert.Equal("dropped-revoked", candidates[revokedAfterBuild].Status());
        Assert.Contains("发生较大环境污染事故", candidates[revokedAfterBuild].GetProperty("reason").GetString());
        Assert.Equal(2, batch.GetProperty("counts").GetProperty("recommended").GetInt32());
        var pool = await host.GetOkAsync("/api/v1/lists/green-finance-pool", "approver.province");
        Assert.Equal(new[] { kept, nanjing }.Order(), pool.Codes().Order());
        // The recommendation ends the instance and withdraws the open reminder and escalation.
        Assert.Equal("completed", (await (await host.As("auditor.province")).InstanceAsync(instanceId)).GetProperty("status").GetString());
        Assert.Empty(await (await host.As("approver.province")).TasksAsync($"instanceId={instanceId}"));

        // A revocation later ends the pool membership as it ends every other list membership.
        await host.RevokeAsync(kept, "受到生态环境行政处罚，取消激励");
        Assert.Equal([nanjing], (await host.GetOkAsync("/api/v1/lists/green-finance-pool", "approver.province")).Codes());

        // Starting the year again does nothing and says so: by the API (409) and by starting the definition itself.
        var again = await (await host.As("approver.province")).PostAsJsonAsync(Batches, new { year = 2026 });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains(instanceId.ToString(), (await again.JsonAsync()).GetProperty("detail").GetString());
        var wrongYear = await (await host.As("approver.province")).PostAsJsonAsync(Batches, new { year = 2025 });
        Assert.Equal(HttpStatusCode.BadRequest, wrongYear.StatusCode);
        Assert.Single(await wrongYear.FieldErrorsAsync("year"));
        var second = await host.Service<WorkflowRuntime>().StartAsync("green-finance-batch", null, new JsonObject { ["year"] = 2026 }, "province", "test");
        Assert.Equal(InstanceStatus.Completed, second.Status);
        var secondJournal = await (await host.As("auditor.province")).JournalAsync(second.Id);
        Assert.Contains(secondJournal, j => j.GetProperty("elementId").GetString() == "batch-exists");
        var batches = (await host.GetOkAsync(Batches)).EnumerateArray().ToList();
        Assert.Equal(2026, Assert.Single(batches).GetProperty("year").GetInt32());
        Assert.Equal(instanceId, batches[0].GetProperty("instanceId").GetGuid());
    }

    private static string Beijing(DateTimeOffset instant) => EiaApi.Beijing(instant);
}
