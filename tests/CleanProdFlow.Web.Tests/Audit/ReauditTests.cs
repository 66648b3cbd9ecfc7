using System.Net;
using System.Text.Json;
using CleanProdFlow.Data.Database;
using CleanProdFlow.TestSupport;
using CleanProdFlow.Web.Tests.Eia;
using CleanProdFlow.Web.Tests.Workflows;
using static CleanProdFlow.Web.Tests.Audit.AuditApi;

namespace CleanProdFlow.Web.Tests.Audit;

/// <summary>
/// Issue 9 part 3 (measure 6): the daily sweep opens a re-audit obligation for each Level Ⅰ enterprise whose re-audit
/// date (accepted on + 5 years) is within 90 days; at that date the enterprise chooses; a Level Ⅰ certification closes the
/// obligation and records the audit result (source certification), anything else starts a normal cycle of kind re-audit.
/// </summary>
public sealed class ReauditTests(AuditHostsFixture hosts) : IClassFixture<AuditHostsFixture>
{
    /// <summary>The enterprise's obligation once its instance started (a job after the sweep committed), in <paramref name="status"/> if given.</summary>
    private static Task<JsonElement> ObligationAsync(CpfWebFactory host, string code, string? status = null) =>
        Eventually.UntilAsync<JsonElement>(async () =>
        {
            var found = (await (await (await host.As("auditor.province")).GetAsync($"/api/v1/audit-obligations?creditCode={code}")).JsonAsync())
                .EnumerateArray().ToList();
            return found.Count == 1 && found[0].GetProperty("instanceId").ValueKind == JsonValueKind.String
                && (status is null || found[0].GetProperty("status").GetString() == status)
                ? found[0]
                : null;
        }, $"a started obligation of {code}{(status is null ? "" : $" in status {status}")}");

    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_level_one_certification_counts_as_the_audit_and_anything_else_starts_a_re_audit_cycle(DatabaseProvider provider)
    {
        var host = await hosts.HostAsync(provider);
        var certified = await host.EnterpriseAsync(acceptedOn: "2021-04-20", level: "Ⅰ");
        var levelTwo = await host.EnterpriseAsync(acceptedOn: "2021-04-21", level: "Ⅰ");
        var choseAudit = await host.EnterpriseAsync(acceptedOn: "2021-04-21", level: "Ⅰ");
        var notYet = await host.EnterpriseAsync(acceptedOn: "2021-07-01", level: "Ⅰ"); // re-audit 2026-07-01: beyond 90 days
        var levelTwoNow = await host.EnterpriseAsync(acceptedOn: "2021-04-20", level: "Ⅱ"); // not Level Ⅰ: no obligation

        // The sweep of Wednesday 2026-03-11 01:00.
        await host.AdvanceToAsync("2026-03-11T02:00:00+08:00");
        var obligation = await ObligationAsync(host, certified, "waiting");
        Assert.Equal("2026-04-20", obligation.GetProperty("dueOn").GetString()); // 2021-04-20 + 5 years, a Monday
        Assert.Equal(DocumentOf(certified), obligation.GetProperty("previousDocumentNumber").GetString());
        Assert.Equal("2026-04-21", (await ObligationAsync(host, levelTwo, "waiting")).GetProperty("dueOn").GetString());
        await ObligationAsync(host, choseAudit, "waiting");
        var auditor = await host.As("auditor.province");
        Assert.Empty((await (await auditor.GetAsync($"/api/v1/audit-obligations?creditCode={notYet}")).JsonAsync()).EnumerateArray());
        Assert.Empty((await (await auditor.GetAsync($"/api/v1/audit-obligations?creditCode={levelTwoNow}")).JsonAsync()).EnumerateArray());
        var instance = obligation.GetProperty("instanceId").GetGuid();
        var interval = (await (await auditor.GetAsync($"/api/v1/instances/{instance}/clocks")).JsonAsync()).EnumerateArray()
            .Single(c => c.GetProperty("name").GetString() == "audit.interval");
        Assert.Equal("2026-04-20", interval.DueDate());
        Assert.Empty(await (await host.As("audit-officer.suzhou")).TasksAsync($"instanceId={instance}"));

        // The re-audit dates pass: each enterprise's choice is asked for; daily sweeps opened nothing twice.
        await host.AdvanceToAsync("2026-04-22T09:00:00+08:00");
        Assert.Equal(1L, await host.ScalarAsync<long>("SELECT COUNT(*) FROM audit_obligations WHERE credit_code = @certified", new { certified }));
        var officer = await host.As("audit-officer.suzhou");
        auditor = await host.As("auditor.province"); // moving the clock expired the earlier sign-in

        // Certified at Level Ⅰ: the obligation closes as if audited and the result is on the register.
        await host.DoAsync("audit-officer.suzhou", await officer.OpenTaskAsync(instance, "record-choice"),
            new { outcome = "certification", variables = new { choiceNote = "企业书面申请自愿性清洁生产评价认证" } });
        Assert.Equal("certifying", (await ObligationAsync(host, certified)).GetProperty("status").GetString());
        await host.DoAsync("audit-officer.suzhou", await officer.OpenTaskAsync(instance, "record-certification"), new
        {
            outcome = "certified",
            variables = new { certificationBody = "中环联合（北京）认证中心", certificateNumber = "CEC-QJSC-2026-0007", certifiedOn = "2026-04-22", certificationLevel = "Ⅰ" },
        });
        obligation = await ObligationAsync(host, certified);
        Assert.Equal("closed", obligation.GetProperty("status").GetString());
        Assert.Equal("certified", obligation.GetProperty("outcome").GetString());
        Assert.Equal("Ⅰ", obligation.GetProperty("certificationLevel").GetString());
        Assert.Equal(JsonValueKind.Null, obligation.GetProperty("cycleId").ValueKind);
        Assert.Equal("certification", await host.ScalarAsync<string>(
            "SELECT source FROM audit_results WHERE credit_code = @certified AND document_number = 'CEC-QJSC-2026-0007'", new { certified }));
        var enterprise = await (await auditor.GetAsync($"/api/v1/enterprises/{certified}")).JsonAsync();
        Assert.Equal("2026-04-22", enterprise.GetProperty("auditResults").EnumerateArray().Last().GetProperty("acceptedOn").GetString());
        Assert.True(enterprise.GetProperty("eligibility").GetProperty("eligible").GetBoolean());
        var history = (await (await auditor.GetAsync($"/api/v1/enterprises/{certified}/eligibility/history")).JsonAsync()).EnumerateArray().ToList();
        Assert.StartsWith("voluntary certification CEC-QJSC-2026-0007", history[^1].GetProperty("cause").GetString());
        Assert.Equal("completed", (await auditor.InstanceAsync(instance)).GetProperty("status").GetString());

        // Certified at Level Ⅱ: the normal audit cycle of kind re-audit starts, counted from today.
        var second = (await ObligationAsync(host, levelTwo)).GetProperty("instanceId").GetGuid();
        await host.DoAsync("audit-officer.suzhou", await officer.OpenTaskAsync(second, "record-choice"),
            new { outcome = "certification", variables = new { choiceNote = "申请认证" } });
        await host.DoAsync("audit-officer.suzhou", await officer.OpenTaskAsync(second, "record-certification"), new
        {
            outcome = "certified",
            variables = new { certificationBody = "中环联合（北京）认证中心", certificateNumber = "CEC-QJSC-2026-0008", certifiedOn = "2026-04-22", certificationLevel = "Ⅱ" },
        });
        var auditing = await ObligationAsync(host, levelTwo, "auditing");
        Assert.Equal("Ⅱ", auditing.GetProperty("certificationLevel").GetString());
        Assert.Equal(0L, await host.ScalarAsync<long>("SELECT COUNT(*) FROM audit_results WHERE credit_code = @levelTwo AND source = 'certification'", new { levelTwo }));
        var cycle = await host.CycleAsync(auditing.GetProperty("cycleId").GetGuid());
        Assert.Equal("re-audit", cycle.GetProperty("cycle").GetProperty("kind").GetString());
        Assert.Equal("first-year", cycle.Status());
        Assert.Equal("2026-04-22", cycle.GetProperty("cycle").GetProperty("listedOn").GetString());
        Assert.Equal(auditing.GetProperty("id").GetGuid(), cycle.GetProperty("obligationId").GetGuid());
        Assert.Equal("2027-04-22", cycle.Clock("audit.cycle").DueDate()); // one year from 2026-04-22, a Thursday
        Assert.Equal(["record-information", "record-report", "record-start"], cycle.OpenTasks());
        Assert.Equal("running", (await auditor.InstanceAsync(second)).GetProperty("status").GetString()); // waits for the called cycle

        // The called cycle runs to a qualified acceptance: the obligation closes as audited and the re-audit instance ends.
        var cycleId = auditing.GetProperty("cycleId").GetGuid();
        await host.DoAsync("audit-officer.suzhou", cycle.TaskOf("record-information"), new { variables = new { informationPublishedOn = "2026-04-22", publicationUrl = "https://www.example.com/i" } });
        await host.DoAsync("audit-officer.suzhou", cycle.TaskOf("record-start"), new { variables = new { auditStartedOn = "2026-04-22", startEvidence = "审核小组成立" } });
        await host.DoAsync("audit-officer.suzhou", cycle.TaskOf("record-report"), new { variables = new { reportSubmittedOn = "2026-04-22", reportNumber = "QJSC-R-1" } });
        await host.DoAsync("audit-officer.suzhou", (await host.CycleAsync(cycleId)).TaskOf("evaluate"),
            new { outcome = "pass", variables = new { evaluatedOn = "2026-04-22", evaluationOpinion = "通过" } });
        await host.DoAsync("audit-officer.suzhou", (await host.CycleAsync(cycleId)).TaskOf("accept"),
            new { outcome = "qualified", variables = new { acceptedOn = "2026-04-22", level = "Ⅰ", acceptanceDocumentNumber = "苏环验〔2026〕R1号", acceptanceOpinion = "国际领先" } });
        Assert.Equal("accepted", (await host.CycleAsync(cycleId)).Status());
        var audited = await ObligationAsync(host, levelTwo, "closed");
        Assert.Equal("audited", audited.GetProperty("outcome").GetString());
        Assert.Equal("completed", (await auditor.InstanceAsync(second)).GetProperty("status").GetString());
        Assert.Equal(1L, await host.ScalarAsync<long>("SELECT COUNT(*) FROM audit_results WHERE credit_code = @levelTwo AND document_number = '苏环验〔2026〕R1号' AND source IS NULL",
            new { levelTwo }));

        // The enterprise chose the audit: the cycle starts at once.
        var third = (await ObligationAsync(host, choseAudit)).GetProperty("instanceId").GetGuid();
        await host.DoAsync("audit-officer.suzhou", await officer.OpenTaskAsync(third, "record-choice"),
            new { outcome = "audit", variables = new { choiceNote = "企业选择开展清洁生产审核" } });
        var audit = await ObligationAsync(host, choseAudit, "auditing");
        Assert.Equal("audit", audit.GetProperty("choice").GetString());
        Assert.Equal("first-year", (await host.CycleAsync(audit.GetProperty("cycleId").GetGuid())).Status());
    }
}
