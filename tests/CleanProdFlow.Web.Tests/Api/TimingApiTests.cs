using System.Net;
using System.Net.Http.Json;
using System.Text;
using CleanProdFlow.Data.Timing;
using CleanProdFlow.Timing.Clocks;
using CleanProdFlow.Timing.Deadlines;
using CleanProdFlow.Web.Timing;
using Microsoft.Extensions.DependencyInjection;

namespace CleanProdFlow.Web.Tests.Api;

public sealed class TimingApiTests(SqliteHostFixture host) : IClassFixture<SqliteHostFixture>
{
    private async Task<HttpResponseMessage> DeadlineAsync(string json, string? language = null)
    {
        var client = await host.Factory.SignedInAsync("review.suzhou");
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/timing/deadline") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (language is not null) request.Headers.AcceptLanguage.ParseAdd(language);
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task The_worked_example_ends_on_the_make_up_saturday_after_the_national_day_holiday()
    {
        var response = await DeadlineAsync("""{"start": "2026-09-28T10:00:00+08:00", "limit": 5, "unit": "workingDays", "fastTrack": false}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal("2026-10-10", body.GetProperty("dueDate").GetString());
        Assert.Equal("2026-10-11T00:00:00+08:00", body.GetProperty("dueAt").GetString());
        Assert.Equal(5, body.GetProperty("limitApplied").GetInt32());
        Assert.False(body.GetProperty("provisional").GetBoolean());
        Assert.StartsWith("cn-mainland@", body.GetProperty("calendarVersion").GetString());
        Assert.Contains(body.GetProperty("explanation").EnumerateArray(), line => line.GetString()!.Contains("调休上班日"));
    }

    [Fact]
    public async Task A_rule_on_the_fast_track_is_halved_rounding_down()
    {
        var rules = host.Factory.Services.GetRequiredService<StatutoryTime>().Rules;
        var form = rules["eia.decision.form"];
        var response = await DeadlineAsync("""{"start": "2026-03-02T09:00:00+08:00", "ruleId": "eia.decision.form", "fastTrack": true}""");

        var body = await response.JsonAsync();
        Assert.True(form.Halvable);
        Assert.Equal(form.Limit / 2, body.GetProperty("limitApplied").GetInt32());
        Assert.True(body.GetProperty("halved").GetBoolean());
    }

    [Fact]
    public async Task A_clock_still_paused_has_no_due_date_and_says_why()
    {
        var response = await DeadlineAsync("""
            {"start": "2026-03-02T09:00:00+08:00", "limit": 10, "unit": "workingDays",
             "pauses": [{"from": "2026-03-04T09:00:00+08:00", "to": null, "reason": "专家评审"}]}
            """);

        var body = await response.JsonAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, body.GetProperty("dueDate").ValueKind);
        Assert.False(string.IsNullOrEmpty(body.GetProperty("pausedReason").GetString()));
    }

    [Theory]
    [InlineData("""{"limit": 5, "unit": "workingDays"}""", "start")]
    [InlineData("""{"start": "yesterday", "limit": 5, "unit": "workingDays"}""", "start")]
    [InlineData("""{"start": "2026-09-28T10:00:00", "limit": 5, "unit": "workingDays"}""", "start")]
    [InlineData("""{"start": "2026-09-28T10:00:00+08:00", "limit": 0, "unit": "workingDays"}""", "limit")]
    [InlineData("""{"start": "2026-09-28T10:00:00+08:00", "limit": 3651, "unit": "workingDays"}""", "limit")]
    [InlineData("""{"start": "2026-09-28T10:00:00+08:00", "limit": 5, "unit": "fortnights"}""", "unit")]
    [InlineData("""{"start": "2026-09-28T10:00:00+08:00", "ruleId": "no.such.rule"}""", "ruleId")]
    [InlineData("""{"start": "2026-09-28T10:00:00+08:00", "limit": 5, "unit": "workingDays", "pauses": [{"from": "2026-09-30T10:00:00+08:00", "to": "2026-09-29T10:00:00+08:00"}]}""", "pauses[0].to")]
    public async Task Bad_input_is_400_naming_the_field(string json, string field)
    {
        var response = await DeadlineAsync(json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotEmpty(await response.FieldErrorsAsync(field));
    }

    [Fact]
    public async Task Overlapping_pauses_are_refused_in_english_when_asked()
    {
        var response = await DeadlineAsync("""
            {"start": "2026-03-02T09:00:00+08:00", "limit": 10, "unit": "workingDays",
             "pauses": [{"from": "2026-03-04T09:00:00+08:00", "to": "2026-03-10T09:00:00+08:00"},
                        {"from": "2026-03-06T09:00:00+08:00", "to": "2026-03-12T09:00:00+08:00"}]}
            """, "en");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.JsonAsync();
        var messages = body.GetProperty("errors").EnumerateObject().SelectMany(p => p.Value.EnumerateArray()).Select(m => m.GetString()!).ToList();
        Assert.Contains(body.GetProperty("errors").EnumerateObject(), p => p.Name.StartsWith("pauses[1]"));
        Assert.All(messages, m => Assert.DoesNotMatch("[\u4e00-\u9fff]", m));
    }

    [Fact]
    public async Task An_official_year_shows_its_notice_and_make_up_days()
    {
        var client = await host.Factory.SignedInAsync("auditor.province");
        var body = await (await client.GetAsync("/api/v1/calendars/cn-mainland/2026")).JsonAsync();

        Assert.False(body.GetProperty("provisional").GetBoolean());
        Assert.Contains("2026", body.GetProperty("source").GetProperty("title").GetString());
        Assert.Contains(body.GetProperty("makeUpWorkdays").EnumerateArray(), d => d.GetString() == "2026-10-10");
        Assert.Contains(body.GetProperty("daysOff").EnumerateArray(), d => d.GetString() == "2026-10-01");
    }

    [Theory]
    [InlineData("/api/v1/calendars/cn-mainland/1999", HttpStatusCode.BadRequest)]
    [InlineData("/api/v1/calendars/cn-mainland/twenty", HttpStatusCode.BadRequest)]
    [InlineData("/api/v1/calendars/hk/2026", HttpStatusCode.NotFound)]
    public async Task A_year_out_of_range_or_an_unknown_calendar_is_refused(string path, HttpStatusCode expected)
    {
        var client = await host.Factory.SignedInAsync("auditor.province");
        Assert.Equal(expected, (await client.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task The_rules_are_listed_with_units_as_words_and_their_legal_basis()
    {
        var client = await host.Factory.SignedInAsync("review.suzhou");
        var rules = (await (await client.GetAsync("/api/v1/time-limits")).JsonAsync()).EnumerateArray().ToList();

        var report = Assert.Single(rules, r => r.GetProperty("id").GetString() == "eia.decision.report");
        Assert.Equal("workingDays", report.GetProperty("unit").GetString());
        Assert.True(report.GetProperty("halvable").GetBoolean());
        Assert.False(string.IsNullOrEmpty(report.GetProperty("legalBasis").GetString()));
    }
}

/// <summary>Loading an official year changes the calendar and moves the stored clocks that depend on it.</summary>
public sealed class CalendarLoadTests
{
    // 2027 has no notice yet; this stands in for one: 春节 Feb 5–12 off (the provisional year has Feb 5–8) and
    // Saturday Feb 20 a make-up working day.
    private const string Official2027 = """
        {"year": 2027,
         "source": {"title": "国务院办公厅关于2027年部分节假日安排的通知（测试）", "documentNumber": "国办发明电〔2026〕99号", "date": "2026-11-20"},
         "daysOff": ["2027-01-01", "2027-02-05", "2027-02-06", "2027-02-07", "2027-02-08", "2027-02-09", "2027-02-10", "2027-02-11", "2027-02-12",
                     "2027-04-05", "2027-05-01", "2027-05-02", "2027-06-09", "2027-09-15", "2027-10-01", "2027-10-02", "2027-10-03"],
         "makeUpWorkdays": ["2027-02-20"]}
        """;

    private static Task<HttpResponseMessage> PutAsync(HttpClient client, string json) =>
        client.PutAsync("/api/v1/calendars/cn-mainland/2027", new StringContent(json, Encoding.UTF8, "application/json"));

    [Fact]
    public async Task Loading_2027_moves_a_clock_across_spring_festival_and_records_why()
    {
        await using var factory = await CpfWebFactory.StartAsync();
        var statutory = factory.Services.GetRequiredService<StatutoryTime>();
        var clocks = factory.Services.GetRequiredService<ClockStore>();
        var start = new DateTimeOffset(2027, 1, 25, 10, 0, 0, TimeSpan.FromHours(8));
        var clock = Clock.Start(new TimeLimit(20, PeriodUnit.WorkingDays), false, start, statutory.Calendar).Value;
        var stored = await clocks.CreateAsync("instance:1/eia.decision", clock, start);
        var untouched = await clocks.CreateAsync("instance:2/eia.decision",
            Clock.Start(new TimeLimit(5, PeriodUnit.WorkingDays), false, start.AddYears(-1), statutory.Calendar).Value, start);
        // By the provisional year (Feb 5 and 8 off): Jan 26–29, Feb 1–4, 9–12, 15–19, 22–24 → Feb 24.
        Assert.Equal(new DateOnly(2027, 2, 24), clock.DueDate);

        var admin = await factory.SignedInAsync("admin.province");
        var response = await PutAsync(admin, Official2027);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.True(body.GetProperty("replacedProvisional").GetBoolean());
        var moved = Assert.Single(body.GetProperty("clocksMoved").EnumerateArray());
        Assert.Equal("instance:1/eia.decision", moved.GetProperty("subject").GetString());
        Assert.Equal("2027-02-24", moved.GetProperty("oldDueDate").GetString());
        // Feb 5–12 off, Saturday Feb 20 worked: Jan 26–29, Feb 1–4, 15–20, 22–26, Mar 1 → Mar 1.
        Assert.Equal("2027-03-01", moved.GetProperty("newDueDate").GetString());

        var reloaded = await clocks.FindAsync("instance:1/eia.decision");
        Assert.Equal(new DateOnly(2027, 3, 1), reloaded!.Clock.DueDate);
        Assert.Equal(1, await clocks.RecomputationCountAsync(stored.Id));
        Assert.Equal(0, await clocks.RecomputationCountAsync(untouched.Id));
        var year = await (await admin.GetAsync("/api/v1/calendars/cn-mainland/2027")).JsonAsync();
        Assert.False(year.GetProperty("provisional").GetBoolean());
        Assert.Single(await factory.Services.GetRequiredService<CalendarYearStore>().LatestAsync("cn-mainland"));
    }

    [Fact]
    public async Task Only_an_administrator_may_load_a_year_and_a_refusal_changes_nothing()
    {
        await using var factory = await CpfWebFactory.StartAsync();
        var statutory = factory.Services.GetRequiredService<StatutoryTime>();
        var versionBefore = statutory.Calendar.Version;

        var reviewer = await PutAsync(await factory.SignedInAsync("review.province"), Official2027);
        var admin = await factory.SignedInAsync("admin.province");
        var bothKinds = await PutAsync(admin, Official2027.Replace("\"makeUpWorkdays\": [\"2027-02-20\"]", "\"makeUpWorkdays\": [\"2027-02-20\", \"2027-02-06\"]"));
        var weekday = await PutAsync(admin, Official2027.Replace("\"makeUpWorkdays\": [\"2027-02-20\"]", "\"makeUpWorkdays\": [\"2027-02-17\"]"));
        var otherYear = await admin.PutAsync("/api/v1/calendars/cn-mainland/2028", new StringContent(Official2027, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Forbidden, reviewer.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, bothKinds.StatusCode);
        Assert.Contains((await bothKinds.JsonAsync()).GetProperty("errors").EnumerateObject(), p => p.Name.StartsWith("makeUpWorkdays"));
        Assert.Equal(HttpStatusCode.BadRequest, weekday.StatusCode);
        Assert.Contains((await weekday.JsonAsync()).GetProperty("errors").EnumerateObject(), p => p.Name.StartsWith("makeUpWorkdays"));
        Assert.Equal(HttpStatusCode.BadRequest, otherYear.StatusCode);
        Assert.NotEmpty(await otherYear.FieldErrorsAsync("year"));
        Assert.Equal(versionBefore, statutory.Calendar.Version);
        Assert.Empty(await factory.Services.GetRequiredService<CalendarYearStore>().LatestAsync("cn-mainland"));
    }

    [Fact]
    public async Task A_loaded_year_is_still_in_force_after_a_restart_on_the_same_database()
    {
        await using var first = await CpfWebFactory.StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(await first.SignedInAsync("admin.province"), Official2027)).StatusCode);

        var restarted = new StatutoryTime(first.Services.GetRequiredService<TimeLimitRuleStore>(),
            first.Services.GetRequiredService<CalendarYearStore>(), first.Services.GetRequiredService<ClockStore>(),
            TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<StatutoryTime>.Instance);
        await restarted.LoadAsync();

        Assert.False(restarted.Calendar.IsProvisional(2027));
        Assert.False(restarted.Calendar.IsWorkingDay(new DateOnly(2027, 2, 11)));
        Assert.True(restarted.Calendar.IsWorkingDay(new DateOnly(2027, 2, 20)));
    }
}
