using System.Net;
using System.Net.Http.Json;

namespace CleanProdFlow.Web.Tests.Api;

public sealed class EnterpriseApiTests(SqliteHostFixture host) : IClassFixture<SqliteHostFixture>
{
    private static int _next = 1000;

    private static object NewEnterprise(string code, string city = "suzhou", bool online = true) =>
        new { creditCode = code, name = $"测试企业{code.PadLeft(4, '0')[^4..]}有限公司", city, county = "工业园区", industry = "化工", address = "苏州市工业园区星湖街1号", onlineMonitoring = online };

    /// <summary>Registers a Suzhou enterprise with a level-Ⅱ audit accepted in 2025; returns its code.</summary>
    private async Task<string> EligibleSuzhouEnterpriseAsync()
    {
        var code = CreditCodes.Make(Interlocked.Increment(ref _next));
        var acceptance = await host.Factory.SignedInAsync("acceptance.suzhou");
        Assert.Equal(HttpStatusCode.Created, (await acceptance.PostAsJsonAsync("/api/v1/enterprises", NewEnterprise(code))).StatusCode);
        var auditOfficer = await host.Factory.SignedInAsync("audit-officer.suzhou");
        var audit = await auditOfficer.PostAsJsonAsync($"/api/v1/enterprises/{code}/audit-results",
            new { acceptedOn = "2025-06-30", level = "Ⅱ", authority = "苏州市生态环境局", documentNumber = $"苏环验〔2025〕{code[^4..]}号" });
        Assert.Equal(HttpStatusCode.Created, audit.StatusCode);
        return code;
    }

