using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CleanProdFlow.Data.Database;
using CleanProdFlow.Web.Tests.Eia;
using CleanProdFlow.Web.Tests.Workflows;
using static CleanProdFlow.Web.Tests.Audit.AuditApi;

namespace CleanProdFlow.Web.Tests.Audit;

/// <summary>
/// Issue 9 part 1: a mandatory-audit cycle run on time from the list to a qualified acceptance — the three milestone
/// clocks from the list publication (exact due dates), evaluation and acceptance clocks from the report and the
/// evaluation, and the audit result recorded for the register's eligibility with the decision in its history.
/// </summary>
public sealed class AuditCycleLifecycleTests(AuditHostsFixture hosts) : IClassFixture<AuditHostsFixture>
{
    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_cycle_run_on_time_records_the_audit_result_that_makes_the_enterprise_eligible(DatabaseProvider provider)
    {
        var host = await hosts.HostAsync(provider);
        var code = await host.EnterpriseAsync(acceptedOn: "2020-06-30", level: "Ⅲ");
        var before = await (await (await host.As("auditor.province")).GetAsync($"/api/v1/enterprises/{code}/eligibility")).JsonAsync();
        Assert.False(before.GetProperty("eligible").GetBoolean());

        var id = await host.ListedAsync(code);
        var cycle = await host.CycleAsync(id);
        Assert.Equal("first-year", cycle.Status());
        Assert.Equal("mandatory", cycle.GetProperty("cycle").GetProperty("kind").GetString());
        Assert.Equal("audit.cycle", cycle.GetProperty("cycle").GetProperty("cycleRule").GetString());
        // Listed Tuesday 2026-03-10: one month → Friday 04-10; two months → Sunday 05-10, moved to Monday 05-11; one year → 2027-03-10.
        Assert.Equal("2026-04-10", cycle.Clock("audit.information").DueDate());
        Assert.Equal("2026-05-11", cycle.Clock("audit.start").DueDate());
        Assert.Equal("2027-03-10", cycle.Clock("audit.cycle").DueDate());
        Assert.Equal(At("2026-03-10T00:00:00+08:00"), cycle.Clock("audit.cycle").GetProperty("startedAt").GetDateTimeOffset());
        Assert.Equal(["record-information", "record-report", "record-start"], cycle.OpenTasks());
        var timers = await host.PendingTimersAsync(cycle.InstanceOf());
        Assert.Equal(At("2026-04-11T00:00:00+08:00"), timers["information-due"]);
        Assert.Equal(At("2026-04-10T00:00:00+08:00"), timers["information-day-before"]); // 24:00 of Thursday 04-09
        Assert.Equal(At("2026-05-12T00:00:00+08:00"), timers["start-due"]);
        Assert.Equal(At("2027-03-11T00:00:00+08:00"), timers["report-due"]);

        await host.AdvanceToAsync("2026-04-01T09:00:00+08:00");
        cycle = await host.CycleAsync(id);
        await host.DoAsync("audit-officer.suzhou", cycle.TaskOf("record-information"),
            new { variables = new { informationPublishedOn = "2026-03-25", publicationUrl = "https://www.example.gov.cn/qjsc/2026/12.html" } });
        await host.DoAsync("audit-officer.suzhou", cycle.TaskOf("record-start"),
            new { variables = new { auditStartedOn = "2026-03-31", startEvidence = "审核小组成立文件 苏某〔2026〕3号" } });
        cycle = await host.CycleAsync(id);
        Assert.Equal("stopped", cycle.Clock("audit.information").GetProperty("state").GetString());
        Assert.Equal("stopped", cycle.Clock("audit.start").GetProperty("state").GetString());
        Assert.Equal(["record-report"], cycle.OpenTasks());

        await host.AdvanceToAsync("2026-11-16T09:00:00+08:00");
        cycle = await host.CycleAsync(id);
        await host.DoAsync("audit-officer.suzhou", cycle.TaskOf("record-report"),
            new { variables = new { reportSubmittedOn = "2026-11-13", reportNumber = "QJSC-2026-0042" } });
        cycle = await host.CycleAsync(id);
        Assert.Equal("evaluating", cycle.Status());
        Assert.Equal("stopped", cycle.Clock("audit.cycle").GetProperty("state").GetString());
        Assert.False(cycle.Clock("audit.cycle").GetProperty("overdue").GetBoolean());
        // Evaluation from the report's receipt: Friday 11-13 + one month = Sunday 12-13 → Monday 12-14.
        Assert.Equal("2026-12-14", cycle.Clock("audit.evaluation").DueDate());
        Assert.Equal(["evaluate"], cycle.OpenTasks());
        var milestones = cycle.GetProperty("milestones").EnumerateArray().ToDictionary(m => m.GetProperty("name").GetString()!, m => m.GetProperty("recordedOn").GetString());
        Assert.Equal("2026-03-25", milestones["information-published"]);
        Assert.Equal("2026-03-31", milestones["audit-started"]);
        Assert.Equal("2026-11-13", milestones["report-submitted"]);

        await host.AdvanceToAsync("2026-11-20T09:00:00+08:00");
        await host.DoAsync("audit-officer.suzhou", (await host.CycleAsync(id)).TaskOf("evaluate"),
            new { outcome = "pass", variables = new { evaluatedOn = "2026-11-20", evaluationOpinion = "审核过程规范，中/高费方案可行" } });
        cycle = await host.CycleAsync(id);
        Assert.Equal("accepting", cycle.Status());
        // Acceptance within a year of the evaluation: 2027-11-20 is a Saturday → Monday 2027-11-22.
        Assert.Equal("2027-11-22", cycle.Clock("audit.acceptance").DueDate());

        await host.AdvanceToAsync("2026-11-27T09:00:00+08:00");
        await host.DoAsync("audit-officer.suzhou", (await host.CycleAsync(id)).TaskOf("accept"),
            new { outcome = "qualified", variables = new { acceptedOn = "2026-11-27", level = "Ⅱ", acceptanceDocumentNumber = "苏环验〔2026〕88号", acceptanceOpinion = "达到国内先进水平" } });

        cycle = await host.CycleAsync(id);
        Assert.Equal("accepted", cycle.Status());
        Assert.Equal("qualified", cycle.GetProperty("result").GetProperty("acceptanceOutcome").GetString());
        Assert.Equal("Ⅱ", cycle.GetProperty("result").GetProperty("level").GetString());
        Assert.Equal("2026-11-27", cycle.GetProperty("result").GetProperty("acceptedOn").GetString());
        Assert.Empty(cycle.OpenTasks());
        Assert.Equal("completed", (await (await host.As("auditor.province")).InstanceAsync(cycle.InstanceOf())).GetProperty("status").GetString());

        // The register: the audit result, the eligibility it gives, and the decision in the history with its cause.
        var auditor = await host.As("auditor.province");
        var enterprise = await (await auditor.GetAsync($"/api/v1/enterprises/{code}")).JsonAsync();
        var latest = enterprise.GetProperty("auditResults").EnumerateArray().Last();
        Assert.Equal("苏环验〔2026〕88号", latest.GetProperty("documentNumber").GetString());
        Assert.Equal("2026-11-27", latest.GetProperty("acceptedOn").GetString());
        Assert.Equal("苏州市生态环境局", latest.GetProperty("authority").GetString());
        Assert.True(enterprise.GetProperty("eligibility").GetProperty("eligible").GetBoolean());
        var history = (await (await auditor.GetAsync($"/api/v1/enterprises/{code}/eligibility/history")).JsonAsync()).EnumerateArray().ToList();
        Assert.Equal($"audit result 苏环验〔2026〕88号 recorded by audit cycle {id:D}", history[^1].GetProperty("cause").GetString());
        Assert.True(history[^1].GetProperty("decision").GetProperty("eligible").GetBoolean());

        // After the acceptance the audit officer registers the reduction it verified (issue 10): it stands on this audit.
        var reduction = await (await host.As("audit-officer.suzhou")).PostAsJsonAsync("/api/v1/quota/reductions",
            new { creditCode = code, pollutant = "COD", amount = 1.8m, auditReference = "苏环验〔2026〕88号" });
        Assert.True(reduction.StatusCode == HttpStatusCode.Created, await reduction.Content.ReadAsStringAsync());
        Assert.Equal(("苏环验〔2026〕88号", 1.8m), ((await reduction.JsonAsync()).GetProperty("auditReference").GetString(),
            (await reduction.JsonAsync()).GetProperty("balance").GetDecimal()));
    }
}

