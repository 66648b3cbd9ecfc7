using System.Net;
using CleanProdFlow.Data.Database;
using CleanProdFlow.Timing.Deadlines;
using CleanProdFlow.Web.Tests.Workflows;
using static CleanProdFlow.Web.Tests.Eia.EiaApi;

namespace CleanProdFlow.Web.Tests.Eia;

/// <summary>
/// Both definitions from acceptance to the issued document, with the virtual clock, on SQLite and PostgreSQL:
/// E — standard track, EIA form, with the one-time correction (补正): the applicant's time and the technical
/// assessment are not counted; F — green channel, EIA report, the city cannot balance the quota so the province's
/// quota officer does (上级部门优先统筹); a reminder still open when the decision is made is withdrawn.
/// </summary>
public sealed class EiaLifecycleTests(EiaHostsFixture hosts) : IClassFixture<EiaHostsFixture>
{
    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Both_tracks_run_from_acceptance_to_the_issued_document(DatabaseProvider provider)
    {
        var host = await hosts.HostAsync(provider);
        var acceptance = At(EiaHostsFixture.Acceptance);

        // ---- E: standard track, form: the acceptance check is due 5 working days after receipt — Saturday 10-10 is worked.
        var caseE = (await host.AcceptedAsync(Application(await host.EnterpriseAsync(eligible: false), documentType: "form")))
            .GetProperty("caseNumber").GetString()!;
        var e = await (await host.As("acceptance.suzhou")).CaseAsync(caseE);
        Assert.Equal("2026-11-13", e.DecisionClock().DueDate());
        var acceptanceTask = e.GetProperty("tasks").EnumerateArray().Single();
        Assert.Equal(At("2026-10-11T00:00:00+08:00"), acceptanceTask.GetProperty("dueAt").GetDateTimeOffset());
        await host.DoAsync("acceptance.suzhou", e.TaskId("acceptance"), new { outcome = "correct", variables = new { missingMaterials = "缺少总量指标来源说明" } });
        e = await (await host.As("acceptance.suzhou")).CaseAsync(caseE);
        Assert.Equal("correcting", e.GetProperty("status").GetString());
        Assert.Equal("paused", e.DecisionClock().GetProperty("state").GetString());
        Assert.Equal(["receive-correction"], e.OpenTasks());

        // ---- F: green channel, report, quota needed; the city cannot balance it → the province's quota officer.
        var caseF = (await host.AcceptedAsync(Application(await host.EnterpriseAsync(eligible: true), quotaNeeds: new Dictionary<string, decimal> { ["COD"] = 3m })))
            .GetProperty("caseNumber").GetString()!;
        var f = await (await host.As("review.suzhou")).CaseAsync(caseF);
        Assert.Equal(["assessment", "publish", "quota-city", "review"], f.OpenTasks());
        await host.DoAsync("quota-officer.suzhou", f.TaskId("quota-city"), new { outcome = "cannot-balance", variables = new { source = "本市无可调剂的 COD 指标" } });
        f = await (await host.As("review.suzhou")).CaseAsync(caseF);
        var provinceTask = f.GetProperty("tasks").EnumerateArray().Single(t => t.GetProperty("elementId").GetString() == "quota-province");
        Assert.Equal("province", provinceTask.GetProperty("organisation").GetString());
        var provinceTaskId = provinceTask.GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.NotFound, (await (await host.As("quota-officer.suzhou")).GetAsync($"/api/v1/tasks/{provinceTaskId}")).StatusCode);
        await host.DoAsync("quota-officer.province", provinceTaskId, new { variables = new { source = "省级储备库调剂 COD 3 吨/年" } });
        await host.DoAsync("publicity.suzhou", f.TaskId("publish"), new { variables = new { publicityUrl = "http://www.js-eia.cn/" } });
        await host.DoAsync("assessment.suzhou", f.TaskId("assessment"), new { variables = new { conclusion = "技术上可行" } });
        await host.DoAsync("review.suzhou", f.TaskId("review"), new { variables = new { opinion = "同意" } });
        f = await (await host.As("review.suzhou")).CaseAsync(caseF);
        Assert.Empty(f.OpenTasks()); // the acceptance publicity (10 working days) is still running
        Assert.Equal(At("2026-10-17T00:00:00+08:00"), f.TimerDue("publicity-report")); // 10 working days: 10-16

        // ---- E: corrected materials arrive on Monday 10-12: the applicant's 5 working days (9-29…10-10) are not counted.
        await host.AdvanceToAsync("2026-10-12T10:00:00+08:00");
        e = await (await host.As("acceptance.suzhou")).CaseAsync(caseE);
        await host.DoAsync("acceptance.suzhou", e.TaskId("receive-correction"), new { variables = new { materials = "总量指标来源说明" } });
        e = await (await host.As("acceptance.suzhou")).CaseAsync(caseE);
        var corrected = Deadline.Compute(Calendar, new DeadlineRequest(acceptance, Rules["eia.decision.form"].ToTimeLimit(),
            Pauses: [new Pause(acceptance, At("2026-10-12T10:00:00+08:00"))]));
        Assert.Equal(Date("2026-11-20"), corrected.DueDate);
        Assert.Equal("2026-11-20", e.DecisionClock().DueDate());
        Assert.Equal(["recheck"], e.OpenTasks());
        await host.DoAsync("acceptance.suzhou", e.TaskId("recheck"), new { outcome = "accept" });
        e = await (await host.As("acceptance.suzhou")).CaseAsync(caseE);
        Assert.Equal("accepted", e.GetProperty("status").GetString());
        await host.DoAsync("publicity.suzhou", e.TaskId("publish"), new { variables = new { publicityUrl = "http://www.js-eia.cn/" } });

