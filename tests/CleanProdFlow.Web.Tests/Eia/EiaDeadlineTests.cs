using System.Net;
using System.Net.Http.Json;
using CleanProdFlow.Data.Database;
using CleanProdFlow.Timing;
using CleanProdFlow.Timing.Deadlines;
using CleanProdFlow.Web.Tests.Workflows;
using static CleanProdFlow.Web.Tests.Eia.EiaApi;

namespace CleanProdFlow.Web.Tests.Eia;

/// <summary>
/// Issue 6 "Done when", through the API with the virtual clock starting on Monday 2026-09-28 (the acceptance date),
/// on SQLite and PostgreSQL. Four cases of Suzhou enterprises run side by side on one timeline:
/// A — eligible, report: the green channel, four parallel tasks, 30 working days; its reminders and breach.
/// B — ineligible, report: the standard track, 60 working days, one task after another.
/// C — eligible, report: paused 5 working days for expert review, then extended by 10.
/// D — eligible, form (15 working days): the incentive is revoked mid-way, so the full 30 apply.
/// Expected dates come from the Timing library itself and, checked by hand on the 2026 schedule (National Day
/// 10-01…10-07 off, Saturday 10-10 worked), as literals.
/// </summary>
public sealed class EiaDeadlineTests(EiaHostsFixture hosts) : IClassFixture<EiaHostsFixture>
{
    private const string Art45 = "《中华人民共和国行政许可法》第四十五条";

    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Green_channel_and_standard_track_keep_their_statutory_time(DatabaseProvider provider)
    {
        var host = await hosts.HostAsync(provider);
        await host.EnsureUserAsync("review.nanjing", "nanjing", "review", "assessment");
        var acceptance = At(EiaHostsFixture.Acceptance);

        // ---- A: eligible enterprise, EIA report, accepted 2026-09-28 → green channel.
        var codeA = await host.EnterpriseAsync(eligible: true);
        var submitted = await host.AcceptedAsync(Application(codeA, quotaNeeds: new Dictionary<string, decimal> { ["COD"] = 1.2m, ["NH3-N"] = 0.15m }));
        Assert.Equal("fast", submitted.GetProperty("track").GetString());
        Assert.Contains("2026-09-28", submitted.GetProperty("trackReason").GetString());
        Assert.True(submitted.GetProperty("eligibility").GetProperty("eligible").GetBoolean());
        Assert.Equal(["audit-level", "no-penalty-3-years"],
            submitted.GetProperty("eligibility").GetProperty("rules").EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        var caseA = submitted.GetProperty("caseNumber").GetString()!;
        Assert.Matches("^苏州环审〔2026〕\\d{4}$", caseA);

        // Four tasks open at once (受理公示、技术评估、审查 and the quota with priority), created in the same step.
        var viewA = await (await host.As("review.suzhou")).CaseAsync(caseA);
        Assert.Equal(["assessment", "publish", "quota-city", "review"], viewA.OpenTasks());
        Assert.Single(viewA.GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("createdAt").GetDateTimeOffset()).Distinct());

        // The decision is due 30 working days after acceptance: the Timing library says so, and so does the calendar by hand.
        var halved = Deadline.Compute(Calendar, new DeadlineRequest(acceptance, Rules["eia.decision.report"].ToTimeLimit(), FastTrack: true));
        Assert.Equal(Date("2026-11-13"), halved.DueDate);
        Assert.Equal(30, halved.LimitApplied);
        var clockA = viewA.DecisionClock();
        Assert.Equal("2026-11-13", clockA.DueDate());
        Assert.Equal(BeijingTime.Format(halved.DueDate!.Value), clockA.DueDate());
        Assert.True(clockA.GetProperty("fastTrack").GetBoolean());
        Assert.True(clockA.GetProperty("halved").GetBoolean());
        Assert.Equal(At("2026-11-14T00:00:00+08:00"), viewA.TimerDue("decision-due"));
        Assert.Equal(At("2026-10-24T00:00:00+08:00"), viewA.TimerDue("half-used"));          // 15 of 30 used: 10-23
        Assert.Equal(At("2026-11-05T00:00:00+08:00"), viewA.TimerDue("three-quarters-used")); // 23 of 30 used: 11-04
        Assert.Equal(At("2026-11-13T00:00:00+08:00"), viewA.TimerDue("day-before-due"));      // 29 of 30 used: 11-12
        Assert.Equal("2026-11-13", submitted.GetProperty("decisionClock").GetProperty("dueDate").GetString());

        // ---- B: ineligible enterprise, same application → standard track, 60 working days, one step at a time.
        var codeB = await host.EnterpriseAsync(eligible: false);
        var standard = await host.AcceptedAsync(Application(codeB));
        Assert.Equal("standard", standard.GetProperty("track").GetString());
        Assert.False(standard.GetProperty("eligibility").GetProperty("eligible").GetBoolean());
        Assert.Contains("Ⅲ", standard.GetProperty("trackReason").GetString());
        var caseB = standard.GetProperty("caseNumber").GetString()!;
        var full = Deadline.Compute(Calendar, new DeadlineRequest(acceptance, Rules["eia.decision.report"].ToTimeLimit()));
        Assert.Equal(Date("2026-12-25"), full.DueDate);
        var viewB = await (await host.As("review.suzhou")).CaseAsync(caseB);
        Assert.Equal("2026-12-25", viewB.DecisionClock().DueDate());
        Assert.False(viewB.DecisionClock().GetProperty("halved").GetBoolean());
        Assert.Equal(["acceptance"], viewB.OpenTasks());
        await host.DoAsync("acceptance.suzhou", viewB.TaskId("acceptance"), new { outcome = "accept" });
        viewB = await (await host.As("review.suzhou")).CaseAsync(caseB);
        Assert.Equal(["publish"], viewB.OpenTasks());
        Assert.Equal("accepted", viewB.GetProperty("status").GetString());

        // ---- C and D.
        var caseC = (await host.AcceptedAsync(Application(await host.EnterpriseAsync(eligible: true)))).GetProperty("caseNumber").GetString()!;
        var codeD = await host.EnterpriseAsync(eligible: true);
        var submittedD = await host.AcceptedAsync(Application(codeD, documentType: "form"));
        var caseD = submittedD.GetProperty("caseNumber").GetString()!;
        Assert.Equal("2026-10-23", submittedD.GetProperty("decisionClock").GetProperty("dueDate").GetString()); // form: 30 → 15
        Assert.Equal(3, submittedD.GetProperty("tasks").GetArrayLength()); // no quota needed: three in parallel

        // ---- Completing the same task twice is a 409; a task of another city is a 404 and changes nothing.
        var reviewA = viewA.TaskId("review");
        await host.DoAsync("review.suzhou", reviewA, new { variables = new { opinion = "符合产业政策与“三线一单”要求" } });
        var again = await (await host.As("review.suzhou")).CompleteAsync(reviewA, new { variables = new { opinion = "再次提交" } });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
        var journalBefore = (await (await host.As("review.suzhou")).CaseAsync(caseA)).GetProperty("journal").GetArrayLength();
        var nanjing = await host.As("review.nanjing");
        Assert.Equal(HttpStatusCode.NotFound, (await nanjing.CompleteAsync(viewA.TaskId("assessment"), new { variables = new { conclusion = "越权" } })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await nanjing.GetAsync($"/api/v1/eia/applications/{Uri.EscapeDataString(caseA)}")).StatusCode);
        viewA = await (await host.As("review.suzhou")).CaseAsync(caseA);
        Assert.Equal(journalBefore, viewA.GetProperty("journal").GetArrayLength());
        Assert.Equal(["assessment", "publish", "quota-city"], viewA.OpenTasks());

        // ---- C: paused for expert review from Monday 10-12 to Monday 10-19 (10-12…10-16 not counted: 5 working days).
        await host.AdvanceToAsync("2026-10-12T10:00:00+08:00");
        var instanceC = (await (await host.As("review.suzhou")).CaseAsync(caseC)).InstanceId();
        var pause = await (await host.As("approver.suzhou")).PostAsJsonAsync($"/api/v1/instances/{instanceC}/clocks/eia.decision/pause",
            new { reason = "专家评审", legalBasis = Art45 });
        Assert.True(pause.StatusCode == HttpStatusCode.OK, await pause.Content.ReadAsStringAsync());
        var viewC = await (await host.As("review.suzhou")).CaseAsync(caseC);
        Assert.Equal("paused", viewC.DecisionClock().GetProperty("state").GetString());
        Assert.Null(viewC.TimerDue("decision-due")); // a paused clock has no armed timer

        // ---- D: the enterprise's incentive is revoked mid-way (5 of 15 working days used) → the full 30 apply.
        var revoked = await (await host.As("enforcement.suzhou")).PostAsJsonAsync("/api/v1/messages",
            new { name = "incentive.revoked", correlationKey = codeD, variables = new { revocationReference = "苏环激撤〔2026〕1号" } });
        Assert.Equal(1, (await revoked.JsonAsync()).GetProperty("correlated").GetInt32());
        var viewD = await (await host.As("review.suzhou")).CaseAsync(caseD);
        var fullForm = Deadline.Compute(Calendar, new DeadlineRequest(acceptance, Rules["eia.decision.form"].ToTimeLimit()));
        Assert.Equal(Date("2026-11-13"), fullForm.DueDate);
        Assert.Equal("2026-11-13", viewD.DecisionClock().DueDate());
        Assert.False(viewD.DecisionClock().GetProperty("fastTrack").GetBoolean());
        Assert.Equal(At("2026-11-14T00:00:00+08:00"), viewD.TimerDue("decision-due"));
        Assert.Contains("苏环激撤〔2026〕1号", viewD.GetProperty("fastTrackEnded").GetProperty("reason").GetString());
        Assert.Equal(5, viewD.DecisionClock().GetProperty("workingDaysUsed").GetInt32());
        Assert.Equal("2026-11-13", (await (await host.As("review.suzhou")).CaseAsync(caseA)).DecisionClock().DueDate()); // another enterprise: untouched

        // ---- C resumes: the due date and the armed timer move by exactly 5 working days.
        await host.AdvanceToAsync("2026-10-19T10:00:00+08:00");
        var resume = await (await host.As("approver.suzhou")).PostAsJsonAsync($"/api/v1/instances/{instanceC}/clocks/eia.decision/resume", new { });
        Assert.True(resume.StatusCode == HttpStatusCode.OK, await resume.Content.ReadAsStringAsync());
        var paused = Deadline.Compute(Calendar, new DeadlineRequest(acceptance, Rules["eia.decision.report"].ToTimeLimit(), FastTrack: true,
            Pauses: [new Pause(At("2026-10-12T10:00:00+08:00"), At("2026-10-19T10:00:00+08:00"), "专家评审", Art45)]));
        Assert.Equal(Date("2026-11-20"), paused.DueDate);
        viewC = await (await host.As("review.suzhou")).CaseAsync(caseC);
        Assert.Equal("2026-11-20", viewC.DecisionClock().DueDate());
        Assert.Equal(5, Calendar.WorkingDaysBetween(Date("2026-11-13"), Date(viewC.DecisionClock().DueDate()!)));
        Assert.Equal(At("2026-11-21T00:00:00+08:00"), viewC.TimerDue("decision-due"));
        Assert.Equal(5, Calendar.WorkingDaysBetween(Date("2026-11-13"), BeijingTime.DateOf(viewC.TimerDue("decision-due")!.Value.AddTicks(-1))));

        // ---- C is extended by 10 working days (行政许可法 art. 42, approved by the approver): both move by 10.
        var notApprover = await (await host.As("review.suzhou")).PostAsJsonAsync($"/api/v1/instances/{instanceC}/clocks/eia.decision/extend",
            new { days = 10, reason = "项目复杂" });
        Assert.Equal(HttpStatusCode.Forbidden, notApprover.StatusCode);
        var extend = await (await host.As("approver.suzhou")).PostAsJsonAsync($"/api/v1/instances/{instanceC}/clocks/eia.decision/extend",
            new { days = 10, reason = "项目涉及跨区域环境影响，经局长批准延长" });
        Assert.True(extend.StatusCode == HttpStatusCode.OK, await extend.Content.ReadAsStringAsync());
        viewC = await (await host.As("review.suzhou")).CaseAsync(caseC);
        Assert.Equal("2026-12-04", viewC.DecisionClock().DueDate());
        Assert.Equal(10, Calendar.WorkingDaysBetween(Date("2026-11-20"), Date("2026-12-04")));
        Assert.Equal(At("2026-12-05T00:00:00+08:00"), viewC.TimerDue("decision-due"));
        Assert.Contains(viewC.DecisionClock().GetProperty("explanation").EnumerateArray(), line => line.GetString()!.Contains("approver.suzhou"));

        // ---- A's reminders, each at its instant and not before; then the breach and the escalation.
        await ExpectAtAsync(host, caseA, "2026-10-24T00:00:00+08:00", "remind-half");
        await ExpectAtAsync(host, caseA, "2026-11-05T00:00:00+08:00", "remind-three-quarters");
        await ExpectAtAsync(host, caseA, "2026-11-13T00:00:00+08:00", "remind-day-before");
        await ExpectAtAsync(host, caseA, "2026-11-14T00:00:00+08:00", "escalate");
        viewA = await (await host.As("approver.suzhou")).CaseAsync(caseA);
        var escalation = viewA.GetProperty("tasks").EnumerateArray().Single(t => t.GetProperty("elementId").GetString() == "escalate");
        Assert.Equal("suzhou", escalation.GetProperty("organisation").GetString());
        Assert.Equal(["approver"], escalation.GetProperty("candidateGroups").EnumerateArray().Select(g => g.GetString()));
        Assert.True(viewA.DecisionClock().GetProperty("overdue").GetBoolean());
        var breaches = await (await (await host.As("auditor.province")).GetAsync($"/api/v1/instances/{viewA.InstanceId()}/breaches")).JsonAsync();
        var breach = Assert.Single(breaches.EnumerateArray());
        Assert.Equal("eia.decision", breach.GetProperty("clock").GetString());
        Assert.Equal("eia.decision.report", breach.GetProperty("rule").GetString());
        Assert.Equal(At("2026-11-14T00:00:00+08:00"), breach.GetProperty("dueAt").GetDateTimeOffset());
        // The approver sees the reminders and the escalation in the inbox.
        var inbox = await (await host.As("approver.suzhou")).TasksAsync($"instanceId={viewA.InstanceId()}");
        Assert.Equal(["escalate", "remind-day-before", "remind-half", "remind-three-quarters"],
            inbox.Select(t => t.GetProperty("elementId").GetString()).Order(StringComparer.Ordinal));
    }

    /// <summary>Nothing at one minute before <paramref name="instant"/>; the task <paramref name="elementId"/> at one minute after.</summary>
    private static async Task ExpectAtAsync(CpfWebFactory host, string caseNumber, string instant, string elementId)
    {
        var at = At(instant);
        await host.AdvanceToAsync(Beijing(at.AddMinutes(-1)));
        Assert.DoesNotContain(elementId, (await (await host.As("approver.suzhou")).CaseAsync(caseNumber)).OpenTasks());
        await host.AdvanceToAsync(Beijing(at.AddMinutes(1)));
        var view = await (await host.As("approver.suzhou")).CaseAsync(caseNumber);
        Assert.Contains(elementId, view.OpenTasks());
    }
}