/// <summary>The list intake: every bad enterprise listed by index, nothing recorded; roles; idempotency; one open cycle per list.</summary>
public sealed class AuditIntakeTests(AuditHostsFixture hosts) : IClassFixture<AuditHostsFixture>
{
    [Fact]
    public async Task A_list_with_bad_entries_is_refused_whole_naming_each_and_records_nothing()
    {
        var host = await hosts.HostAsync(DatabaseProvider.Sqlite);
        var good = await host.EnterpriseAsync();
        var nanjing = await host.EnterpriseAsync(city: "nanjing");
        var unregistered = CreditCodes.Make(8_888_001);
        var officer = await host.As("audit-officer.suzhou");

        var refused = await officer.ListAsync(new { listReference = "苏环办〔2026〕20号", listedOn = "2026-03-10", creditCodes = new[] { good, "91320500ABC", nanjing, unregistered, good } });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Single(await refused.FieldErrorsAsync("creditCodes[1]"));
        Assert.Single(await refused.FieldErrorsAsync("creditCodes[4]")); // twice in the list
        var body = await refused.JsonAsync();
        Assert.False(body.GetProperty("errors").TryGetProperty("creditCodes[0]", out _));

        refused = await officer.ListAsync(new { listReference = "苏环办〔2026〕20号", listedOn = "2026-03-10", creditCodes = new[] { good, nanjing, unregistered } });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Single(await refused.FieldErrorsAsync("creditCodes[1]")); // another city's enterprise is not visible
        Assert.Single(await refused.FieldErrorsAsync("creditCodes[2]"));
        Assert.Equal(0L, await host.ScalarAsync<long>("SELECT COUNT(*) FROM audit_cycles WHERE credit_code = @good", new { good }));

        var future = await officer.ListAsync(new { listReference = "苏环办〔2026〕20号", listedOn = "2026-03-11", creditCode = good });
        Assert.Single(await future.FieldErrorsAsync("listedOn"));
        var blank = await officer.ListAsync(new { listReference = " ", listedOn = "2026-03-10" });
        Assert.Single(await blank.FieldErrorsAsync("listReference"));
        Assert.Single(await blank.FieldErrorsAsync("creditCodes"));

        Assert.Equal(HttpStatusCode.Forbidden, (await (await host.As("acceptance.suzhou")).ListAsync(new { listReference = "x", listedOn = "2026-03-10", creditCode = good })).StatusCode);
        Assert.Equal(0L, await host.ScalarAsync<long>("SELECT COUNT(*) FROM audit_cycles WHERE credit_code = @good", new { good }));
    }

