using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CleanProdFlow.Data.Database;
using CleanProdFlow.Domain.Revocation;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.Web.Revocation;
using CleanProdFlow.Web.Tests.Eia;
using CleanProdFlow.Web.Tests.Workflows;
using static CleanProdFlow.Web.Tests.Eia.EiaApi;

namespace CleanProdFlow.Web.Tests.Revocation;

/// <summary>
/// Issue 8 end to end: a penalty of an advanced enterprise with an open green-channel EIA case → verification →
/// notice → statement → review → the province revokes → register, lists, public list and the EIA case's limit all
/// follow, and the trail is in the journal and in GET /revocations/{id}; another city's officer cannot act.
/// </summary>
public sealed class RevocationLifecycleTests(EiaHostsFixture hosts) : IClassFixture<EiaHostsFixture>
{
    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_revocation_withdraws_every_incentive_and_moves_the_open_fast_track_case_to_the_full_limit(DatabaseProvider provider)
    {
        var host = await hosts.HostAsync(provider);
        await host.EnsureUserAsync("enforcement.nanjing", "nanjing", "enforcement");
        var code = await host.AdvancedEnterpriseAsync();

        // An open green-channel EIA case, with the halved decision limit.
        var caseNumber = (await host.AcceptedAsync(Application(code))).GetProperty("caseNumber").GetString()!;
        var eia = await (await host.As("acceptance.suzhou")).CaseAsync(caseNumber);
        Assert.Equal("fast", eia.GetProperty("track").GetString());
        var halvedDue = eia.DecisionClock().DueDate();

        // The penalty starts exactly one revocation; recording it again is refused and starts nothing.
        var enforcement = await host.As("enforcement.suzhou");
        Assert.Equal(HttpStatusCode.Created, (await enforcement.PenaltyAsync(code, "苏环罚〔2026〕101号")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await enforcement.PenaltyAsync(code, "苏环罚〔2026〕101号")).StatusCode);
        var opened = Assert.Single(await host.RevocationsAsync(code));
        Assert.Equal("penalty", opened.GetProperty("trigger").GetProperty("kind").GetString());
        Assert.Equal("verifying", opened.GetProperty("status").GetString());
        var id = opened.GetProperty("id").GetGuid();
        var instanceId = opened.GetProperty("instanceId").GetGuid();

        // Another city's enforcement officer sees neither the case nor its task, and cannot act on either.
        var nanjing = await host.As("enforcement.nanjing");
        Assert.Equal(HttpStatusCode.NotFound, (await nanjing.GetAsync($"/api/v1/revocations/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await nanjing.GetAsync($"/api/v1/enterprises/{code}/revocations")).StatusCode);
        Assert.Empty(await nanjing.TasksAsync($"instanceId={instanceId}"));
        var verifyTask = await host.TaskAsync(instanceId, "verify", "enforcement.suzhou");
        Assert.Equal(HttpStatusCode.NotFound, (await nanjing.CompleteAsync(verifyTask, new { outcome = "confirmed", variables = new { findings = "越权" } })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await nanjing.PostAsJsonAsync($"/api/v1/revocations/{id}/statement", new { statement = "越权" })).StatusCode);
        Assert.Equal("verifying", (await host.RevocationAsync(id)).GetProperty("status").GetString());

        // Verification → notice → the enterprise's statement (message) → review → the province's decision.
        await host.DoAsync("enforcement.suzhou", verifyTask, new { outcome = "confirmed", variables = new { findings = "处罚决定书已生效，违法事实清楚" } });
        await host.DoAsync("enforcement.suzhou", await host.TaskAsync(instanceId, "notify", "enforcement.suzhou"),
            new { variables = new { noticeNumber = "苏环告〔2026〕7号", deliveredOn = "2026-09-28" } });
        Assert.Equal("statement-window", (await host.RevocationAsync(id)).GetProperty("status").GetString());
        var statement = await enforcement.PostAsJsonAsync($"/api/v1/revocations/{id}/statement", new { statement = "企业已完成整改，请求维持激励" });
        Assert.True(statement.StatusCode == HttpStatusCode.OK, await statement.Content.ReadAsStringAsync());
        await host.DoAsync("enforcement.suzhou", await host.TaskAsync(instanceId, "review-statement", "enforcement.suzhou"),
            new { outcome = "rejected", variables = new { reviewOpinion = "整改不影响处罚事实，不予采纳" } });
        Assert.Empty(await (await host.As("approver.suzhou")).TasksAsync($"instanceId={instanceId}")); // the province decides, not the city
        await host.DoAsync("approver.province", await host.TaskAsync(instanceId, "decide", "approver.province"),
            new { outcome = "revoke", variables = new { decisionNumber = "苏环激〔2026〕1号", reasons = "受到生态环境行政处罚（通知第三部分第（二）项）" } });

        // The effect: everything that changed is on the case, and incentive.revoked reached the EIA case.
        var view = await host.DeliveredAsync(id);
        Assert.Equal("revoked", view.GetProperty("status").GetString());
        Assert.Equal("revoke", view.GetProperty("decision").GetProperty("decision").GetString());
        var effect = view.GetProperty("effect");
        Assert.Equal("revoked", effect.GetProperty("registerEntry").GetProperty("change").GetString());
        Assert.Equal(RevocationApi.Lists.Order(), effect.GetProperty("membershipsEnded").EnumerateArray().Select(m => m.GetProperty("list").GetString()!).Order());
        var reached = Assert.Single(view.GetProperty("correlated").GetProperty("instances").EnumerateArray());
        Assert.Equal(caseNumber, reached.GetProperty("businessKey").GetString());
        Assert.Equal(1, view.GetProperty("correlated").GetProperty("correlated").GetInt32());

        // Register, lists and the public lists.
        var approver = await host.As("approver.province");
        foreach (var list in RevocationApi.Lists)
            Assert.DoesNotContain(code, (await (await approver.GetAsync($"/api/v1/lists/{list}")).JsonAsync()).Codes());
        var anonymous = host.CreateClient();
        Assert.DoesNotContain(code, (await (await anonymous.GetAsync("/public/advanced-enterprises.json")).JsonAsync()).Codes());
        var revoked = (await (await anonymous.GetAsync("/public/revoked-certificates.json")).JsonAsync()).EnumerateArray()
            .Single(e => e.GetProperty("creditCode").GetString() == code);
        Assert.Equal("revoked", revoked.GetProperty("status").GetString());

        // The fast-track case now counts the full limit (working days already used stay used).
        eia = await (await host.As("acceptance.suzhou")).CaseAsync(caseNumber);
        Assert.True(string.CompareOrdinal(eia.DecisionClock().DueDate(), halvedDue) > 0, $"due {eia.DecisionClock().DueDate()} should be later than {halvedDue}");
        Assert.Contains(eia.GetProperty("journal").EnumerateArray(), j => j.GetProperty("kind").GetString() == "message.correlated"
            && j.GetProperty("elementId").GetString() == "incentive-revoked");

        // The trail: each step with its actor and time, the same in the instance's journal.
        var steps = view.GetProperty("steps").EnumerateArray().Where(s => s.GetProperty("status").GetString() == "completed")
            .ToDictionary(s => s.GetProperty("elementId").GetString()!, s => s);
        Assert.Equal(["decide", "notify", "review-statement", "verify"], steps.Keys.Order());
        Assert.Equal("enforcement.suzhou", steps["verify"].GetProperty("actor").GetString());
        Assert.Equal("approver.province", steps["decide"].GetProperty("actor").GetString());
        Assert.Equal("revoke", steps["decide"].GetProperty("outcome").GetString());
        var journal = await (await host.As("auditor.province")).JournalAsync(instanceId);
        Assert.Equal(4, journal.Count(j => j.GetProperty("kind").GetString() == "task.completed"));
        Assert.Contains(journal, j => j.GetProperty("kind").GetString() == "message.correlated" && j.GetProperty("elementId").GetString() == "statement-received");
        Assert.Contains(journal, j => j.GetProperty("elementId").GetString() == "apply");
        Assert.Equal(journal.Count, view.GetProperty("journal").GetArrayLength());

        // The penalty is annulled: the case is reopened for the province's review, not reinstated.
        Assert.Equal(HttpStatusCode.OK, (await enforcement.PostAsync($"/api/v1/enterprises/{code}/penalties/{Uri.EscapeDataString("苏环罚〔2026〕101号")}/annulment", null)).StatusCode);
        view = await host.RevocationAsync(id);
        Assert.Equal("review", view.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.String, view.GetProperty("trigger").GetProperty("annulledAt").ValueKind);
        var reviewInstance = view.GetProperty("review").GetProperty("instanceId").GetGuid();
        Assert.DoesNotContain(code, (await (await anonymous.GetAsync("/public/advanced-enterprises.json")).JsonAsync()).Codes());
        await host.DoAsync("approver.province", await host.TaskAsync(reviewInstance, "reexamine", "approver.province"),
            new { outcome = "maintain", variables = new { reasons = "另有未决的环境违法事实，维持取消决定" } });
        view = await host.RevocationAsync(id);
        Assert.Equal("maintained", view.GetProperty("status").GetString());
        Assert.Equal("maintain", view.GetProperty("review").GetProperty("outcome").GetString());
        Assert.Contains(view.GetProperty("steps").EnumerateArray(), s => s.GetProperty("elementId").GetString() == "reexamine");
    }
}

/// <summary>Which facts start a revocation, and that each starts exactly one.</summary>
public sealed class RevocationTriggerTests(EiaHostsFixture hosts) : IClassFixture<EiaHostsFixture>
{
    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Each_qualifying_fact_starts_exactly_one_revocation(DatabaseProvider provider)
    {
        var host = await hosts.HostAsync(provider);
        var code = await host.AdvancedEnterpriseAsync();
        var enforcement = await host.As("enforcement.suzhou");

        // 一般 accidents and non-environmental penalties start none.
        Assert.Equal(HttpStatusCode.Created, (await enforcement.AccidentAsync(code, "一般")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await enforcement.PenaltyAsync(code, "苏市监罚〔2026〕9号", eco: false)).StatusCode);
        Assert.Empty(await host.RevocationsAsync(code));

        // A 较大 accident starts one.
        Assert.Equal(HttpStatusCode.Created, (await enforcement.AccidentAsync(code, "较大")).StatusCode);
        Assert.Equal(["accident"], (await host.RevocationsAsync(code)).Select(c => c.GetProperty("trigger").GetProperty("kind").GetString()));

        // A complaint starts one only when verified as true, and verifying it again starts nothing.
        var complaints = new List<long>();
        foreach (var summary in new[] { "夜间偷排", "异味扰民" })
        {
            var recorded = await enforcement.PostAsJsonAsync($"/api/v1/enterprises/{code}/complaints", new { receivedOn = "2026-09-27", summary });
            Assert.Equal(HttpStatusCode.Created, recorded.StatusCode);
            complaints.Add((await recorded.JsonAsync()).GetProperty("id").GetInt64());
        }
        Assert.Equal(HttpStatusCode.OK, (await enforcement.PostAsJsonAsync($"/api/v1/enterprises/{code}/complaints/{complaints[0]}/verification", new { verifiedTrue = false })).StatusCode);
        Assert.Single(await host.RevocationsAsync(code));
        Assert.Equal(HttpStatusCode.OK, (await enforcement.PostAsJsonAsync($"/api/v1/enterprises/{code}/complaints/{complaints[1]}/verification", new { verifiedTrue = true })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await enforcement.PostAsJsonAsync($"/api/v1/enterprises/{code}/complaints/{complaints[1]}/verification", new { verifiedTrue = true })).StatusCode);

        // An eco-environmental penalty starts one.
        Assert.Equal(HttpStatusCode.Created, (await enforcement.PenaltyAsync(code, "苏环罚〔2026〕202号")).StatusCode);
        var cases = await host.RevocationsAsync(code);
        Assert.Equal(["accident", "complaint", "penalty"], cases.Select(c => c.GetProperty("trigger").GetProperty("kind").GetString()!).Order());
        Assert.All(cases, c => Assert.Equal("verifying", c.GetProperty("status").GetString()));
        Assert.Equal(3, cases.Select(c => c.GetProperty("instanceId").GetGuid()).Distinct().Count());
        Assert.Equal(3, (await (await host.As("enforcement.suzhou")).TasksAsync("candidateGroup=enforcement&limit=200"))
            .Count(t => cases.Any(c => c.GetProperty("instanceId").GetGuid() == t.GetProperty("instanceId").GetGuid())));

        // The same fact recorded again (e.g. a second delivery of one accident) opens nothing new.
        var triggers = host.Service<RevocationTriggers>();
        var accidentCase = cases.Single(c => c.GetProperty("trigger").GetProperty("kind").GetString() == "accident");
        var again = await triggers.FactRecordedAsync(code, new RevocationTrigger(RevocationTrigger.Accident,
            accidentCase.GetProperty("trigger").GetProperty("id").GetString()!, "重复登记"), "enforcement.suzhou", CancellationToken.None);
        Assert.Equal(accidentCase.GetProperty("id").GetGuid(), again!.Id);
        Assert.Equal(3, (await host.RevocationsAsync(code)).Count);

        // An enterprise not on the register has no incentives to withdraw.
        var ordinary = await host.EnterpriseAsync(eligible: true);
        Assert.Equal(HttpStatusCode.Created, (await enforcement.PenaltyAsync(ordinary, "苏环罚〔2026〕303号")).StatusCode);
        Assert.Empty(await host.RevocationsAsync(ordinary));
    }
}

/// <summary>No statement by the end of the window (rule revocation.statement) → the decision; a decision to keep changes nothing.</summary>
public sealed class RevocationWindowTests(EiaHostsFixture hosts) : IClassFixture<EiaHostsFixture>
{
    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_window_expires_by_the_rule_and_a_decision_to_keep_changes_nothing(DatabaseProvider provider)
    {
        var host = await hosts.HostAsync(provider);
        var code = await host.AdvancedEnterpriseAsync();
        Assert.Equal(HttpStatusCode.Created, (await (await host.As("enforcement.suzhou")).AccidentAsync(code, "重大")).StatusCode);
        var opened = Assert.Single(await host.RevocationsAsync(code));
        var id = opened.GetProperty("id").GetGuid();
        var instanceId = opened.GetProperty("instanceId").GetGuid();
        await host.DoAsync("enforcement.suzhou", await host.TaskAsync(instanceId, "verify", "enforcement.suzhou"),
            new { outcome = "confirmed", variables = new { findings = "事故等级经核定为重大" } });
        await host.DoAsync("enforcement.suzhou", await host.TaskAsync(instanceId, "notify", "enforcement.suzhou"),
            new { variables = new { noticeNumber = "苏环告〔2026〕8号", deliveredOn = "2026-09-28" } });

        // The window's timer and the officer's task are due by the rule revocation.statement: 5 working days.
        var statementTask = Assert.Single(await (await host.As("enforcement.suzhou")).TasksAsync($"instanceId={instanceId}"));
        var startedAt = statementTask.GetProperty("createdAt").GetDateTimeOffset();
        var expected = host.Service<IStatutoryDueDates>().RuleDueAt("revocation.statement", false, startedAt);
        Assert.Equal(expected, statementTask.GetProperty("dueAt").GetDateTimeOffset());
        var journal = await (await host.As("auditor.province")).JournalAsync(instanceId);
        var armed = journal.Single(j => j.GetProperty("kind").GetString() == "timer.armed" && j.GetProperty("elementId").GetString() == "statement-window");
        Assert.Equal(expected, armed.GetProperty("data").GetProperty("dueAt").GetDateTimeOffset());
        // 9-29, 9-30, 10-08, 10-09 and the make-up Saturday 10-10 (National Day 10-01…10-07 is off): ends 24:00 of 10-10.
        Assert.Equal("2026-10-11T00:00:00+08:00", Beijing(expected));

        // Nothing arrives: the window closes and the province decides.
        await host.AdvanceToAsync(Beijing(expected.AddMinutes(1)));
        var view = await host.RevocationAsync(id);
        Assert.Equal("deciding", view.GetProperty("status").GetString());
        Assert.Contains(view.GetProperty("journal").EnumerateArray(), j => j.GetProperty("kind").GetString() == "timer.fired"
            && j.GetProperty("elementId").GetString() == "statement-window");
        Assert.Equal(HttpStatusCode.Conflict, (await (await host.As("enforcement.suzhou")).PostAsJsonAsync($"/api/v1/revocations/{id}/statement",
            new { statement = "逾期提交" })).StatusCode);

        // Reasons are required; a decision to keep changes nothing.
        var decide = await host.TaskAsync(instanceId, "decide", "approver.province");
        var refused = await (await host.As("approver.province")).CompleteAsync(decide, new { outcome = "keep", variables = new { decisionNumber = "苏环激〔2026〕2号" } });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        await host.DoAsync("approver.province", decide, new { outcome = "keep", variables = new { decisionNumber = "苏环激〔2026〕2号", reasons = "事故已妥善处置，维持激励" } });
        view = await host.RevocationAsync(id);
        Assert.Equal("kept", view.GetProperty("status").GetString());
        Assert.Empty(view.GetProperty("effect").GetProperty("changes").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, view.GetProperty("correlationStatus").ValueKind);
        var approver = await host.As("approver.province");
        foreach (var list in RevocationApi.Lists)
            Assert.Contains(code, (await (await approver.GetAsync($"/api/v1/lists/{list}")).JsonAsync()).Codes());
        Assert.Contains(code, (await (await host.CreateClient().GetAsync("/public/advanced-enterprises.json")).JsonAsync()).Codes());
    }
}