        // ---- 10-20: E's 5-day publicity is over → technical assessment with the clock paused (art. 45); F's publicity too → pre-approval publicity.
        await host.AdvanceToAsync("2026-10-20T09:00:00+08:00");
        e = await (await host.As("acceptance.suzhou")).CaseAsync(caseE);
        Assert.Equal(["assessment"], e.OpenTasks());
        Assert.Equal("paused", e.DecisionClock().GetProperty("state").GetString());
        Assert.Contains(e.GetProperty("journal").EnumerateArray(), j => j.GetProperty("kind").GetString() == "timer.rescheduled"
            && j.GetProperty("data").GetProperty("reason").GetString()!.Contains("第四十五条"));
        f = await (await host.As("publicity.suzhou")).CaseAsync(caseF);
        Assert.Equal(["pre-approval-publish"], f.OpenTasks());
        await host.DoAsync("publicity.suzhou", f.TaskId("pre-approval-publish"), new { variables = new { publicityUrl = "http://www.js-eia.cn/" } });

        // ---- 10-22: E's assessment is done → the clock runs again, 2 more working days not counted.
        await host.AdvanceToAsync("2026-10-22T09:00:00+08:00");
        e = await (await host.As("assessment.suzhou")).CaseAsync(caseE);
        await host.DoAsync("assessment.suzhou", e.TaskId("assessment"), new { variables = new { conclusion = "环境影响可接受" } });
        e = await (await host.As("review.suzhou")).CaseAsync(caseE);
        Assert.Equal("2026-11-24", e.DecisionClock().DueDate());
        Assert.Equal(["review"], e.OpenTasks());
        await host.DoAsync("review.suzhou", e.TaskId("review"), new { variables = new { opinion = "同意" } });
        e = await (await host.As("publicity.suzhou")).CaseAsync(caseE);
        Assert.Equal(["pre-approval-publish"], e.OpenTasks()); // no quota needed: straight on
        await host.DoAsync("publicity.suzhou", e.TaskId("pre-approval-publish"), new { variables = new { publicityUrl = "http://www.js-eia.cn/" } });

        // ---- 10-30: both pre-approval publicities are over → decisions. F's half-time reminder (10-24) is waiting.
        await host.AdvanceToAsync("2026-10-30T09:00:00+08:00");
        f = await (await host.As("approver.suzhou")).CaseAsync(caseF);
        Assert.Equal(["decide", "remind-half"], f.OpenTasks());
        var reminderF = f.TaskId("remind-half");
        var noReasons = await (await host.As("approver.suzhou")).CompleteAsync(f.TaskId("decide"), new { outcome = "approve" });
        Assert.Equal(HttpStatusCode.BadRequest, noReasons.StatusCode);
        Assert.NotEmpty(await noReasons.FieldErrorsAsync("variables.reasons"));
        await host.DoAsync("approver.suzhou", f.TaskId("decide"), new { outcome = "approve", variables = new { reasons = "符合审批条件，准予批准" } });
        f = await (await host.As("approver.suzhou")).CaseAsync(caseF);
        Assert.Equal("approved", f.GetProperty("status").GetString());
        Assert.Equal(["announce"], f.OpenTasks()); // the reminder was withdrawn with the decision
        Assert.Equal("cancelled", (await (await (await host.As("approver.suzhou")).GetAsync($"/api/v1/tasks/{reminderF}")).JsonAsync()).GetProperty("status").GetString());
        Assert.Equal("stopped", f.DecisionClock().GetProperty("state").GetString());
        Assert.Equal("2026-11-13", f.DecisionClock().DueDate()); // a stopped clock keeps its due date for the record

        e = await (await host.As("approver.suzhou")).CaseAsync(caseE);
        await host.DoAsync("approver.suzhou", e.TaskId("decide"), new { outcome = "reject", variables = new { reasons = "选址不符合生态环境分区管控要求" } });
        e = await (await host.As("publicity.suzhou")).CaseAsync(caseE);
        Assert.Equal("rejected", e.GetProperty("status").GetString());
        var announce = e.GetProperty("tasks").EnumerateArray().Single();
        Assert.Equal("announce", announce.GetProperty("elementId").GetString());
        Assert.Equal(At("2026-11-11T00:00:00+08:00"), announce.GetProperty("dueAt").GetDateTimeOffset()); // 7 working days (E10): 11-10

        // ---- Announcement and the documents: both cases end.
        foreach (var (caseNumber, document) in new[] { (caseE, "deliver-rejection"), (caseF, "issue-approval") })
        {
            var view = await (await host.As("publicity.suzhou")).CaseAsync(caseNumber);
            await host.DoAsync("publicity.suzhou", view.TaskId("announce"), new { variables = new { publicityUrl = "http://sthjj.suzhou.gov.cn/" } });
            view = await (await host.As("acceptance.suzhou")).CaseAsync(caseNumber);
            Assert.Equal([document], view.OpenTasks());
            await host.DoAsync("acceptance.suzhou", view.TaskId(document), new { variables = new { documentNumber = "苏环建〔2026〕101号" } });
            view = await (await host.As("auditor.province")).CaseAsync(caseNumber);
            Assert.Equal("completed", view.GetProperty("instance").GetProperty("status").GetString());
            Assert.Empty(view.OpenTasks());
        }
    }
}
