using CleanProdFlow.Timing.Deadlines;
using CleanProdFlow.Timing.Rules;
using static CleanProdFlow.Timing.Tests.ShippedData;

namespace CleanProdFlow.Timing.Tests.Rules;

public sealed class TimeLimitRuleTests
{
    private static readonly Lazy<TimeLimitRuleSet> Shipped = new(() => TimeLimitRuleSet.Parse(File.ReadAllText(PathOf("time-limits.json"))).Value);

    [Theory]
    [InlineData("eia.decision.report", 60, PeriodUnit.WorkingDays, true, false)]
    [InlineData("eia.decision.form", 30, PeriodUnit.WorkingDays, true, false)]
    [InlineData("eia.publicity.report", 10, PeriodUnit.WorkingDays, false, false)]
    [InlineData("eia.pre-approval-publicity", 5, PeriodUnit.WorkingDays, false, false)]
    [InlineData("eia.document.issuance", 10, PeriodUnit.WorkingDays, false, true)]
    [InlineData("eia.hearing.request", 5, PeriodUnit.WorkingDays, false, true)]
    [InlineData("audit.cycle", 1, PeriodUnit.Years, false, false)]
    [InlineData("audit.cycle.extended", 2, PeriodUnit.Years, false, true)]
    [InlineData("permit.decision.key", 30, PeriodUnit.WorkingDays, false, false)]
    [InlineData("revocation.statement", 5, PeriodUnit.WorkingDays, false, false)]
    [InlineData("penalty-info.withdrawal", 3, PeriodUnit.WorkingDays, false, true)]
    [InlineData("eligibility.penalty-lookback", 3, PeriodUnit.Years, false, true)]
    public void The_shipped_rules_carry_the_research_values(string id, int limit, PeriodUnit unit, bool halvable, bool verified)
    {
        var rule = Shipped.Value[id];
        Assert.Equal(limit, rule.Limit);
        Assert.Equal(unit, rule.Unit);
        Assert.Equal(halvable, rule.Halvable);
        Assert.Equal(verified, rule.Verified);
        Assert.Equal(HalfRounding.Down, rule.Rounding);
        Assert.False(string.IsNullOrWhiteSpace(rule.LegalBasis));
    }

    [Fact]
    public void Every_row_of_the_research_timing_table_with_a_value_has_a_rule()
    {
        // Q6 (quota trade processing) has no value in the research and is left out on purpose.
        string[] rows = ["E1", "E2", "E3", "E4", "E5", "E6", "E7", "E8", "E9", "E10", "E11", "E12", "C1", "C2", "C3", "C4", "C5", "C6", "C7", "Q1", "Q2", "Q3", "Q4", "Q5", "R1", "R2", "R3"];
        var tables = Shipped.Value.Rules.Select(r => r.Table).ToHashSet();
        Assert.All(rows, row => Assert.Contains(row, tables));
    }

    [Fact]
    public void A_rule_becomes_the_time_limit_of_a_deadline()
    {
        var limit = Shipped.Value["eia.decision.form"].ToTimeLimit();
        var deadline = Deadline.Compute(Mainland, new DeadlineRequest(T("2026-09-28T10:00:00+08:00"), limit, FastTrack: true));
        Assert.Equal(15, deadline.LimitApplied);
        Assert.Equal("eia.decision.form", deadline.Request.Limit.RuleId);
    }

    [Fact]
    public void The_rules_round_trip_through_their_json()
    {
        var again = TimeLimitRuleSet.Parse(Shipped.Value.ToJson()).Value;
        Assert.Equal(Shipped.Value.Rules, again.Rules);
    }

    [Theory]
    [InlineData("""{"rules":[{"id":"a.b","nameZh":"甲","nameEn":"A","limit":0,"unit":"workingDays","halvable":false,"legalBasis":"法","verified":false}]}""", "rules[0].limit", "outOfRange")]
    [InlineData("""{"rules":[{"id":"a.b","nameZh":"甲","nameEn":"A","limit":3651,"unit":"workingDays","halvable":false,"legalBasis":"法","verified":false}]}""", "rules[0].limit", "outOfRange")]
    [InlineData("""{"rules":[{"id":"a.b","nameZh":"甲","nameEn":"A","limit":5,"unit":"weeks","halvable":false,"legalBasis":"法","verified":false}]}""", "rules[0].unit", "unknownValue")]
    [InlineData("""{"rules":[{"id":"a.b","nameZh":"甲","nameEn":"A","limit":5,"unit":"workingDays","halvable":false,"rounding":"nearest","legalBasis":"法","verified":false}]}""", "rules[0].rounding", "unknownValue")]
    [InlineData("""{"rules":[{"id":"A B","nameZh":"甲","nameEn":"A","limit":5,"unit":"workingDays","halvable":false,"legalBasis":"法","verified":false}]}""", "rules[0].id", "invalid")]
    [InlineData("""{"rules":[{"id":"a.b","nameZh":"甲","nameEn":"A","limit":5,"unit":"workingDays","halvable":false,"verified":false}]}""", "rules[0].legalBasis", "required")]
    [InlineData("""{"rules":[{"id":"a.b","nameZh":"甲","nameEn":"A","limit":"5","unit":"workingDays","halvable":false,"legalBasis":"法","verified":false}]}""", "rules[0].limit", "invalidType")]
    [InlineData("""{"rules":[{"id":"a.b","nameZh":"甲","nameEn":"A","limit":5,"unit":"workingDays","halvable":false,"legalBasis":"法","verified":false},{"id":"a.b","nameZh":"乙","nameEn":"B","limit":5,"unit":"workingDays","halvable":false,"legalBasis":"法","verified":false}]}""", "rules[1].id", "duplicate")]
    [InlineData("""{"rule":[]}""", "rules", "required")]
    [InlineData("""{"rules": [""", "$", "invalid")]
    public void Bad_rules_are_refused_with_their_field(string json, string field, string code)
    {
        var result = TimeLimitRuleSet.Parse(json);
        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.Field == field && e.Code == code);
        Assert.Throws<InvalidInputException>(() => result.Value);
    }

    [Fact]
    public void Rules_from_the_database_are_checked_like_a_document()
    {
        var rule = Shipped.Value["eia.decision.report"];
        var result = TimeLimitRuleSet.Create([rule, rule with { NameZh = "重复" }]);
        Assert.Contains(result.Errors, e => e.Field == "rules[1].id" && e.Code == "duplicate");
        Assert.Contains(TimeLimitRuleSet.Create([rule with { Limit = -1 }]).Errors, e => e.Field == "rules[0].limit");
    }
}
