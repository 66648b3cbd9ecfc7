using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CleanProdFlow.Data.Database;
using CleanProdFlow.Web.Tests.Eia;
using CleanProdFlow.Web.Tests.Revocation;
using CleanProdFlow.Web.Tests.Workflows;
using static CleanProdFlow.Web.Tests.Eia.EiaApi;

namespace CleanProdFlow.Web.Tests.Quota;

/// <summary>
/// Issue 10 through the API on SQLite and PostgreSQL, with the virtual clock at Monday 2026-09-28 09:00: an audit's
/// reduction credited once; an offer holds its amount, is reviewed (due in 5 working days over the National Day
/// holiday: 2026-10-10, a make-up working Saturday), matched to the buyer with priority and settled in one entry;
/// both permits get a change task due in 20 working days (2026-10-30); cancellation releases the hold; a revoked
/// enterprise is no longer matched first; city staff act on their city only; bad input is a 400 naming the field.
/// </summary>
public sealed class QuotaTradeTests(EiaHostsFixture hosts) : IClassFixture<EiaHostsFixture>
{
    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task An_offer_is_reviewed_matched_by_priority_settled_in_one_entry_and_both_permits_get_a_change_task(DatabaseProvider provider)
    {
        var host = await hosts.HostAsync(provider);
        await host.EnsureUserAsync("quota-officer.nanjing", "nanjing", "quota-officer");
        var seller = await host.EnterpriseAsync(eligible: true);

        // The accepted audit's verified reduction, credited once; a replay posts nothing; wrong role and bad input change nothing.
        var reduction = await host.ReductionAsync(seller, "COD", 10.5m);
        Assert.False(reduction.GetProperty("replayed").GetBoolean());
        var replay = await (await host.As("audit-officer.suzhou")).PostAsJsonAsync("/api/v1/quota/reductions",
            new { creditCode = seller, pollutant = "化学需氧量", amount = 10.5m, auditReference = QuotaApi.AuditNumber(seller) });
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.True((await replay.JsonAsync()).GetProperty("replayed").GetBoolean());
        Assert.Equal(HttpStatusCode.Forbidden, (await (await host.As("quota-officer.suzhou")).PostAsJsonAsync("/api/v1/quota/reductions",
            new { creditCode = seller, pollutant = "COD", amount = 1m, auditReference = "x" })).StatusCode);
        var bad = await (await host.As("audit-officer.suzhou")).PostAsJsonAsync("/api/v1/quota/reductions",
            new { creditCode = seller, pollutant = "CO2", amount = 1.2345m, auditReference = "" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.NotEmpty(await bad.FieldErrorsAsync("pollutant"));
        Assert.NotEmpty(await bad.FieldErrorsAsync("amount"));
        Assert.NotEmpty(await bad.FieldErrorsAsync("auditReference"));
        Assert.Equal((10.5m, 0m), await host.BalanceAsync("enterprise", seller, "COD"));

        // Three buyers bid the same: an ordinary enterprise first, then an advanced one, then an advanced one with an EIA case.
        var ordinary = await host.EnterpriseAsync(eligible: false);
        var advanced = await host.AdvancedEnterpriseAsync();
        var withProject = await host.AdvancedEnterpriseAsync();
        await host.AcceptedAsync(Application(withProject));
        foreach (var buyer in new[] { ordinary, advanced, withProject })
            await host.PostCreatedAsync("quota-officer.suzhou", "/api/v1/quota/bids", new { creditCode = buyer, pollutant = "COD", amount = 5m, price = 2000m });

        // The offer holds its amount; more than the rest is refused (409) and holds nothing.
        var officer = await host.As("quota-officer.suzhou");
        var offer = await host.PostCreatedAsync("quota-officer.suzhou", "/api/v1/quota/offers", new { creditCode = seller, pollutant = "COD", amount = 4.25m, price = 1500m });
        Assert.Equal("review", offer.GetProperty("status").GetString());
        Assert.Equal((10.5m, 4.25m), await host.BalanceAsync("enterprise", seller, "COD"));
        Assert.Equal(HttpStatusCode.Conflict, (await officer.PostAsJsonAsync("/api/v1/quota/offers", new { creditCode = seller, pollutant = "COD", amount = 6.3m, price = 1500m })).StatusCode);
        Assert.Equal((10.5m, 4.25m), await host.BalanceAsync("enterprise", seller, "COD"));
        var badOffer = await officer.PostAsJsonAsync("/api/v1/quota/offers", new { creditCode = seller, pollutant = "COD", amount = 0m, price = -1m });
        Assert.NotEmpty(await badOffer.FieldErrorsAsync("amount"));
        Assert.NotEmpty(await badOffer.FieldErrorsAsync("price"));

        // Another city's officer sees none of it and cannot act.
        var offerId = offer.GetProperty("id").GetGuid();
        var instanceId = offer.GetProperty("instanceId").GetGuid();
        var nanjing = await host.As("quota-officer.nanjing");
        Assert.Equal(HttpStatusCode.NotFound, (await nanjing.GetAsync($"/api/v1/quota/offers/{offerId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await nanjing.PostAsync($"/api/v1/quota/offers/{offerId}/cancel", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await nanjing.GetAsync($"/api/v1/quota/accounts/enterprise/{seller}/COD/movements")).StatusCode);
        Assert.DoesNotContain((await (await nanjing.GetAsync("/api/v1/quota/accounts")).JsonAsync()).EnumerateArray(), a => a.GetProperty("holderId").GetString() == seller);
        Assert.Empty(await host.OpenTasksAsync(instanceId, "quota-officer.nanjing"));

        // Review, due in 5 working days; approval → the advanced buyer with an EIA case is matched first → settled.
        var review = Assert.Single(await host.OpenTasksAsync(instanceId, "quota-officer.suzhou"));
        Assert.Equal("review-offer", review.GetProperty("elementId").GetString());
        Assert.Equal(Date("2026-10-10"), review.DueDate());
        await host.DoAsync("quota-officer.suzhou", review.GetProperty("id").GetGuid(), new { outcome = "approve", variables = new { opinion = "减排量经验收核定，同意挂牌" } });
        var settled = await host.OfferAsync(offerId);
        Assert.Equal("settled", settled.GetProperty("status").GetString());
        Assert.Equal(withProject, settled.GetProperty("buyerCode").GetString());
        Assert.Equal(0, settled.GetProperty("buyerRank").GetInt32());
        Assert.Equal((6.25m, 0m), await host.BalanceAsync("enterprise", seller, "COD"));
        Assert.Equal((4.25m, 0m), await host.BalanceAsync("enterprise", withProject, "COD"));
        Assert.Equal((0m, 0m), await host.BalanceAsync("enterprise", ordinary, "COD"));
        var movements = (await (await officer.GetAsync($"/api/v1/quota/accounts/enterprise/{seller}/COD/movements")).JsonAsync()).EnumerateArray().ToList();
        Assert.Equal([-4.25m, 10.5m], movements.Select(m => m.GetProperty("amount").GetDecimal()));
        Assert.Equal(["trade", "issuance"], movements.Select(m => m.GetProperty("kind").GetString()));
        Assert.Equal(settled.GetProperty("entryId").GetGuid(), movements[0].GetProperty("entryId").GetGuid());
        Assert.Contains((await (await officer.GetAsync("/api/v1/quota/trades")).JsonAsync()).EnumerateArray(), t => t.GetProperty("id").GetGuid() == offerId);

        // Both parties' permits: a change task each, due in 20 working days (rule permit.change.decision, unverified).
        var permits = (await host.OpenTasksAsync(instanceId, "quota-officer.suzhou")).OrderBy(t => t.GetProperty("elementId").GetString(), StringComparer.Ordinal).ToList();
        Assert.Equal(["permit-change-buyer", "permit-change-seller"], permits.Select(t => t.GetProperty("elementId").GetString()));
        Assert.All(permits, t => Assert.Equal(Date("2026-10-30"), t.DueDate()));
        await host.DoAsync("quota-officer.suzhou", permits[0].GetProperty("id").GetGuid(), new { variables = new { buyerPermitChange = "9132…许可排放量 COD 增加 4.25 t/a" } });
        await host.DoAsync("quota-officer.suzhou", permits[1].GetProperty("id").GetGuid(), new { variables = new { sellerPermitChange = "9132…许可排放量 COD 减少 4.25 t/a" } });
        Assert.Equal("completed", (await officer.InstanceAsync(instanceId)).GetProperty("status").GetString());
    }

    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_cancellation_before_settlement_releases_the_hold_and_a_revoked_enterprise_is_not_matched_first(DatabaseProvider provider)
    {
        var host = await hosts.HostAsync(provider);
        var seller = await host.EnterpriseAsync(eligible: true);
        await host.ReductionAsync(seller, "SO2", 8m);
        var officer = await host.As("quota-officer.suzhou");

        // Cancelled while under review: the hold is released, the review task withdrawn; a second cancel is a 409.
        var offer = await host.PostCreatedAsync("quota-officer.suzhou", "/api/v1/quota/offers", new { creditCode = seller, pollutant = "SO2", amount = 3m, price = 800m });
        var offerId = offer.GetProperty("id").GetGuid();
        Assert.Equal((8m, 3m), await host.BalanceAsync("enterprise", seller, "SO2"));
        Assert.Equal(HttpStatusCode.Forbidden, (await (await host.As("auditor.province")).PostAsync($"/api/v1/quota/offers/{offerId}/cancel", null)).StatusCode);
        var cancel = await officer.PostAsync($"/api/v1/quota/offers/{offerId}/cancel", null);
        Assert.True(cancel.StatusCode == HttpStatusCode.OK, await cancel.Content.ReadAsStringAsync());
        Assert.Equal("cancelled", (await cancel.JsonAsync()).GetProperty("status").GetString());
        Assert.Equal((8m, 0m), await host.BalanceAsync("enterprise", seller, "SO2"));
        Assert.Empty(await host.OpenTasksAsync(offer.GetProperty("instanceId").GetGuid(), "quota-officer.suzhou"));
        Assert.Equal(HttpStatusCode.Conflict, (await officer.PostAsync($"/api/v1/quota/offers/{offerId}/cancel", null)).StatusCode);
        Assert.Equal((8m, 0m), await host.BalanceAsync("enterprise", seller, "SO2"));

        // Two advanced buyers; the earlier one's certificate is revoked: the other is matched first.
        var revoked = await host.AdvancedEnterpriseAsync();
        var kept = await host.AdvancedEnterpriseAsync();
        await host.PostCreatedAsync("quota-officer.suzhou", "/api/v1/quota/bids", new { creditCode = revoked, pollutant = "SO2", amount = 2m, price = 900m });
        await host.PostCreatedAsync("quota-officer.suzhou", "/api/v1/quota/bids", new { creditCode = kept, pollutant = "SO2", amount = 2m, price = 900m });
        var revocation = await (await host.As("approver.province")).PostAsJsonAsync($"/api/v1/register/{revoked}/revocation", new { reason = "受到生态环境行政处罚" });
        Assert.True(revocation.StatusCode == HttpStatusCode.OK, await revocation.Content.ReadAsStringAsync());
        var second = await host.PostCreatedAsync("quota-officer.suzhou", "/api/v1/quota/offers", new { creditCode = seller, pollutant = "SO2", amount = 2m, price = 850m });
        var review = await host.TaskAsync(second.GetProperty("instanceId").GetGuid(), "review-offer", "quota-officer.suzhou");
        await host.DoAsync("quota-officer.suzhou", review, new { outcome = "approve", variables = new { opinion = "同意" } });
        var matched = await host.OfferAsync(second.GetProperty("id").GetGuid());
        Assert.Equal(kept, matched.GetProperty("buyerCode").GetString());
        Assert.Equal(1, matched.GetProperty("buyerRank").GetInt32());
        Assert.Equal((6m, 0m), await host.BalanceAsync("enterprise", seller, "SO2"));
        Assert.Equal((2m, 0m), await host.BalanceAsync("enterprise", kept, "SO2"));
        Assert.Equal((0m, 0m), await host.BalanceAsync("enterprise", revoked, "SO2"));
    }
}
