using System.Net;
using CleanProdFlow.Data.Database;
using CleanProdFlow.Web.Tests.Workflows;
using static CleanProdFlow.Web.Tests.Eia.EiaApi;

namespace CleanProdFlow.Web.Tests.Eia;

/// <summary>
/// <c>POST /api/v1/eia/applications</c> and the case view: who may record, every refused field named in the caller's
/// language, gap-free case numbers per city and year, and who sees a case. The clock is not moved here.
/// </summary>
public sealed class EiaIntakeTests(EiaHostsFixture hosts) : IClassFixture<EiaHostsFixture>
{
    private Task<CpfWebFactory> Host() => hosts.HostAsync(DatabaseProvider.Sqlite);

    [Fact]
    public async Task Every_bad_field_is_a_400_naming_it_in_the_callers_language()
    {
        var host = await Host();
        var english = await host.InEnglishAsync("acceptance.suzhou");

        var empty = await english.SubmitAsync(new { });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        foreach (var field in new[] { "creditCode", "projectName", "kind", "documentType", "city", "receivedAt" })
            Assert.NotEmpty(await empty.FieldErrorsAsync(field));
        Assert.Contains("report or form", (await empty.FieldErrorsAsync("documentType"))[0]);

        var chinese = await host.As("acceptance.suzhou");
        var wrong = await chinese.SubmitAsync(new
        {
            creditCode = CreditCodes.Make(1), projectName = "扩建项目", kind = "demolish", documentType = "registration", city = "beijing",
            quotaNeeds = new Dictionary<string, object> { ["COD"] = -1, ["SO2"] = "many" }, receivedAt = "2026-09-28T09:00:00",
        });
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("建设性质", (await wrong.FieldErrorsAsync("kind"))[0]);
        Assert.Contains("备案", (await wrong.FieldErrorsAsync("documentType"))[0]);
        Assert.Contains("设区市", (await wrong.FieldErrorsAsync("city"))[0]);
        Assert.NotEmpty(await wrong.FieldErrorsAsync("quotaNeeds.COD"));
        Assert.Contains("吨/年", (await wrong.FieldErrorsAsync("quotaNeeds.SO2"))[0]);
        Assert.Contains("时区", (await wrong.FieldErrorsAsync("receivedAt"))[0]);

        var longAgo = await english.SubmitAsync(Application(CreditCodes.Make(1), receivedAt: "2026-08-01T16:00:00+08:00"));
        Assert.Contains("30 days ago", (await longAgo.FieldErrorsAsync("receivedAt"))[0]);

        var badType = await english.PostAsync("/api/v1/eia/applications",
            new StringContent("""{"creditCode":"x","quotaNeeds":"many"}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, badType.StatusCode);
        Assert.NotEmpty(await badType.FieldErrorsAsync("quotaNeeds"));
    }

    [Fact]
    public async Task An_enterprise_not_in_the_register_is_a_400_on_the_credit_code()
    {
        var host = await Host();
        var response = await (await host.InEnglishAsync("acceptance.suzhou")).SubmitAsync(Application(CreditCodes.Make(99_999)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("register it first", (await response.FieldErrorsAsync("creditCode"))[0]);
    }

    [Fact]
    public async Task Only_acceptance_officers_and_administrators_of_the_city_record_applications()
    {
        var host = await Host();
        await host.EnsureUserAsync("acceptance.nanjing", "nanjing", "acceptance");
        var code = await host.EnterpriseAsync(eligible: true);

        Assert.Equal(HttpStatusCode.Forbidden, (await (await host.As("auditor.province")).SubmitAsync(Application(code))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await host.As("review.suzhou")).SubmitAsync(Application(code))).StatusCode);
        var otherCity = await (await host.As("acceptance.nanjing")).SubmitAsync(Application(code));
        Assert.Equal(HttpStatusCode.Forbidden, otherCity.StatusCode);
        Assert.Equal("application/problem+json", otherCity.Content.Headers.ContentType?.MediaType);

        // The province records for any city; the case belongs to that city (a Nanjing project of a Suzhou enterprise).
        var nanjingCase = await host.AcceptedAsync(Application(code, city: "nanjing"), "acceptance.province");
        Assert.StartsWith("南京环审〔2026〕", nanjingCase.GetProperty("caseNumber").GetString());
        Assert.Equal("nanjing", (await (await host.As("acceptance.nanjing")).CaseAsync(nanjingCase.GetProperty("caseNumber").GetString()!))
            .GetProperty("application").GetProperty("city").GetString());
        Assert.Equal(HttpStatusCode.Created, (await (await host.As("admin.suzhou")).SubmitAsync(Application(code))).StatusCode);
    }

    [Fact]
    public async Task Case_numbers_are_gap_free_per_city_and_year_even_when_applications_arrive_together()
    {
        var host = await Host();
        var codes = new List<string>();
        for (var i = 0; i < 4; i++)
            codes.Add(await host.EnterpriseAsync(eligible: i % 2 == 0));
        var acceptance = await host.As("acceptance.suzhou");

        var answers = await Task.WhenAll(codes.Select(code => acceptance.SubmitAsync(Application(code, documentType: "form"))));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Created, a.StatusCode));
        var sequences = new List<int>();
        foreach (var answer in answers)
        {
            var number = (await answer.JsonAsync()).GetProperty("caseNumber").GetString()!;
            Assert.True(Domain.Eia.CaseNumber.TryParse(number, out var city, out var year, out var sequence), number);
            Assert.Equal(("suzhou", 2026), (city, year));
            sequences.Add(sequence);
        }
        sequences.Sort();
        Assert.Equal(Enumerable.Range(sequences[0], 4), sequences); // consecutive: no gap, no repeat
        Assert.Contains($"/api/v1/eia/applications/{Uri.EscapeDataString(Domain.Eia.CaseNumber.Format("suzhou", 2026, sequences[0]))}",
            answers.Select(a => a.Headers.Location!.OriginalString));
    }

    [Fact]
    public async Task A_retry_with_the_same_idempotency_key_answers_the_case_it_recorded_and_takes_no_number()
    {
        var host = await Host();
        var code = await host.EnterpriseAsync(eligible: true);
        var acceptance = await host.As("acceptance.suzhou");
        var key = Guid.NewGuid().ToString();
        HttpRequestMessage Request(object body)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/eia/applications") { Content = System.Net.Http.Json.JsonContent.Create(body) };
            request.Headers.Add("Idempotency-Key", key);
            return request;
        }

        // Sent twice at once (a double click) and once more later: one case.
        var together = await Task.WhenAll(acceptance.SendAsync(Request(Application(code))), acceptance.SendAsync(Request(Application(code))));
        var again = await acceptance.SendAsync(Request(Application(code)));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Created], together.Select(r => r.StatusCode).Order());
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var numbers = new HashSet<string>();
        foreach (var response in together.Append(again))
            numbers.Add((await response.JsonAsync()).GetProperty("caseNumber").GetString()!);
        var caseNumber = Assert.Single(numbers);
        Assert.True(Domain.Eia.CaseNumber.TryParse(caseNumber, out _, out _, out var sequence));
        var next = await host.AcceptedAsync(Application(code));
        Assert.True(Domain.Eia.CaseNumber.TryParse(next.GetProperty("caseNumber").GetString(), out _, out _, out var nextSequence));
        Assert.Equal(sequence + 1, nextSequence); // the retries took no number: no gap

        // The key belongs to that application: another body with it is a conflict, nothing recorded.
        var other = await acceptance.SendAsync(Request(Application(code, documentType: "form")));
        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
    }

    [Fact]
    public async Task The_case_view_shows_track_status_tasks_clocks_and_journal_to_the_city_the_province_and_auditors_only()
    {
        var host = await Host();
        await host.EnsureUserAsync("review.nanjing", "nanjing", "review");
        var code = await host.EnterpriseAsync(eligible: false);
        var caseNumber = (await host.AcceptedAsync(Application(code))).GetProperty("caseNumber").GetString()!;

        var view = await (await host.InEnglishAsync("review.suzhou")).CaseAsync(caseNumber);
        Assert.Equal("standard", view.GetProperty("track").GetString());
        Assert.Contains("standard procedure", view.GetProperty("trackReason").GetString());
        Assert.Equal("received", view.GetProperty("status").GetString());
        Assert.Equal("eia-standard", view.GetProperty("instance").GetProperty("definitionKey").GetString());
        Assert.Equal(["acceptance"], view.OpenTasks());
        var clock = view.DecisionClock();
        Assert.Equal("eia.decision.report", clock.GetProperty("rule").GetString());
        Assert.Contains(clock.GetProperty("explanation").EnumerateArray(), line => line.GetString()!.Contains("working day", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(view.GetProperty("journal").EnumerateArray(), j => j.GetProperty("kind").GetString() == "instance.started");
        Assert.Equal(caseNumber, view.GetProperty("application").GetProperty("caseNumber").GetString());
        Assert.Equal("EIA report", view.GetProperty("application").GetProperty("documentTypeName").GetString());

        await (await host.As("review.province")).CaseAsync(caseNumber);
        await (await host.As("auditor.province")).CaseAsync(caseNumber);
        Assert.Equal(HttpStatusCode.NotFound, (await (await host.As("review.nanjing")).GetAsync($"/api/v1/eia/applications/{Uri.EscapeDataString(caseNumber)}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await host.As("review.suzhou")).GetAsync($"/api/v1/eia/applications/{Uri.EscapeDataString("苏州环审〔2026〕9999")}")).StatusCode);
    }

    [Fact]
    public async Task An_application_not_accepted_stops_the_clock_and_goes_to_the_written_notice()
    {
        var host = await Host();
        var caseNumber = (await host.AcceptedAsync(Application(await host.EnterpriseAsync(eligible: false)))).GetProperty("caseNumber").GetString()!;
        var view = await (await host.As("acceptance.suzhou")).CaseAsync(caseNumber);

        await host.DoAsync("acceptance.suzhou", view.TaskId("acceptance"), new { outcome = "refuse", variables = new { reasons = "不属于本机关审批权限" } });

        view = await (await host.As("acceptance.suzhou")).CaseAsync(caseNumber);
        Assert.Equal("not-accepted", view.GetProperty("status").GetString());
        Assert.Equal(["deliver-not-accepted"], view.OpenTasks());
        Assert.Equal("stopped", view.DecisionClock().GetProperty("state").GetString());
        await host.DoAsync("acceptance.suzhou", view.TaskId("deliver-not-accepted"), new { variables = new { documentNumber = "苏环不受〔2026〕1号" } });
        Assert.Equal("completed", (await (await host.As("acceptance.suzhou")).CaseAsync(caseNumber)).GetProperty("instance").GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_eia_definition_started_by_hand_waits_with_an_incident_instead_of_running_without_an_application()
    {
        var host = await Host();
        var instanceId = await (await host.As("acceptance.suzhou")).StartAsync("eia-standard", "苏州环审〔2026〕8888", new { documentType = "report" });

        var instance = await (await host.As("acceptance.suzhou")).InstanceAsync(instanceId);
        var incident = Assert.Single(instance.GetProperty("incidents").EnumerateArray());
        Assert.Equal("register", incident.GetProperty("elementId").GetString());
        Assert.Contains("POST /api/v1/eia/applications", incident.GetProperty("message").GetString());
    }
}