    [Fact]
    public async Task An_intake_with_an_idempotency_key_records_once_and_a_second_open_cycle_of_the_same_list_is_refused()
    {
        var host = await hosts.HostAsync(DatabaseProvider.Sqlite);
        var first = await host.EnterpriseAsync();
        var second = await host.EnterpriseAsync();
        var officer = await host.As("audit-officer.suzhou");
        var body = new { listReference = "苏环办〔2026〕21号", listedOn = "2026-03-09", creditCodes = new[] { first, second } };

        var created = await officer.ListAsync(body, "list-21");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var ids = (await created.JsonAsync()).EnumerateArray().Select(c => c.GetProperty("id").GetGuid()).ToList();
        Assert.Equal(2, ids.Count);
        var replay = await officer.ListAsync(body, "list-21");
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal(ids, (await replay.JsonAsync()).EnumerateArray().Select(c => c.GetProperty("id").GetGuid()).ToList());

        var again = await officer.ListAsync(body);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Single(await again.FieldErrorsAsync("creditCodes[0]"));
        Assert.Single(await again.FieldErrorsAsync("creditCodes[1]"));
        Assert.Equal(2L, await host.ScalarAsync<long>("SELECT COUNT(*) FROM audit_cycles WHERE list_reference = '苏环办〔2026〕21号'"));

        // Each cycle has its instance (business key = cycle id) for the city; Nanjing's staff do not see it.
        var cycle = await host.CycleAsync(ids[0], "audit-officer.suzhou");
        Assert.Equal("first-year", cycle.Status());
        await host.EnsureUserAsync("audit-officer.nanjing", "nanjing", "audit-officer");
        var nanjing = await host.As("audit-officer.nanjing");
        Assert.Equal(HttpStatusCode.NotFound, (await nanjing.GetAsync($"/api/v1/audit-cycles/{ids[0]}")).StatusCode);
        Assert.Empty((await (await nanjing.GetAsync("/api/v1/audit-cycles")).JsonAsync()).EnumerateArray());
        Assert.Equal(HttpStatusCode.Forbidden, (await nanjing.GetAsync("/api/v1/audit-cycles?city=suzhou")).StatusCode);
        var listed = (await (await officer.GetAsync("/api/v1/audit-cycles?status=first-year")).JsonAsync()).EnumerateArray().Select(c => c.GetProperty("id").GetGuid());
        Assert.Contains(ids[1], listed);
        Assert.Single(await (await officer.GetAsync("/api/v1/audit-cycles?status=open")).FieldErrorsAsync("status"));
    }
}

