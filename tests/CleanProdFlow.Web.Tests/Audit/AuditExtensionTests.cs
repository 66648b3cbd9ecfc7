using System.Net;
using System.Net.Http.Json;
using CleanProdFlow.Data.Database;
using CleanProdFlow.Web.Tests.Eia;
using CleanProdFlow.Web.Tests.Workflows;
using static CleanProdFlow.Web.Tests.Audit.AuditApi;

namespace CleanProdFlow.Web.Tests.Audit;

/// <summary>
/// Issue 9 part 2 (measure 7): a request on any of the three grounds, reviewed by the audit officer and approved by the
/// city's approver, moves the cycle clock from listedOn + 1 year to listedOn + 2 years, and with it the report task's due
/// date and its armed reminder and breach timers; a refusal moves nothing; bad requests are 400s that store nothing.
/// </summary>
public sealed class AuditExtensionTests(AuditHostsFixture hosts) : IClassFixture<AuditHostsFixture>
{
    private const string Penalty = "苏环罚〔2026〕31号";

    private static async Task<string> PenalisedEnterpriseAsync(CpfWebFactory host, string decidedOn = "2026-03-10", string? number = null)
    {
        var code = await host.EnterpriseAsync();
        var penalty = await (await host.As("enforcement.suzhou")).PostAsJsonAsync($"/api/v1/enterprises/{code}/penalties",
            new { decisionNumber = number ?? Penalty, decidedOn, authority = "苏州市生态环境局", ecoEnvironmental = true });
        Assert.True(penalty.StatusCode == HttpStatusCode.Created, await penalty.Content.ReadAsStringAsync());
        return code;
    }

    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite, "eia-approval")]
    [InlineData(DatabaseProvider.Sqlite, "renovation")]
    [InlineData(DatabaseProvider.Sqlite, "penalty-rectification")]
    [InlineData(DatabaseProvider.Postgres, "eia-approval")]
    [InlineData(DatabaseProvider.Postgres, "renovation")]
    [InlineData(DatabaseProvider.Postgres, "penalty-rectification")]
    public async Task An_approved_extension_moves_the_cycle_due_date_by_a_year_with_its_timers(DatabaseProvider provider, string ground)
    {
        var host = await hosts.HostAsync(provider);
        var code = ground == "penalty-rectification" ? await PenalisedEnterpriseAsync(host) : await host.EnterpriseAsync();
        var id = await host.ListedAsync(code);
        var cycle = await host.CycleAsync(id);
        var instance = cycle.InstanceOf();
        Assert.Equal("2027-03-10", cycle.Clock("audit.cycle").DueDate());
        var timers = await host.PendingTimersAsync(instance);
        Assert.Equal(At("2027-03-11T00:00:00+08:00"), timers["report-due"]);
        Assert.Equal(At("2027-03-10T00:00:00+08:00"), timers["report-day-before"]);

        var officer = await host.As("audit-officer.suzhou");
        var requested = await officer.RequestExtensionAsync(id, new
        {
            ground, evidence = "中/高费方案“电镀线改造”需办理环评审批，预计实施 14 个月", penaltyDecisionNumber = ground == "penalty-rectification" ? Penalty : null,
        });
        Assert.True(requested.StatusCode == HttpStatusCode.Created, await requested.Content.ReadAsStringAsync());
        Assert.Equal("pending", (await requested.JsonAsync()).GetProperty("status").GetString());
        cycle = await host.CycleAsync(id);
        await host.DoAsync("audit-officer.suzhou", cycle.TaskOf("review-extension"),
            new { outcome = "support", variables = new { extensionReviewOpinion = "符合措施 7 所列情形，建议延长" } });
        var decide = await (await host.As("approver.suzhou")).OpenTaskAsync(instance, "decide-extension");
        await host.DoAsync("approver.suzhou", decide, new { outcome = "approve", variables = new { extensionDecisionReasons = "同意延长至两年" } });

        cycle = await host.CycleAsync(id);
        var clock = cycle.Clock("audit.cycle");
        Assert.Equal("2028-03-10", clock.DueDate());
        Assert.Equal("audit.cycle.extended", clock.GetProperty("rule").GetString());
        Assert.Contains(clock.GetProperty("explanation").EnumerateArray().Select(l => l.GetString()!),
            line => line.StartsWith("（2026-03-10 起改按延长后的清洁生产审核周期计算；理由：", StringComparison.Ordinal) && line.Contains("苏环办〔2023〕332号 第二部分第7项"));
        Assert.Equal("audit.cycle.extended", cycle.GetProperty("cycle").GetProperty("cycleRule").GetString());
        var request = Assert.Single(cycle.GetProperty("extensionRequests").EnumerateArray());
        Assert.Equal("approved", request.GetProperty("status").GetString());
        Assert.Equal("support", request.GetProperty("reviewOutcome").GetString());
        Assert.Equal("2027-03-10", request.GetProperty("dueBefore").GetString());
        Assert.Equal("2028-03-10", request.GetProperty("dueAfter").GetString());

        // The armed timers and the report task moved in the same step; the other milestones' did not.
        timers = await host.PendingTimersAsync(instance);
        Assert.Equal(At("2028-03-11T00:00:00+08:00"), timers["report-due"]);
        Assert.Equal(At("2028-03-10T00:00:00+08:00"), timers["report-day-before"]); // 24:00 of Thursday 2028-03-09
        Assert.Equal(At("2026-04-11T00:00:00+08:00"), timers["information-due"]);
        var report = (await (await host.As("audit-officer.suzhou")).TasksAsync($"instanceId={instance}")).Single(t => t.GetProperty("elementId").GetString() == "record-report");
        Assert.Equal(At("2028-03-11T00:00:00+08:00"), report.GetProperty("dueAt").GetDateTimeOffset());
        var journal = await (await host.As("auditor.province")).JournalAsync(instance);
        Assert.Contains(journal, j => j.GetProperty("kind").GetString() == "timer.rescheduled" && j.GetProperty("elementId").GetString() == "report-due");

        // Extended once: another request is refused and nothing is stored.
        var again = await officer.RequestExtensionAsync(id, new { ground = "renovation", evidence = "再次申请" });
        Assert.Single(await again.FieldErrorsAsync("cycle"));
        Assert.Single((await host.CycleAsync(id)).GetProperty("extensionRequests").EnumerateArray());
    }

    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_refused_extension_moves_nothing_and_a_new_request_may_follow(DatabaseProvider provider)
    {
        var host = await hosts.HostAsync(provider);
        var id = await host.ListedAsync(await host.EnterpriseAsync());
        var instance = (await host.CycleAsync(id)).InstanceOf();
        var before = await host.PendingTimersAsync(instance);
        var officer = await host.As("audit-officer.suzhou");

        Assert.Equal(HttpStatusCode.Created, (await officer.RequestExtensionAsync(id, new { ground = "renovation", evidence = "技改项目实施期 18 个月" })).StatusCode);
        var pending = await officer.RequestExtensionAsync(id, new { ground = "eia-approval", evidence = "另一申请" });
        Assert.Single(await pending.FieldErrorsAsync("cycle")); // one pending at a time
        await host.DoAsync("audit-officer.suzhou", await officer.OpenTaskAsync(instance, "review-extension"),
            new { outcome = "oppose", variables = new { extensionReviewOpinion = "技改项目实施期不足一年" } });
        await host.DoAsync("approver.suzhou", await (await host.As("approver.suzhou")).OpenTaskAsync(instance, "decide-extension"),
            new { outcome = "refuse", variables = new { extensionDecisionReasons = "不符合措施 7 第（二）项" } });

        var cycle = await host.CycleAsync(id);
        Assert.Equal("2027-03-10", cycle.Clock("audit.cycle").DueDate());
        Assert.Equal("audit.cycle", cycle.Clock("audit.cycle").GetProperty("rule").GetString());
        Assert.Equal("audit.cycle", cycle.GetProperty("cycle").GetProperty("cycleRule").GetString());
        var refused = Assert.Single(cycle.GetProperty("extensionRequests").EnumerateArray());
        Assert.Equal("refused", refused.GetProperty("status").GetString());
        Assert.Equal("oppose", refused.GetProperty("reviewOutcome").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, refused.GetProperty("dueAfter").ValueKind);
        Assert.Equal(before, await host.PendingTimersAsync(instance));

        // Refused is not approved: the enterprise may ask again.
        Assert.Equal(HttpStatusCode.Created, (await officer.RequestExtensionAsync(id, new { ground = "eia-approval", evidence = "中/高费方案需环评批复" })).StatusCode);
        Assert.Equal(2, (await host.CycleAsync(id)).GetProperty("extensionRequests").GetArrayLength());
    }

    [Fact]
    public async Task Bad_requests_are_refused_naming_the_field_and_store_nothing()
    {
        var host = await hosts.HostAsync(DatabaseProvider.Sqlite);
        var unpenalised = await host.ListedAsync(await host.EnterpriseAsync());
        var officer = await host.As("audit-officer.suzhou");

        // Ground (c) without a penalty in the register.
        var noPenalty = await officer.RequestExtensionAsync(unpenalised, new { ground = "penalty-rectification", evidence = "整改中", penaltyDecisionNumber = "苏环罚〔2026〕99号" });
        Assert.Equal(HttpStatusCode.BadRequest, noPenalty.StatusCode);
        Assert.Single(await noPenalty.FieldErrorsAsync("penaltyDecisionNumber"));
        var missing = await officer.RequestExtensionAsync(unpenalised, new { ground = "penalty-rectification", evidence = "整改中" });
        Assert.Single(await missing.FieldErrorsAsync("penaltyDecisionNumber"));
        var invalid = await officer.RequestExtensionAsync(unpenalised, new { ground = "weather", evidence = " " });
        Assert.Single(await invalid.FieldErrorsAsync("ground"));
        Assert.Single(await invalid.FieldErrorsAsync("evidence"));
        Assert.Equal(0L, await host.ScalarAsync<long>("SELECT COUNT(*) FROM audit_extension_requests WHERE cycle_id = @id", new { id = unpenalised }));
        Assert.Empty((await host.CycleAsync(unpenalised)).GetProperty("extensionRequests").EnumerateArray());
        Assert.DoesNotContain("review-extension", (await host.CycleAsync(unpenalised)).OpenTasks());

        // A penalty decided before the list, or annulled, is not one of this cycle.
        var early = await PenalisedEnterpriseAsync(host, decidedOn: "2026-03-09", number: "苏环罚〔2026〕30号");
        var earlyCycle = await host.ListedAsync(early);
        var before = await officer.RequestExtensionAsync(earlyCycle, new { ground = "penalty-rectification", evidence = "整改中", penaltyDecisionNumber = "苏环罚〔2026〕30号" });
        Assert.Contains("2026-03-09", Assert.Single(await before.FieldErrorsAsync("penaltyDecisionNumber")));
        var annulledCode = await PenalisedEnterpriseAsync(host);
        Assert.Equal(HttpStatusCode.OK, (await (await host.As("enforcement.suzhou")).PostAsync(
            $"/api/v1/enterprises/{annulledCode}/penalties/{Uri.EscapeDataString(Penalty)}/annulment", null)).StatusCode);
        var annulled = await officer.RequestExtensionAsync(await host.ListedAsync(annulledCode),
            new { ground = "penalty-rectification", evidence = "整改中", penaltyDecisionNumber = Penalty });
        Assert.Single(await annulled.FieldErrorsAsync("penaltyDecisionNumber"));

        // Roles and cities: an approver does not record requests; another city's officer does not see the cycle.
        Assert.Equal(HttpStatusCode.Forbidden, (await (await host.As("approver.suzhou")).RequestExtensionAsync(unpenalised, new { ground = "renovation", evidence = "x" })).StatusCode);
        await host.EnsureUserAsync("audit-officer.nanjing", "nanjing", "audit-officer");
        Assert.Equal(HttpStatusCode.NotFound, (await (await host.As("audit-officer.nanjing")).RequestExtensionAsync(unpenalised, new { ground = "renovation", evidence = "x" })).StatusCode);
        Assert.Equal(0L, await host.ScalarAsync<long>("SELECT COUNT(*) FROM audit_extension_requests WHERE cycle_id = @id", new { id = unpenalised }));
    }
}

