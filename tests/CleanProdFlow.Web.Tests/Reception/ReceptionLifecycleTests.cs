using System.Net;
using System.Text;
using System.Text.Json;
using CleanProdFlow.Data.Database;
using CleanProdFlow.Web.Revocation;
using CleanProdFlow.Web.Tests.Eia;
using CleanProdFlow.Web.Tests.Revocation;
using CleanProdFlow.Web.Tests.Workflows;

namespace CleanProdFlow.Web.Tests.Reception;

/// <summary>
/// Issue 9, measure 10 end to end on the virtual clock: a Suzhou session on Monday 2026-09-28 takes three requests;
/// the answer limit (reception.answer, 15 working days from the session date) spans 国庆 and the 10-10 make-up day, so
/// every request is due on 2026-10-23, also one typed in only after the holiday. One is answered on time and closes satisfied; one is answered, followed up as
/// unsatisfied, re-handled once on its own clock (due 2026-10-29) and closed; one is left unanswered: reminders,
/// then at the due date a breach and the escalation (催办) to the office's head, then a late answer.
/// </summary>
public sealed class ReceptionLifecycleTests(ReceptionHostsFixture hosts) : IClassFixture<ReceptionHostsFixture>
{
    private const string Due = "2026-10-23";

    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_session_s_requests_are_assigned_answered_followed_up_and_escalated_when_late(DatabaseProvider provider)
    {
        var host = await hosts.HostAsync(provider);
        // The limit the tests expect, from the Timing library itself: 15 working days after 2026-09-28 on the shipped calendar.
        Assert.Equal(EiaApi.Date(Due), EiaApi.Calendar.AddWorkingDays(EiaApi.Date(ReceptionHostsFixture.SessionDay), 15));

        var sessionId = await host.SessionAsync();
        var codes = new[] { await host.AdvancedEnterpriseAsync(), await host.AdvancedEnterpriseAsync(), await host.AdvancedEnterpriseAsync() };
        var rows = new List<JsonElement>();
        foreach (var (code, category) in codes.Zip(new[] { "policy", "permit", "funding" }))
            rows.Add(await host.RecordedAsync(sessionId, ReceptionApi.Request(code, category)));
        Assert.Equal(["苏州接待〔2026〕001", "苏州接待〔2026〕002", "苏州接待〔2026〕003"], rows.Select(r => r.Text("requestNumber")));
        Assert.All(rows, r =>
        {
            Assert.Equal("triage", r.Text("status"));
            Assert.Equal(Due, r.Text("dueDate"));
            Assert.Equal("running", r.Text("timing"));
        });
        var (onTime, unanswered, unsatisfied) = (rows[0], rows[1], rows[2]);
        Guid Instance(JsonElement row) => row.GetProperty("instanceId").GetGuid();

        // Triage: the acceptance officer names the office; its due date is the answer limit's.
        foreach (var (row, office) in new[] { (onTime, "audit"), (unanswered, "enforcement"), (unsatisfied, "quota") })
        {
            var triage = Assert.Single(await (await host.As("acceptance.suzhou")).TasksAsync($"instanceId={Instance(row)}"));
            Assert.Equal("triage", triage.GetProperty("elementId").GetString());
            Assert.Equal(EiaApi.At($"{Due}T00:00:00+08:00").AddDays(1), triage.GetProperty("dueAt").GetDateTimeOffset());
            await host.DoAsync("acceptance.suzhou", triage.GetProperty("id").GetGuid(), new { variables = new { office, triageNote = "请处室答复" } });
        }
        var assigned = await host.RowAsync(sessionId, Number(onTime));
        Assert.Equal("assigned", assigned.Text("status"));
        Assert.Equal("audit", assigned.Text("office"));
        Assert.Equal("清洁生产审核", assigned.Text("officeName"));

        // 2026-10-09 (after 国庆): a request of the same session typed in only now still counts from the session date.
        await host.AdvanceToAsync("2026-10-09T10:00:00+08:00");
        var recordedLate = await host.RecordedAsync(sessionId, ReceptionApi.Request(await host.AdvancedEnterpriseAsync(), "other"));
        Assert.Equal("苏州接待〔2026〕004", recordedLate.Text("requestNumber"));
        Assert.Equal(Due, recordedLate.Text("dueDate"));

        // Two answers, on time.
        await host.DoAsync("audit-officer.suzhou", await host.TaskAsync(Instance(onTime), "answer", "audit-officer.suzhou"),
            new { variables = new { answer = "已告知审核评估申报流程" } });
        await host.DoAsync("quota-officer.suzhou", await host.TaskAsync(Instance(unsatisfied), "answer", "quota-officer.suzhou"),
            new { variables = new { answer = "已说明收储资金来源" } });
        var answered = await host.RowAsync(sessionId, Number(onTime));
        Assert.Equal("answered", answered.Text("status"));
        Assert.Equal("2026-10-09T10:00", Minute(answered.GetProperty("answeredAt").GetDateTimeOffset())); // the virtual clock runs on from where it was set
        Assert.Equal("on-time", answered.Text("timing"));
        Assert.True(answered.GetProperty("onTime").GetBoolean());

        // Follow-up: satisfied closes; unsatisfied reopens once, for the same office, on a clock from the follow-up.
        await host.DoAsync("acceptance.suzhou", await host.TaskAsync(Instance(onTime), "follow-up", "acceptance.suzhou"),
            new { outcome = "satisfied", variables = new { feedback = "满意" } });
        await host.DoAsync("acceptance.suzhou", await host.TaskAsync(Instance(unsatisfied), "follow-up", "acceptance.suzhou"),
            new { outcome = "unsatisfied", variables = new { feedback = "收储价格未说明" } });
        var closed = await host.RowAsync(sessionId, Number(onTime));
        Assert.Equal("closed", closed.Text("status"));
        Assert.Equal("satisfied", closed.Text("satisfaction"));
        Assert.Empty(await host.OpenTasksAsync(Instance(onTime)));
        var reopened = await host.RowAsync(sessionId, Number(unsatisfied));
        Assert.Equal("rehandling", reopened.Text("status"));
        Assert.Equal("unsatisfied", reopened.Text("satisfaction"));
        Assert.Equal("2026-10-29", reopened.Text("rehandleDueDate")); // 15 working days from 10-09, the 10-10 make-up day counted
        Assert.Equal("running", reopened.Text("rehandleTiming"));
        Assert.Equal(["rehandle"], await host.OpenTasksAsync(Instance(unsatisfied)));
        await host.DoAsync("quota-officer.suzhou", await host.TaskAsync(Instance(unsatisfied), "rehandle", "quota-officer.suzhou"),
            new { variables = new { rehandleAnswer = "已补充说明收储价格" } });
        var rehandled = await host.RowAsync(sessionId, Number(unsatisfied));
        Assert.Equal("closed", rehandled.Text("status"));
        Assert.Equal("on-time", rehandled.Text("rehandleTiming"));
        Assert.Equal("on-time", rehandled.Text("timing"));
        Assert.Empty(await host.OpenTasksAsync(Instance(unsatisfied))); // one round only: no second follow-up

        // The unanswered request: reminders before the due date, nothing escalated yet.
        await host.AdvanceToAsync($"{Due}T12:00:00+08:00");
        Assert.Equal(["answer", "remind-day-before", "remind-three-quarters"], await host.OpenTasksAsync(Instance(unanswered)));
        Assert.Equal("running", (await host.RowAsync(sessionId, Number(unanswered))).Text("timing"));

        // 24:00 of the last day passed: a breach record and the escalation task for the head (approver) of the city.
        await host.AdvanceToAsync("2026-10-24T09:00:00+08:00");
        Assert.Equal(["answer", "escalate", "remind-day-before", "remind-three-quarters"], await host.OpenTasksAsync(Instance(unanswered)));
        var escalation = Assert.Single(await (await host.As("approver.suzhou")).TasksAsync($"instanceId={Instance(unanswered)}"));
        Assert.Equal("escalate", escalation.GetProperty("elementId").GetString());
        var breaches = await (await host.As("auditor.province")).GetAsync($"/api/v1/instances/{Instance(unanswered)}/breaches");
        var breach = Assert.Single((await breaches.JsonAsync()).EnumerateArray());
        Assert.Equal("reception.answer", breach.GetProperty("rule").GetString());
        var overdue = await host.RowAsync(sessionId, Number(unanswered));
        Assert.Equal("overdue", overdue.Text("timing"));
        Assert.False(overdue.GetProperty("onTime").GetBoolean());

        // The late answer stops the clock (late) and withdraws the open reminders and escalation.
        await host.AdvanceToAsync("2026-10-26T10:00:00+08:00");
        await host.DoAsync("enforcement.suzhou", await host.TaskAsync(Instance(unanswered), "answer", "enforcement.suzhou"),
            new { variables = new { answer = "已说明正面清单纳入条件" } });
        Assert.Equal(["follow-up"], await host.OpenTasksAsync(Instance(unanswered)));

        // The session's list: every request with its office, status, due date, answer time, result and satisfaction.
        var list = await host.SessionListAsync(sessionId, "acceptance.suzhou");
        Assert.Equal(ReceptionHostsFixture.SessionDay, list.GetProperty("session").Text("date"));
        Assert.Equal(4, list.GetProperty("count").GetInt32());
        var table = list.GetProperty("requests").EnumerateArray().Select(r => (r.Text("requestNumber"), r.Text("office"), r.Text("status"), r.Text("dueDate"),
            r.Text("timing"), r.Text("satisfaction"), r.GetProperty("creditCode").GetString())).ToList();
        Assert.Equal(
        [
            ("苏州接待〔2026〕001", "audit", "closed", Due, "on-time", "satisfied", codes[0]),
            ("苏州接待〔2026〕002", "enforcement", "answered", Due, "late", null, codes[1]),
            ("苏州接待〔2026〕003", "quota", "closed", Due, "on-time", "unsatisfied", codes[2]),
            ("苏州接待〔2026〕004", null, "triage", Due, "overdue", null, recordedLate.Text("creditCode")),
        ], table);
        Assert.Equal("2026-10-26T10:00", Minute(list.GetProperty("requests")[1].GetProperty("answeredAt").GetDateTimeOffset()));

        // The same list as CSV, UTF-8 with a byte-order mark.
        var csv = await (await host.As("acceptance.suzhou")).GetAsync($"/api/v1/reception/sessions/{sessionId}/requests.csv");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var bytes = await csv.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, lines.Length);
        Assert.StartsWith("诉求编号,统一社会信用代码,企业名称", lines[0]);
        Assert.StartsWith($"苏州接待〔2026〕002,{codes[1]},", lines[2]);
        Assert.Contains($",已答复，待回访,{Due},2026-10-26 10:00,超期答复,", lines[2]);
    }

    private static string Number(JsonElement row) => row.Text("requestNumber")!;

    private static string Minute(DateTimeOffset instant) =>
        instant.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture);
}
