using System.Net;
using System.Net.Http.Json;
using CleanProdFlow.Data.Database;
using CleanProdFlow.Web.Tests.Eia;
using CleanProdFlow.Web.Tests.Workflows;
using static CleanProdFlow.Web.Tests.Eia.EiaApi;

namespace CleanProdFlow.Web.Tests.Quota;

/// <summary>
/// Issue 10's second pass on SQLite and PostgreSQL, the virtual clock starting Monday 2026-09-28 09:00:
/// the province funds its reserve by pooling from a city reserve (上级统筹储备); the standard EIA track's quota step
/// uses the ledger — an enterprise active on the register when the step runs is allocated from the city reserve at
/// once, an ordinary one waits for the city's officer (on the decision clock) and the province (10 working days), which
/// allocates from the provincial reserve; the case does not reach the pre-approval publicity before that.
/// Reductions stand on an accepted audit of the enterprise, once per audit and pollutant; bids can be withdrawn
/// until an offer is matched to them.
/// </summary>
public sealed class QuotaStandardTrackTests(EiaHostsFixture hosts) : IClassFixture<EiaHostsFixture>
{
    private static async Task<(decimal Balance, decimal Reserved)> ProvinceAsync(CpfWebFactory host, string pollutant) =>
        await host.BalanceAsync("province-reserve", "province", pollutant);

    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_standard_track_allocates_from_the_ledger_and_the_province_allocates_from_the_reserve_it_funded(DatabaseProvider provider)
    {
        var host = await hosts.HostAsync(provider);
        await host.EnsureUserAsync("quota-officer.nanjing", "nanjing", "quota-officer");

        // Suzhou's reserve: 1 t/a COD; Nanjing's: 2 t/a COD.
        var depositor = await host.EnterpriseAsync(eligible: true);
        await host.ReductionAsync(depositor, "COD", 5m);
        await host.DepositAsync(depositor, "COD", 1m, "quota-officer.suzhou", "quota-officer.suzhou");
        var nanjingFirm = await host.EnterpriseAsync(eligible: true, city: "nanjing");
        await host.ReductionAsync(nanjingFirm, "COD", 3m, username: "admin.province");
        await host.DepositAsync(nanjingFirm, "COD", 2m, "admin.province", "quota-officer.nanjing");
        Assert.Equal((2m, 0m), await host.BalanceAsync("city-reserve", "nanjing", "COD"));

        // The province pools 1.5 t/a from Nanjing's reserve into its own; a city officer may not, bad input and too much change nothing.
        Assert.Equal(HttpStatusCode.Forbidden, (await (await host.As("quota-officer.suzhou")).PostAsJsonAsync("/api/v1/quota/pooling",
            new { fromCity = "nanjing", pollutant = "COD", amount = 1m, reference = "苏环统〔2026〕1号" })).StatusCode);
        var province = await host.As("quota-officer.province");
        var bad = await province.PostAsJsonAsync("/api/v1/quota/pooling", new { fromCity = "province", pollutant = "CO2", amount = 0.0001m, reference = " " });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        foreach (var field in new[] { "fromCity", "pollutant", "amount", "reference" })
            Assert.NotEmpty(await bad.FieldErrorsAsync(field));
        Assert.Equal(HttpStatusCode.Conflict, (await province.PostAsJsonAsync("/api/v1/quota/pooling",
            new { fromCity = "nanjing", pollutant = "COD", amount = 2.001m, reference = "苏环统〔2026〕1号" })).StatusCode);
        Assert.Equal((2m, 0m), await host.BalanceAsync("city-reserve", "nanjing", "COD"));
        Assert.Equal((0m, 0m), await ProvinceAsync(host, "COD"));
        var pooled = await host.PostCreatedAsync("quota-officer.province", "/api/v1/quota/pooling",
            new { fromCity = "nanjing", pollutant = "COD", amount = 1.5m, reference = "苏环统〔2026〕1号", reason = "省级统筹储备" });
        Assert.Equal((1.5m, 0.5m, false), (pooled.GetProperty("provinceReserveBalance").GetDecimal(), pooled.GetProperty("cityReserveBalance").GetDecimal(),
            pooled.GetProperty("replayed").GetBoolean()));
        var replay = await province.PostAsJsonAsync("/api/v1/quota/pooling", new { fromCity = "nanjing", pollutant = "COD", amount = 1.5m, reference = "苏环统〔2026〕1号" });
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal(pooled.GetProperty("entryId").GetGuid(), (await replay.JsonAsync()).GetProperty("entryId").GetGuid());
        var conflicting = await province.PostAsJsonAsync("/api/v1/quota/pooling", new { fromCity = "nanjing", pollutant = "COD", amount = 0.5m, reference = "苏环统〔2026〕1号" });
        Assert.NotEmpty(await conflicting.FieldErrorsAsync("reference"));
        Assert.Equal((0.5m, 0m), await host.BalanceAsync("city-reserve", "nanjing", "COD"));
        Assert.Equal((1.5m, 0m), await ProvinceAsync(host, "COD"));
        var movements = (await (await province.GetAsync("/api/v1/quota/accounts/province-reserve/province/COD/movements")).JsonAsync()).EnumerateArray().ToList();
        Assert.Equal([("pooling", 1.5m, "苏环统〔2026〕1号")], movements.Select(m => (m.GetProperty("kind").GetString(), m.GetProperty("amount").GetDecimal(),
            m.GetProperty("reference").GetString())));

        // Two standard-track cases (EIA forms) needing COD: an ordinary enterprise, and one admitted to the register after it applied.
        var ordinary = await host.EnterpriseAsync(eligible: false);
        var admitted = await host.EnterpriseAsync(eligible: false);
        var caseOrdinary = (await host.AcceptedAsync(Application(ordinary, documentType: "form", quotaNeeds: new Dictionary<string, decimal> { ["COD"] = 0.5m })));
        var caseAdmitted = (await host.AcceptedAsync(Application(admitted, documentType: "form", quotaNeeds: new Dictionary<string, decimal> { ["COD"] = 0.6m })));
        Assert.Equal(("standard", "standard"), (caseOrdinary.GetProperty("track").GetString(), caseAdmitted.GetProperty("track").GetString()));
        var numbers = new[] { caseOrdinary.GetProperty("caseNumber").GetString()!, caseAdmitted.GetProperty("caseNumber").GetString()! };
        var audit = await (await host.As("audit-officer.suzhou")).PostAsJsonAsync($"/api/v1/enterprises/{admitted}/audit-results",
            new { acceptedOn = "2026-09-28", level = "Ⅱ", authority = "苏州市生态环境局", documentNumber = $"苏环验〔2026〕{admitted[^5..]}号" });
        Assert.True(audit.StatusCode == HttpStatusCode.Created, await audit.Content.ReadAsStringAsync());
        var admission = await (await host.As("approver.province")).PostAsJsonAsync("/api/v1/register", new { creditCode = admitted });
        Assert.True(admission.StatusCode == HttpStatusCode.Created, await admission.Content.ReadAsStringAsync());

        // Acceptance, publicity (5 working days over the holiday: over after 10-12), assessment and review, in sequence.
        foreach (var number in numbers)
        {
            var view = await (await host.As("acceptance.suzhou")).CaseAsync(number);
            await host.DoAsync("acceptance.suzhou", view.TaskId("acceptance"), new { outcome = "accept" });
            view = await (await host.As("acceptance.suzhou")).CaseAsync(number);
            await host.DoAsync("publicity.suzhou", view.TaskId("publish"), new { variables = new { publicityUrl = "http://www.js-eia.cn/" } });
        }
        await host.AdvanceToAsync("2026-10-14T09:00:00+08:00");
        foreach (var number in numbers)
        {
            var view = await (await host.As("acceptance.suzhou")).CaseAsync(number);
            Assert.Equal(["assessment"], view.OpenTasks());
            await host.DoAsync("assessment.suzhou", view.TaskId("assessment"), new { variables = new { conclusion = "技术上可行" } });
            view = await (await host.As("acceptance.suzhou")).CaseAsync(number);
            Assert.Equal(["review"], view.OpenTasks());
            Assert.Empty(await host.AllocationsAsync(number)); // nothing requested before the quota step
            await host.DoAsync("review.suzhou", view.TaskId("review"), new { variables = new { opinion = "同意" } });
        }

        // Admitted (active on the register now): priority, allocated from Suzhou's reserve at once, no quota task.
        var admittedView = await (await host.As("acceptance.suzhou")).CaseAsync(numbers[1]);
        Assert.Equal(["pre-approval-publish"], admittedView.OpenTasks());
        var allocated = Assert.Single(await host.AllocationsAsync(numbers[1]));
        Assert.Equal(("allocated", "city-reserve", "suzhou", true, 0.6m), (allocated.GetProperty("status").GetString(), allocated.GetProperty("sourceKind").GetString(),
            allocated.GetProperty("sourceId").GetString(), allocated.GetProperty("priority").GetBoolean(), allocated.GetProperty("amount").GetDecimal()));
        Assert.Equal((0.6m, 0m), await host.BalanceAsync("enterprise", admitted, "COD"));
        Assert.Equal((0.4m, 0m), await host.BalanceAsync("city-reserve", "suzhou", "COD"));

        // Ordinary: no priority, so the city reserve (which could cover 0.5) is not touched; the city's officer has the
        // step on the decision clock, and the case waits — no pre-approval publicity yet.
        var ordinaryView = await (await host.As("acceptance.suzhou")).CaseAsync(numbers[0]);
        Assert.Equal(["quota"], ordinaryView.OpenTasks());
        var quotaTask = ordinaryView.GetProperty("tasks").EnumerateArray().Single();
        Assert.Equal(Date(EiaApi.DueDate(ordinaryView.DecisionClock())!), quotaTask.DueDate());
        var waiting = Assert.Single(await host.AllocationsAsync(numbers[0]));
        Assert.Equal(("waiting", false), (waiting.GetProperty("status").GetString(), waiting.GetProperty("priority").GetBoolean()));
        Assert.Equal((0.4m, 0m), await host.BalanceAsync("city-reserve", "suzhou", "COD"));
        await host.DoAsync("quota-officer.suzhou", ordinaryView.TaskId("quota"), new { outcome = "cannot-balance", variables = new { source = "本市储备指标优先保障先进企业" } });

        // The province's step: due in 10 working days (eia.quota.escalation, unverified): 10-15 … 10-28; it names its own reserve.
        ordinaryView = await (await host.As("acceptance.suzhou")).CaseAsync(numbers[0]);
        Assert.Equal(["quota-province"], ordinaryView.OpenTasks());
        var provinceTask = (await host.OpenTasksAsync(ordinaryView.InstanceId(), "quota-officer.province")).Single();
        Assert.Equal(("province", Date("2026-10-28")), (provinceTask.GetProperty("organisation").GetString(), provinceTask.DueDate()));
        await host.DoAsync("quota-officer.province", provinceTask.GetProperty("id").GetGuid(), new { variables = new { source = "省级储备库调剂", reserve = "province" } });
        var fromProvince = Assert.Single(await host.AllocationsAsync(numbers[0]));
        Assert.Equal(("allocated", "province-reserve", "province", false), (fromProvince.GetProperty("status").GetString(),
            fromProvince.GetProperty("sourceKind").GetString(), fromProvince.GetProperty("sourceId").GetString(), fromProvince.GetProperty("priority").GetBoolean()));
        Assert.Equal((0.5m, 0m), await host.BalanceAsync("enterprise", ordinary, "COD"));
        Assert.Equal((1m, 0m), await ProvinceAsync(host, "COD"));
        Assert.Equal(["pre-approval-publish"], (await (await host.As("acceptance.suzhou")).CaseAsync(numbers[0])).OpenTasks());
    }

    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_reduction_stands_on_an_accepted_audit_of_the_enterprise_once_per_pollutant_and_bids_are_withdrawn_until_matched(DatabaseProvider provider)
    {
        var host = await hosts.HostAsync(provider);
        await host.EnsureUserAsync("audit-officer.nanjing", "nanjing", "audit-officer");
        await host.EnsureUserAsync("quota-officer.nanjing", "nanjing", "quota-officer");
        var firm = await host.EnterpriseAsync(eligible: true);
        var other = await host.EnterpriseAsync(eligible: true);
        var auditor = await host.As("audit-officer.suzhou");

        var first = await host.ReductionAsync(firm, "SO2", 2.5m);
        Assert.Equal((false, QuotaApi.AuditNumber(firm), 2.5m), (first.GetProperty("replayed").GetBoolean(), first.GetProperty("auditReference").GetString(),
            first.GetProperty("balance").GetDecimal()));
        // The same registration again returns the first; another amount for the same audit and pollutant is refused.
        var replay = await auditor.PostAsJsonAsync("/api/v1/quota/reductions", new { creditCode = firm, pollutant = "SO2", amount = 2.5m, auditReference = QuotaApi.AuditNumber(firm) });
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal(first.GetProperty("entryId").GetGuid(), (await replay.JsonAsync()).GetProperty("entryId").GetGuid());
        var again = await auditor.PostAsJsonAsync("/api/v1/quota/reductions", new { creditCode = firm, pollutant = "SO2", amount = 3m, auditReference = QuotaApi.AuditNumber(firm) });
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Contains("2.5", (await again.FieldErrorsAsync("auditReference"))[0]);
        // Another enterprise's audit, or a number no audit of the enterprise has: 400 on the field, nothing credited.
        var othersAudit = await auditor.PostAsJsonAsync("/api/v1/quota/reductions", new { creditCode = firm, pollutant = "SO2", amount = 1m, auditReference = QuotaApi.AuditNumber(other) });
        Assert.Contains("另一企业", (await othersAudit.FieldErrorsAsync("auditReference"))[0]);
        var unknown = await auditor.PostAsJsonAsync("/api/v1/quota/reductions", new { creditCode = firm, pollutant = "NOx", amount = 1m, auditReference = "苏环验〔2099〕1号" });
        Assert.NotEmpty(await unknown.FieldErrorsAsync("auditReference"));
        // Another city's audit officer does not see the enterprise.
        Assert.Equal(HttpStatusCode.NotFound, (await (await host.As("audit-officer.nanjing")).PostAsJsonAsync("/api/v1/quota/reductions",
            new { creditCode = firm, pollutant = "NOx", amount = 1m, auditReference = QuotaApi.AuditNumber(firm) })).StatusCode);
        Assert.Equal((2.5m, 0m), await host.BalanceAsync("enterprise", firm, "SO2"));
        Assert.Equal((0m, 0m), await host.BalanceAsync("enterprise", firm, "NOx"));
        Assert.Equal((0m, 0m), await host.BalanceAsync("enterprise", other, "SO2"));

        // The same audit for another pollutant, and a later audit recorded through the register for the same pollutant.
        await host.ReductionAsync(firm, "NOx", 1.2m);
        var later = await auditor.PostAsJsonAsync($"/api/v1/enterprises/{firm}/audit-results",
            new { acceptedOn = "2026-09-01", level = "Ⅰ", authority = "苏州市生态环境局", documentNumber = $"苏环验〔2026〕{firm[^5..]}号" });
        Assert.Equal(HttpStatusCode.Created, later.StatusCode);
        var second = await host.ReductionAsync(firm, "SO2", 1m, $"苏环验〔2026〕{firm[^5..]}号");
        Assert.NotEqual(first.GetProperty("auditResultId").GetInt64(), second.GetProperty("auditResultId").GetInt64());
        Assert.Equal((3.5m, 0m), await host.BalanceAsync("enterprise", firm, "SO2"));
        var movements = (await (await auditor.GetAsync($"/api/v1/quota/accounts/enterprise/{firm}/SO2/movements")).JsonAsync()).EnumerateArray().ToList();
        Assert.Equal([$"苏环验〔2026〕{firm[^5..]}号", QuotaApi.AuditNumber(firm)], movements.Select(m => m.GetProperty("reference").GetString()));

        // A voluntary certification counted as an audit (measure 6) verified no reduction: refused.
        var certification = $"苏清认〔2026〕{firm[^5..]}号";
        Assert.Equal(HttpStatusCode.Created, (await auditor.PostAsJsonAsync($"/api/v1/enterprises/{firm}/audit-results",
            new { acceptedOn = "2026-09-10", level = "Ⅰ", authority = "江苏省生态环境厅", documentNumber = certification })).StatusCode);
        await Audit.AuditApi.ScalarAsync<int>(host, "UPDATE audit_results SET source = 'certification' WHERE credit_code = @firm AND document_number = @certification", new { firm, certification });
        var certified = await auditor.PostAsJsonAsync("/api/v1/quota/reductions", new { creditCode = firm, pollutant = "VOCs", amount = 1m, auditReference = certification });
        Assert.Contains("认证", (await certified.FieldErrorsAsync("auditReference"))[0]);
        Assert.Equal((0m, 0m), await host.BalanceAsync("enterprise", firm, "VOCs"));
        // The database itself keeps one registration per audit and pollutant (migration 0016's primary key).
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => Audit.AuditApi.ScalarAsync<int>(host, 
            "INSERT INTO quota_reductions (audit_result_id, pollutant, credit_code, amount, entry_id, registered_at, registered_by) " +
            "SELECT audit_result_id, pollutant, credit_code, amount, entry_id, registered_at, 'test' FROM quota_reductions WHERE credit_code = @firm AND pollutant = 'NOx'",
            new { firm }));

