using CleanProdFlow.Timing.Deadlines;
using CleanProdFlow.Timing.Rules;
using static CleanProdFlow.Timing.Tests.ShippedData;

namespace CleanProdFlow.Timing.Tests.Deadlines;

/// <summary>The body of POST /api/v1/timing/deadline, as the web layer hands it over.</summary>
public sealed class DeadlineRequestParseTests
{
    private static readonly Lazy<TimeLimitRuleSet> Rules = new(() => TimeLimitRuleSet.Parse(File.ReadAllText(PathOf("time-limits.json"))).Value);

    private static Validated<DeadlineRequest> Parse(string json) => DeadlineRequest.Parse(json, Rules.Value);

    [Fact]
    public void The_issue_example_parses_and_computes()
    {
        var request = Parse("""{"start": "2026-09-28T10:00:00+08:00", "limit": 5, "unit": "workingDays", "fastTrack": false}""").Value;
        var summary = Deadline.Compute(Mainland, request).Summarize(Language.ZhCn);
        Assert.Equal(D("2026-10-10"), summary.DueDate);
        Assert.Equal(T("2026-10-11T00:00:00+08:00"), summary.DueAt);
        Assert.Equal(5, summary.LimitApplied);
        Assert.False(summary.Provisional);
        Assert.Null(summary.PausedReason);
        Assert.NotEmpty(summary.Explanation);
    }

    [Fact]
    public void A_rule_id_brings_its_limit_and_halving()
    {
        var request = Parse("""{"start": "2026-01-26T15:00:00+08:00", "ruleId": "eia.decision.report", "fastTrack": true}""").Value;
        var deadline = Deadline.Compute(Mainland, request);
        Assert.Equal(30, deadline.LimitApplied);
        Assert.Equal(D("2026-03-13"), deadline.DueDate);
    }

    [Fact]
    public void Pauses_and_extensions_are_read()
    {
        var request = Parse("""
            {"start": "2026-09-21T09:00:00+08:00", "limit": 10, "unit": "workingDays",
             "pauses": [{"from": "2026-09-24T10:00:00+08:00", "to": "2026-10-09T10:00:00+08:00", "reason": "专家评审"}],
             "extensions": [{"days": 3, "approver": "局长"}]}
            """).Value;
        // Oct 19 (see DeadlineTests) + 3 working days: Oct 20, 21, 22.
        Assert.Equal(D("2026-10-22"), Deadline.Compute(Mainland, request).DueDate);
    }

    [Fact]
    public void An_open_pause_gives_no_due_date_and_says_why()
    {
        var request = Parse("""{"start": "2026-03-02T10:00:00+08:00", "limit": 5, "unit": "workingDays", "pauses": [{"from": "2026-03-04T10:00:00+08:00", "to": null}]}""").Value;
        var summary = Deadline.Compute(Mainland, request).Summarize(Language.En);
        Assert.Null(summary.DueDate);
        Assert.NotNull(summary.PausedReason);
    }

    [Theory]
    [InlineData("""{"limit": 5, "unit": "workingDays"}""", "start", "required")]
    [InlineData("""{"start": "next monday", "limit": 5, "unit": "workingDays"}""", "start", "invalid")]
    [InlineData("""{"start": "2026-09-28T10:00:00", "limit": 5, "unit": "workingDays"}""", "start", "offsetMissing")]
    [InlineData("""{"start": "2026-09-28", "limit": 5, "unit": "workingDays"}""", "start", "offsetMissing")]
    [InlineData("""{"start": "2026-09-28T10:00:00+08:00", "limit": 0, "unit": "workingDays"}""", "limit", "outOfRange")]
    [InlineData("""{"start": "2026-09-28T10:00:00+08:00", "limit": -5, "unit": "workingDays"}""", "limit", "outOfRange")]
    [InlineData("""{"start": "2026-09-28T10:00:00+08:00", "limit": 3651, "unit": "workingDays"}""", "limit", "outOfRange")]
    [InlineData("""{"start": "2026-09-28T10:00:00+08:00", "limit": 5, "unit": "fortnights"}""", "unit", "unknownValue")]
    [InlineData("""{"start": "2026-09-28T10:00:00+08:00", "limit": 5}""", "unit", "required")]
    [InlineData("""{"start": "2026-09-28T10:00:00+08:00", "ruleId": "eia.decision.unknown"}""", "ruleId", "unknownValue")]
    [InlineData("""{"start": "2026-09-28T10:00:00+08:00", "ruleId": "eia.decision.report", "limit": 5}""", "ruleId", "exclusive")]
    [InlineData("""{"start": "2026-09-28T10:00:00+08:00", "limit": 5, "unit": "workingDays", "rounding": "sideways"}""", "rounding", "unknownValue")]
    [InlineData("""{"start": "2026-09-28T10:00:00+08:00", "limit": 5, "unit": "workingDays", "pauses": [{"from": "2026-10-09T10:00:00+08:00", "to": "2026-10-08T10:00:00+08:00"}]}""", "pauses[0].to", "beforeFrom")]
    [InlineData("""{"start": "2026-09-28T10:00:00+08:00", "limit": 5, "unit": "workingDays", "pauses": [{"from": "2026-09-27T10:00:00+08:00", "to": "2026-10-08T10:00:00+08:00"}]}""", "pauses[0].from", "beforeStart")]
    [InlineData("""{"start": "2026-09-28T10:00:00+08:00", "limit": 5, "unit": "workingDays", "pauses": [{"from": "2026-09-29T10:00:00+08:00", "to": "2026-10-09T10:00:00+08:00"}, {"from": "2026-10-08T10:00:00+08:00", "to": "2026-10-12T10:00:00+08:00"}]}""", "pauses[1]", "overlap")]
    [InlineData("""{"start": "2026-09-28T10:00:00+08:00", "limit": 5, "unit": "workingDays", "pauses": [{"from": "2026-09-29T10:00:00+08:00", "to": null}, {"from": "2026-10-08T10:00:00+08:00", "to": "2026-10-12T10:00:00+08:00"}]}""", "pauses[0].to", "openPauseNotLast")]
    [InlineData("""{"start": "2026-09-28T10:00:00+08:00", "limit": 5, "unit": "workingDays", "pauses": [{"from": "2026-09-29T10:00:00"}]}""", "pauses[0].from", "offsetMissing")]
    [InlineData("""{"start": "2026-09-28T10:00:00+08:00", "limit": 5, "unit": "workingDays", "extensions": [{"days": 0}]}""", "extensions[0].days", "outOfRange")]
    [InlineData("""{"start": "1999-12-31T10:00:00+08:00", "limit": 5, "unit": "workingDays"}""", "start", "invalid")]
    [InlineData("""not json""", "$", "invalid")]
    public void Bad_input_is_refused_with_its_field(string json, string field, string code)
    {
        var result = Parse(json);
        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.Field == field && e.Code == code);
        Assert.All(result.Errors, e => Assert.False(string.IsNullOrWhiteSpace(e.MessageZh)));
    }

    [Fact]
    public void Every_bad_field_is_reported_at_once()
    {
        var result = Parse("""{"start": "2026-09-28T10:00:00", "limit": 0, "unit": "weeks"}""");
        Assert.Equal(["limit", "start", "unit"], result.Errors.Select(e => e.Field).Order());
    }
}
