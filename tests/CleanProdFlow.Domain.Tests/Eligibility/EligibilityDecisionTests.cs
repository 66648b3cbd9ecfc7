using CleanProdFlow.Domain.Eligibility;
using CleanProdFlow.Domain.Enterprises;

namespace CleanProdFlow.Domain.Tests.Eligibility;

public sealed class EligibilityDecisionTests
{
    private const string Code = "91320500MA1MXXXXXX";
    private static readonly DateOnly AsOf = new(2026, 11, 24);

    private static AuditResult Audit(string acceptedOn, AuditLevel level, string document = "苏环验〔2025〕1号") =>
        new(Code, DateOnly.Parse(acceptedOn), level, "苏州市生态环境局", document);

    private static Penalty EcoPenalty(string decidedOn, bool annulled = false) =>
        new("苏环罚〔2023〕88号", DateOnly.Parse(decidedOn), "苏州市生态环境局", EcoEnvironmental: true, Annulled: annulled);

    private static EligibilityRule Rule(EligibilityDecision decision, string id) => Assert.Single(decision.Rules, r => r.Id == id);

    [Fact]
    public void Level_two_with_no_penalty_is_eligible_and_says_why()
    {
        var decision = EligibilityDecision.Evaluate(AsOf, [Audit("2025-06-30", AuditLevel.II)], []);

        Assert.True(decision.Eligible);
        Assert.Contains("2025-06-30", Rule(decision, EligibilityDecision.AuditLevelRule).Detail.Zh);
        Assert.Contains("2023-11-24", Rule(decision, EligibilityDecision.NoPenaltyRule).Detail.En);
    }

    [Fact]
    public void Level_three_does_not_qualify()
    {
        var decision = EligibilityDecision.Evaluate(AsOf, [Audit("2025-06-30", AuditLevel.III)], []);

        Assert.False(decision.Eligible);
        Assert.False(Rule(decision, EligibilityDecision.AuditLevelRule).Passed);
        Assert.True(Rule(decision, EligibilityDecision.NoPenaltyRule).Passed);
    }

    [Fact]
    public void Without_an_accepted_audit_the_enterprise_is_not_eligible()
    {
        var decision = EligibilityDecision.Evaluate(AsOf, [Audit("2026-12-01", AuditLevel.I)], []);

        Assert.False(decision.Eligible);
        Assert.Contains("no clean-production audit", Rule(decision, EligibilityDecision.AuditLevelRule).Detail.En);
    }

    [Fact]
    public void The_latest_audit_decides_a_later_level_three_replaces_an_earlier_level_one()
    {
        var decision = EligibilityDecision.Evaluate(AsOf, [Audit("2022-05-10", AuditLevel.I, "a"), Audit("2025-05-10", AuditLevel.III, "b")], []);

        Assert.False(Rule(decision, EligibilityDecision.AuditLevelRule).Passed);
    }

    [Theory]
    [InlineData("2023-11-24", false)] // exactly three years before: still counts
    [InlineData("2023-11-23", true)]  // one day earlier: outside the look-back
    [InlineData("2026-11-24", false)] // on the evaluation date itself
    [InlineData("2026-11-25", true)]  // after the evaluation date: not yet
    public void A_penalty_counts_from_the_same_date_three_years_before(string decidedOn, bool passes)
    {
        var decision = EligibilityDecision.Evaluate(AsOf, [Audit("2025-06-30", AuditLevel.I)], [EcoPenalty(decidedOn)]);

        Assert.Equal(passes, Rule(decision, EligibilityDecision.NoPenaltyRule).Passed);
        Assert.Equal(passes, decision.Eligible);
    }

    [Fact]
    public void An_annulled_penalty_or_one_outside_the_eco_environment_does_not_count()
    {
        var other = new Penalty("苏市监罚〔2025〕3号", new DateOnly(2025, 3, 1), "苏州市市场监督管理局", EcoEnvironmental: false, Annulled: false);
        var decision = EligibilityDecision.Evaluate(AsOf, [Audit("2025-06-30", AuditLevel.I)], [EcoPenalty("2025-01-10", annulled: true), other]);

        Assert.True(decision.Eligible);
    }

    [Fact]
    public void An_audit_accepted_after_a_penalty_does_not_clear_the_penalty()
    {
        var decision = EligibilityDecision.Evaluate(AsOf, [Audit("2026-06-30", AuditLevel.I)], [EcoPenalty("2025-01-10")]);

        Assert.True(Rule(decision, EligibilityDecision.AuditLevelRule).Passed);
        Assert.False(decision.Eligible);
        Assert.Contains("苏环罚〔2023〕88号", Rule(decision, EligibilityDecision.NoPenaltyRule).Detail.Zh);
    }

    [Theory]
    [InlineData("2028-02-29", "2025-02-28")]
    [InlineData("2027-03-01", "2024-03-01")]
    [InlineData("2024-02-29", "2021-02-28")]
    public void The_look_back_of_29_february_starts_on_28_february(string asOf, string expected)
    {
        Assert.Equal(DateOnly.Parse(expected), EligibilityDecision.LookBackStart(DateOnly.Parse(asOf)));
    }
}