/// <summary>A failed evaluation closes the cycle as failed; the city re-lists the enterprise, which opens a new cycle.</summary>
public sealed class AuditFailureTests(AuditHostsFixture hosts) : IClassFixture<AuditHostsFixture>
{
    [Fact]
    public async Task A_failed_evaluation_closes_the_cycle_and_the_enterprise_may_be_listed_again()
    {
        var host = await hosts.HostAsync(DatabaseProvider.Sqlite);
        var code = await host.EnterpriseAsync();
        var id = await host.ListedAsync(code, reference: "苏环办〔2026〕30号");
        var cycle = await host.CycleAsync(id);
        await host.DoAsync("audit-officer.suzhou", cycle.TaskOf("record-information"), new { variables = new { informationPublishedOn = "2026-03-10", publicationUrl = "https://www.example.com/i" } });
        await host.DoAsync("audit-officer.suzhou", cycle.TaskOf("record-start"), new { variables = new { auditStartedOn = "2026-03-10", startEvidence = "审核小组成立" } });

        // A date before the list is not recorded: the officer gets a correction task, the clock keeps running.
        await host.DoAsync("audit-officer.suzhou", cycle.TaskOf("record-report"), new { variables = new { reportSubmittedOn = "2026-03-09", reportNumber = "QJSC-F-1" } });
        cycle = await host.CycleAsync(id);
        Assert.Equal(["correct-report"], cycle.OpenTasks());
        Assert.Null(cycle.GetProperty("milestones").EnumerateArray().Last().GetProperty("recordedOn").GetString());
        Assert.Equal("running", cycle.Clock("audit.cycle").GetProperty("state").GetString());
        var variables = (await (await host.As("admin.province")).InstanceAsync(cycle.InstanceOf())).GetProperty("variables");
        Assert.Contains("2026-03-09", variables.GetProperty("recordingProblem").GetString());
        Assert.Empty((await (await host.As("admin.province")).InstanceAsync(cycle.InstanceOf())).GetProperty("incidents").EnumerateArray());
        await host.DoAsync("audit-officer.suzhou", cycle.TaskOf("correct-report"), new { variables = new { reportSubmittedOn = "2026-03-10", reportNumber = "QJSC-F-1" } });
        cycle = await host.CycleAsync(id);
        Assert.Equal("2026-03-10", cycle.GetProperty("milestones").EnumerateArray().Last().GetProperty("recordedOn").GetString());
        Assert.Equal(["evaluate"], cycle.OpenTasks());

        // A qualified acceptance without its level goes back to the officer; nothing is recorded until it is complete.
        await host.DoAsync("audit-officer.suzhou", cycle.TaskOf("evaluate"), new { outcome = "pass", variables = new { evaluatedOn = "2026-03-10", evaluationOpinion = "通过" } });
        await host.DoAsync("audit-officer.suzhou", (await host.CycleAsync(id)).TaskOf("accept"),
            new { outcome = "qualified", variables = new { acceptedOn = "2026-03-10", acceptanceDocumentNumber = "苏环验〔2026〕F1号", acceptanceOpinion = "合格" } });
        cycle = await host.CycleAsync(id);
        Assert.Equal("accepting", cycle.Status());
        Assert.Equal(["accept"], cycle.OpenTasks());
        Assert.Equal(JsonValueKind.Null, cycle.GetProperty("result").GetProperty("acceptanceOutcome").ValueKind);
        await host.DoAsync("audit-officer.suzhou", cycle.TaskOf("accept"),
            new { outcome = "qualified", variables = new { acceptedOn = "2026-03-10", level = "Ⅲ", acceptanceDocumentNumber = "苏环验〔2026〕F1号", acceptanceOpinion = "合格" } });
        Assert.Equal("accepted", (await host.CycleAsync(id)).Status());

        var second = await host.ListedAsync(await host.EnterpriseAsync(), reference: "苏环办〔2026〕31号");
        cycle = await host.CycleAsync(second);
        await host.DoAsync("audit-officer.suzhou", cycle.TaskOf("record-report"), new { variables = new { reportSubmittedOn = "2026-03-10", reportNumber = "QJSC-F-2" } });
        await host.DoAsync("audit-officer.suzhou", cycle.TaskOf("record-information"), new { variables = new { informationPublishedOn = "2026-03-10", publicationUrl = "https://www.example.com/i" } });
        await host.DoAsync("audit-officer.suzhou", cycle.TaskOf("record-start"), new { variables = new { auditStartedOn = "2026-03-10", startEvidence = "审核小组成立" } });
        await host.DoAsync("audit-officer.suzhou", (await host.CycleAsync(second)).TaskOf("evaluate"),
            new { outcome = "fail", variables = new { evaluatedOn = "2026-03-10", evaluationOpinion = "审核数据不实" } });
        cycle = await host.CycleAsync(second);
        Assert.Equal("failed", cycle.Status());
        Assert.Equal("fail", cycle.GetProperty("result").GetProperty("evaluationOutcome").GetString());
        Assert.Equal("评估未通过：审核数据不实", cycle.GetProperty("result").GetProperty("closedReason").GetString());
        Assert.Empty(cycle.OpenTasks());
        Assert.Equal("completed", (await (await host.As("auditor.province")).InstanceAsync(cycle.InstanceOf())).GetProperty("status").GetString());

        // Re-listed on the same list: a failed cycle is closed, so a new one opens.
        var code2 = cycle.GetProperty("cycle").GetProperty("creditCode").GetString()!;
        var again = await host.ListedAsync(code2, reference: "苏环办〔2026〕31号");
        Assert.NotEqual(second, again);
        Assert.Equal("first-year", (await host.CycleAsync(again)).Status());
    }
}

