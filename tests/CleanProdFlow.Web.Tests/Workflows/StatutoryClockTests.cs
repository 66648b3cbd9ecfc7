using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CleanProdFlow.Data.Database;

namespace CleanProdFlow.Web.Tests.Workflows;

/// <summary>
/// A statutory clock driven from BPMN (clock.start, clock.breach) and by staff (pause, resume, extend): the task
/// due date and the armed reminder and breach timers follow every move, on the cn-mainland working-day calendar.
/// </summary>
public sealed class StatutoryClockTests
{
    private const string Monday = "2026-11-02T09:00:00+08:00";

    private static string Definition(string key) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
                          xmlns:cpf="https://cleanprodflow.example/schema/1.0" id="defs" targetNamespace="https://cleanprodflow.example/tests">
          <bpmn:process id="{key}" name="测试：审批时限" isExecutable="true">
            <bpmn:startEvent id="start"/>
            <bpmn:serviceTask id="start-clock" name="开始审批计时" cpf:handler="clock.start">
              <bpmn:extensionElements><cpf:input name="clock" value="decision"/><cpf:input name="rule" value="eia.decision.form"/></bpmn:extensionElements>
            </bpmn:serviceTask>
            <bpmn:userTask id="decide" name="作出审批决定" cpf:candidateGroups="approver" cpf:clock="decision"/>
            <bpmn:boundaryEvent id="half-used" attachedToRef="decide" cancelActivity="false">
              <bpmn:timerEventDefinition cpf:clock="decision" cpf:clockPoint="half"/>
            </bpmn:boundaryEvent>
            <bpmn:boundaryEvent id="overdue" attachedToRef="decide" cancelActivity="false">
              <bpmn:timerEventDefinition cpf:clock="decision"/>
            </bpmn:boundaryEvent>
            <bpmn:userTask id="remind" name="时限过半提醒" cpf:candidateGroups="approver"/>
            <bpmn:serviceTask id="record-breach" name="记录超期" cpf:handler="clock.breach">
              <bpmn:extensionElements><cpf:input name="clock" value="decision"/></bpmn:extensionElements>
            </bpmn:serviceTask>
            <bpmn:userTask id="escalate" name="超期督办" cpf:candidateGroups="approver"/>
            <bpmn:serviceTask id="stop-clock" name="停止计时" cpf:handler="clock.stop">
              <bpmn:extensionElements><cpf:input name="clock" value="decision"/></bpmn:extensionElements>
            </bpmn:serviceTask>
            <bpmn:endEvent id="end"/>
            <bpmn:endEvent id="reminded"/>
            <bpmn:endEvent id="escalated"/>
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="start-clock"/>
            <bpmn:sequenceFlow id="f2" sourceRef="start-clock" targetRef="decide"/>
            <bpmn:sequenceFlow id="f3" sourceRef="decide" targetRef="stop-clock"/>
            <bpmn:sequenceFlow id="f4" sourceRef="stop-clock" targetRef="end"/>
            <bpmn:sequenceFlow id="f5" sourceRef="half-used" targetRef="remind"/>
            <bpmn:sequenceFlow id="f6" sourceRef="remind" targetRef="reminded"/>
            <bpmn:sequenceFlow id="f7" sourceRef="overdue" targetRef="record-breach"/>
            <bpmn:sequenceFlow id="f8" sourceRef="record-breach" targetRef="escalate"/>
            <bpmn:sequenceFlow id="f9" sourceRef="escalate" targetRef="escalated"/>
          </bpmn:process>
        </bpmn:definitions>
        """;

    private static async Task<JsonElement> ClockAsync(HttpClient client, Guid instance)
    {
        var response = await client.GetAsync($"/api/v1/instances/{instance}/clocks");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Assert.Single((await response.JsonAsync()).EnumerateArray());
    }

    private static async Task<string?> DueOfTaskAsync(HttpClient client, Guid instance, string elementId)
    {
        var task = Assert.Single(await client.TasksAsync($"instanceId={instance}"), t => t.GetProperty("elementId").GetString() == elementId);
        return task.GetProperty("dueAt").ValueKind == JsonValueKind.Null ? null : task.GetProperty("dueAt").GetString();
    }

    private static async Task AdvanceToAsync(CpfWebFactory host, string to)
    {
        var admin = await host.SignedInAsync("admin.province");
        var response = await admin.AdvanceAsync(new { to });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_due_date_and_its_timers_follow_pause_resume_and_extension_and_a_breach_is_recorded(DatabaseProvider provider)
    {
        await using var host = await CpfWebFactory.StartAsync(provider, settings: WorkflowApi.VirtualClock(Monday));
        var key = TestDefinitions.NewKey("clock");
        await (await host.SignedInAsync("admin.province")).DeployAsync(Definition(key));
        var review = await host.SignedInAsync("review.suzhou");
        var instance = await review.StartAsync(key, "EIA-TEST-1", new { fastTrack = true });
        var approver = await host.SignedInAsync("approver.suzhou");

        // Form-type EIA decision: 30 working days, halved on the fast track to 15: from Monday 11-02 (not counted) to 11-23.
        var clock = await ClockAsync(review, instance);
        Assert.Equal("2026-11-23", clock.GetProperty("dueDate").GetString());
        Assert.True(clock.GetProperty("halved").GetBoolean());
        Assert.Equal("eia.decision.form", clock.GetProperty("rule").GetString());
        Assert.Equal("2026-11-24T00:00:00+08:00", await DueOfTaskAsync(approver, instance, "decide"));

        // Expert review from Tuesday 10:00 to the next Tuesday 09:00: five working days not counted (11-03 … 11-09).
        await AdvanceToAsync(host, "2026-11-03T10:00:00+08:00");
        review = await host.SignedInAsync("review.suzhou");
        var pause = await review.PostAsJsonAsync($"/api/v1/instances/{instance}/clocks/decision/pause",
            new { reason = "专家评审", legalBasis = "《中华人民共和国行政许可法》第四十五条" });
        Assert.Equal(HttpStatusCode.OK, pause.StatusCode);
        Assert.Equal("paused", (await pause.JsonAsync()).GetProperty("state").GetString());
        Assert.Null(await DueOfTaskAsync(await host.SignedInAsync("approver.suzhou"), instance, "decide"));
        Assert.Equal(HttpStatusCode.Conflict, (await review.PostAsJsonAsync($"/api/v1/instances/{instance}/clocks/decision/pause",
            new { reason = "again" })).StatusCode);

        await AdvanceToAsync(host, "2026-11-10T09:00:00+08:00");
        review = await host.SignedInAsync("review.suzhou");
        var resume = await review.PostAsJsonAsync($"/api/v1/instances/{instance}/clocks/decision/resume", new { });
        Assert.Equal(HttpStatusCode.OK, resume.StatusCode);
        Assert.Equal("2026-11-30", (await resume.JsonAsync()).GetProperty("dueDate").GetString());
        Assert.Equal("2026-12-01T00:00:00+08:00", await DueOfTaskAsync(await host.SignedInAsync("approver.suzhou"), instance, "decide"));

        // Only an approver extends (行政许可法 art. 42); ten working days move the due date from 11-30 to 12-14.
        Assert.Equal(HttpStatusCode.Forbidden, (await review.PostAsJsonAsync($"/api/v1/instances/{instance}/clocks/decision/extend",
            new { days = 10, reason = "情况复杂" })).StatusCode);
        approver = await host.SignedInAsync("approver.suzhou");
        var bad = await approver.PostAsJsonAsync($"/api/v1/instances/{instance}/clocks/decision/extend", new { days = 0 });
        Assert.NotEmpty(await bad.FieldErrorsAsync("days"));
        Assert.NotEmpty(await bad.FieldErrorsAsync("reason"));
        var extend = await approver.PostAsJsonAsync($"/api/v1/instances/{instance}/clocks/decision/extend", new { days = 10, reason = "情况复杂，经负责人批准" });
        Assert.Equal(HttpStatusCode.OK, extend.StatusCode);
        Assert.Equal("2026-12-14", (await extend.JsonAsync()).GetProperty("dueDate").GetString());
        Assert.Equal("2026-12-15T00:00:00+08:00", await DueOfTaskAsync(approver, instance, "decide"));

        // Half of 25 working days (13) is used at the end of 11-26: no reminder before, one after.
        await AdvanceToAsync(host, "2026-11-26T09:00:00+08:00");
        approver = await host.SignedInAsync("approver.suzhou");
        Assert.DoesNotContain(await approver.TasksAsync($"instanceId={instance}"), t => t.GetProperty("elementId").GetString() == "remind");
        await AdvanceToAsync(host, "2026-11-27T09:00:00+08:00");
        approver = await host.SignedInAsync("approver.suzhou");
        Assert.Single(await approver.TasksAsync($"instanceId={instance}"), t => t.GetProperty("elementId").GetString() == "remind");

        // Past the due date: a breach record and the escalation task.
        await AdvanceToAsync(host, "2026-12-15T09:00:00+08:00");
        approver = await host.SignedInAsync("approver.suzhou");
        Assert.Single(await approver.TasksAsync($"instanceId={instance}"), t => t.GetProperty("elementId").GetString() == "escalate");
        var breaches = (await (await approver.GetAsync($"/api/v1/instances/{instance}/breaches")).JsonAsync()).EnumerateArray().ToList();
        var breach = Assert.Single(breaches);
        Assert.Equal("2026-12-15T00:00:00+08:00", breach.GetProperty("dueAt").GetString());
        var journal = await approver.JournalAsync(instance);
        Assert.Equal(3, journal.Count(j => j.GetProperty("kind").GetString() == "timer.rescheduled" && j.GetProperty("elementId").GetString() == "overdue"));

        // The explanation names the pause with its legal basis and the extension.
        var explained = string.Join("\n", (await ClockAsync(approver, instance)).GetProperty("explanation").EnumerateArray().Select(l => l.GetString()));
        Assert.Contains("专家评审", explained);
        Assert.Contains("第四十五条", explained);
    }

    [Fact]
    public async Task Auditors_read_clocks_but_change_nothing_and_another_city_sees_no_clock()
    {
        await using var host = await CpfWebFactory.StartAsync(settings: WorkflowApi.VirtualClock(Monday));
        var key = TestDefinitions.NewKey("clock");
        await (await host.SignedInAsync("admin.province")).DeployAsync(Definition(key));
        var instance = await (await host.SignedInAsync("review.suzhou")).StartAsync(key, "EIA-TEST-2");
        await host.EnsureUserAsync("review.nanjing", "nanjing", "review");

        var auditor = await host.SignedInAsync("auditor.province");
        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync($"/api/v1/instances/{instance}/clocks")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await auditor.PostAsJsonAsync($"/api/v1/instances/{instance}/clocks/decision/pause",
            new { reason = "专家评审" })).StatusCode);

        var nanjing = await host.SignedInAsync("review.nanjing");
        Assert.Equal(HttpStatusCode.NotFound, (await nanjing.GetAsync($"/api/v1/instances/{instance}/clocks")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await nanjing.PostAsJsonAsync($"/api/v1/instances/{instance}/clocks/decision/pause",
            new { reason = "专家评审" })).StatusCode);

        var review = await host.SignedInAsync("review.suzhou");
        Assert.Equal(HttpStatusCode.NotFound, (await review.PostAsJsonAsync($"/api/v1/instances/{instance}/clocks/no-such-clock/pause",
            new { reason = "专家评审" })).StatusCode);
        Assert.NotEmpty(await (await review.PostAsJsonAsync($"/api/v1/instances/{instance}/clocks/decision/pause", new { reason = " " }))
            .FieldErrorsAsync("reason"));
        // Not fast-tracked: the full 30 working days.
        Assert.Equal("2026-12-14", (await ClockAsync(review, instance)).GetProperty("dueDate").GetString());
    }
}