/// <summary>The audit-cycle page: the city's cycles with the report's due date (extended or not) and a link to the case; another city sees none.</summary>
public sealed class AuditPagesTests(AuditHostsFixture hosts) : IClassFixture<AuditHostsFixture>
{
    [Fact]
    public async Task The_page_lists_the_citys_cycles_with_the_report_due_date()
    {
        var host = await hosts.HostAsync(DatabaseProvider.Sqlite);
        var code = await host.EnterpriseAsync();
        var id = await host.ListedAsync(code, reference: "苏环办〔2026〕40号");
        var instance = (await host.CycleAsync(id)).InstanceOf();
        await host.EnsureUserAsync("audit-officer.nanjing", "nanjing", "audit-officer");

        var (status, html) = await (await CleanProdFlow.Web.Tests.Compliance.PageSession.SignInAsync(host, "audit-officer.suzhou")).GetAsync("/audit-cycles");
        var (_, firstYear) = await (await CleanProdFlow.Web.Tests.Compliance.PageSession.SignInAsync(host, "auditor.province")).GetAsync("/audit-cycles?status=first-year");
        var (_, accepted) = await (await CleanProdFlow.Web.Tests.Compliance.PageSession.SignInAsync(host, "auditor.province")).GetAsync("/audit-cycles?status=accepted");
        var (_, nanjing) = await (await CleanProdFlow.Web.Tests.Compliance.PageSession.SignInAsync(host, "audit-officer.nanjing")).GetAsync("/audit-cycles");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"江苏审核{code[^5..]}材料有限公司", html);
        Assert.Contains("苏环办〔2026〕40号", html);
        Assert.Contains("2027-03-10", html);
        Assert.Contains($"/cases/{instance}", html);
        Assert.Contains("苏环办〔2026〕40号", firstYear);
        Assert.DoesNotContain("苏环办〔2026〕40号", accepted);
        Assert.DoesNotContain("苏环办〔2026〕40号", nanjing);
    }
}