    [Fact]
    public async Task An_enterprise_with_a_level_two_audit_and_no_penalty_is_eligible_with_reasons()
    {
        var code = await EligibleSuzhouEnterpriseAsync();
        var client = await host.Factory.SignedInAsync("review.suzhou");

        var eligibility = await (await client.GetAsync($"/api/v1/enterprises/{code}/eligibility?asOf=2026-11-24")).JsonAsync();

        Assert.True(eligibility.GetProperty("eligible").GetBoolean());
        var rules = eligibility.GetProperty("rules").EnumerateArray().ToList();
        Assert.Equal(["audit-level", "no-penalty-3-years"], rules.Select(r => r.GetProperty("id").GetString()));
        Assert.Contains("2023-11-24", rules[1].GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_penalty_makes_the_enterprise_ineligible_an_annulment_restores_it_and_the_history_keeps_both()
    {
        var code = await EligibleSuzhouEnterpriseAsync();
        var enforcement = await host.Factory.SignedInAsync("enforcement.suzhou");

        var penalty = await enforcement.PostAsJsonAsync($"/api/v1/enterprises/{code}/penalties",
            new { decisionNumber = "苏环罚〔2026〕12号", decidedOn = "2026-03-01", authority = "苏州市生态环境局", ecoEnvironmental = true });
        var annulled = await enforcement.PostAsync($"/api/v1/enterprises/{code}/penalties/{Uri.EscapeDataString("苏环罚〔2026〕12号")}/annulment", null);
        var history = await (await enforcement.GetAsync($"/api/v1/enterprises/{code}/eligibility/history")).JsonAsync();

        Assert.Equal(HttpStatusCode.Created, penalty.StatusCode);
        Assert.False((await penalty.JsonAsync()).GetProperty("eligible").GetBoolean());
        Assert.True((await annulled.JsonAsync()).GetProperty("eligible").GetBoolean());
        Assert.Equal([true, false, true], history.EnumerateArray().Select(h => h.GetProperty("decision").GetProperty("eligible").GetBoolean()));
    }

    [Theory]
    [InlineData("91320500MA1MXXXXX", "creditCode")]   // 17 characters
    [InlineData("91320500I12345678X", "creditCode")]  // I is not in the alphabet
    [InlineData("", "creditCode")]
    public async Task An_invalid_credit_code_is_refused_with_the_reason(string code, string field)
    {
        var client = await host.Factory.SignedInAsync("acceptance.suzhou");
        var response = await client.PostAsJsonAsync("/api/v1/enterprises", NewEnterprise(code));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotEmpty(await response.FieldErrorsAsync(field));
    }

    [Fact]
    public async Task A_wrong_check_character_is_refused_naming_the_expected_one()
    {
        var valid = CreditCodes.Make(424242);
        var wrong = valid[..17] + (valid[17] == 'A' ? 'B' : 'A');
        var client = await host.Factory.SignedInAsync("acceptance.suzhou");

        var response = await client.PostAsJsonAsync("/api/v1/enterprises", NewEnterprise(wrong));

        Assert.Contains(valid[17], Assert.Single(await response.FieldErrorsAsync("creditCode")));
    }

    [Fact]
    public async Task City_staff_see_and_change_only_their_city_and_the_province_sees_all()
    {
        var code = await EligibleSuzhouEnterpriseAsync();
        var wuxiCode = CreditCodes.Make(Interlocked.Increment(ref _next), "320200");
        var admin = await host.Factory.SignedInAsync("admin.province");
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/v1/enterprises", NewEnterprise(wuxiCode, "wuxi"))).StatusCode);
        var suzhou = await host.Factory.SignedInAsync("enforcement.suzhou");

        var otherCity = await suzhou.GetAsync($"/api/v1/enterprises/{wuxiCode}");
        var penaltyOtherCity = await suzhou.PostAsJsonAsync($"/api/v1/enterprises/{wuxiCode}/penalties",
            new { decisionNumber = "锡环罚〔2026〕1号", decidedOn = "2026-03-01", authority = "无锡市生态环境局", ecoEnvironmental = true });
        var createOtherCity = await (await host.Factory.SignedInAsync("acceptance.suzhou")).PostAsJsonAsync("/api/v1/enterprises",
            NewEnterprise(CreditCodes.Make(Interlocked.Increment(ref _next), "320200"), "wuxi"));
        var listed = await (await suzhou.GetAsync("/api/v1/enterprises?limit=500")).JsonAsync();
        var province = await (await host.Factory.SignedInAsync("auditor.province")).GetAsync($"/api/v1/enterprises/{wuxiCode}");

        Assert.Equal(HttpStatusCode.NotFound, otherCity.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, penaltyOtherCity.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, createOtherCity.StatusCode);
        Assert.All(listed.GetProperty("enterprises").EnumerateArray(), e => Assert.Equal("suzhou", e.GetProperty("city").GetString()));
        Assert.Contains(listed.GetProperty("enterprises").EnumerateArray(), e => e.GetProperty("creditCode").GetString() == code);
        Assert.Equal(HttpStatusCode.OK, province.StatusCode);
    }

    [Fact]
    public async Task An_auditor_reads_but_records_nothing()
    {
        var code = await EligibleSuzhouEnterpriseAsync();
        var auditor = await host.Factory.SignedInAsync("auditor.province");

        var penalty = await auditor.PostAsJsonAsync($"/api/v1/enterprises/{code}/penalties",
            new { decisionNumber = "苏环罚〔2026〕99号", decidedOn = "2026-03-01", authority = "苏州市生态环境局", ecoEnvironmental = true });
        var details = await (await auditor.GetAsync($"/api/v1/enterprises/{code}")).JsonAsync();

        Assert.Equal(HttpStatusCode.Forbidden, penalty.StatusCode);
        Assert.Empty(details.GetProperty("penalties").EnumerateArray());
    }

    [Fact]
    public async Task Facts_with_bad_fields_are_refused_naming_each_field()
    {
        var code = await EligibleSuzhouEnterpriseAsync();
        var enforcement = await host.Factory.SignedInAsync("enforcement.suzhou");

        var penalty = await enforcement.PostAsJsonAsync($"/api/v1/enterprises/{code}/penalties", new { decisionNumber = "", decidedOn = "2026-13-01" });
        var accident = await enforcement.PostAsJsonAsync($"/api/v1/enterprises/{code}/accidents", new { occurredOn = "2099-01-01", grade = "huge" });

        Assert.NotEmpty(await penalty.FieldErrorsAsync("decisionNumber"));
        Assert.NotEmpty(await penalty.FieldErrorsAsync("decidedOn"));
        Assert.NotEmpty(await penalty.FieldErrorsAsync("authority"));
        Assert.NotEmpty(await penalty.FieldErrorsAsync("ecoEnvironmental"));
        Assert.NotEmpty(await accident.FieldErrorsAsync("occurredOn"));
        Assert.NotEmpty(await accident.FieldErrorsAsync("grade"));
    }

    [Fact]
    public async Task A_complaint_is_pending_until_verified_once()
    {
        var code = await EligibleSuzhouEnterpriseAsync();
        var enforcement = await host.Factory.SignedInAsync("enforcement.suzhou");

        var created = await (await enforcement.PostAsJsonAsync($"/api/v1/enterprises/{code}/complaints",
            new { receivedOn = "2026-11-01", summary = "夜间异味扰民" })).JsonAsync();
        var id = created.GetProperty("id").GetInt64();
        var verified = await enforcement.PostAsJsonAsync($"/api/v1/enterprises/{code}/complaints/{id}/verification", new { verifiedTrue = true });
        var again = await enforcement.PostAsJsonAsync($"/api/v1/enterprises/{code}/complaints/{id}/verification", new { verifiedTrue = false });

        Assert.Equal("pending", created.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task The_province_approver_admits_an_eligible_enterprise_and_the_public_list_shows_published_fields_only()
    {
        var code = await EligibleSuzhouEnterpriseAsync();
        var approver = await host.Factory.SignedInAsync("approver.province");

        var byCity = await (await host.Factory.SignedInAsync("approver.suzhou")).PostAsJsonAsync("/api/v1/register", new { creditCode = code });
        var admitted = await approver.PostAsJsonAsync("/api/v1/register", new { creditCode = code });
        var twice = await approver.PostAsJsonAsync("/api/v1/register", new { creditCode = code });
        var anonymous = host.Factory.CreateClient();
        var json = await anonymous.GetStringAsync("/public/advanced-enterprises.json");
        var csv = await anonymous.GetStringAsync("/public/advanced-enterprises.csv");
        var page = await anonymous.GetStringAsync("/public/advanced-enterprises");

        Assert.Equal(HttpStatusCode.Forbidden, byCity.StatusCode);
        Assert.Equal(HttpStatusCode.Created, admitted.StatusCode);
        var certificate = (await admitted.JsonAsync()).GetProperty("certificateNumber").GetString()!;
        Assert.Matches(@"^苏清洁先进〔\d{4}〕\d{3}号$", certificate);
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Contains(code, json);
        Assert.Contains(certificate, csv);
        Assert.Contains(code, page);
        foreach (var published in new[] { json, csv, page })
        {
            Assert.DoesNotContain("星湖街", published);       // address
            Assert.DoesNotContain("化工", published);         // industry
            Assert.DoesNotContain("approver.province", published); // who confirmed
        }
    }

    [Fact]
    public async Task An_ineligible_enterprise_cannot_be_admitted_and_the_answer_says_why()
    {
        var code = CreditCodes.Make(Interlocked.Increment(ref _next));
        var acceptance = await host.Factory.SignedInAsync("acceptance.suzhou");
        await acceptance.PostAsJsonAsync("/api/v1/enterprises", NewEnterprise(code));

        var response = await (await host.Factory.SignedInAsync("approver.province")).PostAsJsonAsync("/api/v1/register", new { creditCode = code });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotEmpty(await response.FieldErrorsAsync("audit-level"));
    }

    [Fact]
    public async Task Lists_take_only_active_advanced_enterprises_and_the_positive_list_needs_online_monitoring()
    {
        var code = await EligibleSuzhouEnterpriseAsync();
        var noMonitoring = CreditCodes.Make(Interlocked.Increment(ref _next));
        await (await host.Factory.SignedInAsync("acceptance.suzhou")).PostAsJsonAsync("/api/v1/enterprises", NewEnterprise(noMonitoring, online: false));
        var enforcement = await host.Factory.SignedInAsync("enforcement.suzhou");

        var beforeAdmission = await enforcement.PostAsJsonAsync("/api/v1/lists/emergency-exemption/members", new { creditCode = code, reason = "测试" });
        await (await host.Factory.SignedInAsync("approver.province")).PostAsJsonAsync("/api/v1/register", new { creditCode = code });
        var afterAdmission = await enforcement.PostAsJsonAsync("/api/v1/lists/emergency-exemption/members", new { creditCode = code, reason = "先进企业" });
        var positiveWithout = await enforcement.PostAsJsonAsync("/api/v1/lists/positive-enforcement/members", new { creditCode = noMonitoring, reason = "x" });
        var removed = await enforcement.PostAsJsonAsync($"/api/v1/lists/emergency-exemption/members/{code}/removal", new { reason = "年度调整" });
        var history = await (await enforcement.GetAsync("/api/v1/lists/emergency-exemption?history=true")).JsonAsync();

        Assert.Equal(HttpStatusCode.BadRequest, beforeAdmission.StatusCode);
        Assert.Contains("不是有效的清洁生产先进企业", Assert.Single(await beforeAdmission.FieldErrorsAsync("creditCode")));
        Assert.Equal(HttpStatusCode.Created, afterAdmission.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, positiveWithout.StatusCode);
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        var membership = Assert.Single(history.EnumerateArray(), m => m.GetProperty("creditCode").GetString() == code);
        Assert.Equal("年度调整", membership.GetProperty("removalReason").GetString());
    }
}