/// <summary>A milestone missed: at the due instant the breach is recorded and the approver gets the escalation task.</summary>
public sealed class AuditBreachTests(AuditHostsFixture hosts) : IClassFixture<AuditHostsFixture>
{
    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_missed_information_publication_is_a_breach_with_a_reminder_before_and_an_escalation_after(DatabaseProvider provider)
    {
        var host = await hosts.HostAsync(provider);
        var code = await host.EnterpriseAsync();
        var id = await host.ListedAsync(code);
        var instance = (await host.CycleAsync(id)).InstanceOf();

        // The working day before the due date (Thursday 04-09, 24:00): the officer is reminded.
        await host.AdvanceToAsync("2026-04-10T09:00:00+08:00");
        var cycle = await host.CycleAsync(id);
        Assert.Equal(["record-information", "record-report", "record-start", "remind-information"], cycle.OpenTasks());
        var auditor = await host.As("auditor.province");
        Assert.Empty((await (await auditor.GetAsync($"/api/v1/instances/{instance}/breaches")).JsonAsync()).EnumerateArray());

        // Friday 04-10 24:00 passes without the information published.
        await host.AdvanceToAsync("2026-04-11T09:00:00+08:00");
        auditor = await host.As("auditor.province"); // moving the clock expired the earlier sign-in
        var breach = Assert.Single((await (await auditor.GetAsync($"/api/v1/instances/{instance}/breaches")).JsonAsync()).EnumerateArray());
        Assert.Equal("audit.information", breach.GetProperty("clock").GetString());
        Assert.Equal("audit.information-publication", breach.GetProperty("rule").GetString());
        Assert.Equal(At("2026-04-11T00:00:00+08:00"), breach.GetProperty("dueAt").GetDateTimeOffset());
        cycle = await host.CycleAsync(id);
        Assert.True(cycle.Clock("audit.information").GetProperty("overdue").GetBoolean());
        var escalation = await (await host.As("approver.suzhou")).OpenTaskAsync(instance, "escalate-information");
        Assert.Empty(await (await host.As("audit-officer.suzhou")).TasksAsync($"instanceId={instance}&candidateGroup=approver"));

        await host.DoAsync("approver.suzhou", escalation, new { outcome = "ordered", variables = new { orderNumber = "苏环责改〔2026〕5号", escalationReasons = "逾期未公布企业信息，责令十日内改正" } });
        await host.DoAsync("audit-officer.suzhou", (await host.CycleAsync(id)).TaskOf("record-information"),
            new { variables = new { informationPublishedOn = "2026-04-11", publicationUrl = "https://www.example.com/info" } });
        cycle = await host.CycleAsync(id);
        Assert.Equal("stopped", cycle.Clock("audit.information").GetProperty("state").GetString());
        Assert.True(cycle.Clock("audit.information").GetProperty("overdue").GetBoolean());
        // The other milestones keep running on their own clocks.
        Assert.Equal("running", cycle.Clock("audit.start").GetProperty("state").GetString());
        Assert.Equal(["record-report", "record-start", "remind-information"], cycle.OpenTasks());
    }
}