        // Bids: an older one withdrawn before any match is skipped by the next offer; a bid an offer drew on can no longer be withdrawn.
        var early = await host.EnterpriseAsync(eligible: false);
        var buyer = await host.EnterpriseAsync(eligible: false);
        var earlyBid = await host.PostCreatedAsync("quota-officer.suzhou", "/api/v1/quota/bids", new { creditCode = early, pollutant = "SO2", amount = 1m, price = 2000m });
        var buyerBid = await host.PostCreatedAsync("quota-officer.suzhou", "/api/v1/quota/bids", new { creditCode = buyer, pollutant = "SO2", amount = 2m, price = 2000m });
        var earlyId = earlyBid.GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.NotFound, (await (await host.As("quota-officer.nanjing")).PostAsync($"/api/v1/quota/bids/{earlyId}/withdraw", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await host.As("auditor.province")).PostAsync($"/api/v1/quota/bids/{earlyId}/withdraw", null)).StatusCode);
        var officer = await host.As("quota-officer.suzhou");
        var withdrawn = await officer.PostAsync($"/api/v1/quota/bids/{earlyId}/withdraw", null);
        Assert.True(withdrawn.StatusCode == HttpStatusCode.OK, await withdrawn.Content.ReadAsStringAsync());
        Assert.Equal("withdrawn", (await withdrawn.JsonAsync()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await officer.PostAsync($"/api/v1/quota/bids/{earlyId}/withdraw", null)).StatusCode);

        var offer = await host.PostCreatedAsync("quota-officer.suzhou", "/api/v1/quota/offers", new { creditCode = firm, pollutant = "SO2", amount = 1m, price = 1500m });
        var review = Assert.Single(await host.OpenTasksAsync(offer.GetProperty("instanceId").GetGuid(), "quota-officer.suzhou"));
        await host.DoAsync("quota-officer.suzhou", review.GetProperty("id").GetGuid(), new { outcome = "approve", variables = new { opinion = "同意挂牌" } });
        Assert.Equal(buyer, (await host.OfferAsync(offer.GetProperty("id").GetGuid())).GetProperty("buyerCode").GetString());
        Assert.Equal((0m, 0m), await host.BalanceAsync("enterprise", early, "SO2"));
        Assert.Equal((1m, 0m), await host.BalanceAsync("enterprise", buyer, "SO2"));
        var matched = await officer.PostAsync($"/api/v1/quota/bids/{buyerBid.GetProperty("id").GetGuid()}/withdraw", null);
        Assert.Equal(HttpStatusCode.Conflict, matched.StatusCode);
        var bids = (await (await officer.GetAsync("/api/v1/quota/bids")).JsonAsync()).EnumerateArray().ToDictionary(b => b.GetProperty("id").GetGuid());
        Assert.Equal(("open", 1m), (bids[buyerBid.GetProperty("id").GetGuid()].GetProperty("status").GetString(), bids[buyerBid.GetProperty("id").GetGuid()].GetProperty("remaining").GetDecimal()));
        Assert.Equal("withdrawn", bids[earlyId].GetProperty("status").GetString());
    }
}
