using CleanProdFlow.Domain.Eia;
using CleanProdFlow.Domain.Eligibility;
using CleanProdFlow.Domain.Enterprises;

namespace CleanProdFlow.Domain.Tests.Eia;

public sealed class EiaTrackTests
{
    private static readonly DateOnly Acceptance = new(2026, 9, 28);

    private static AuditResult Audit(AuditLevel level) => new("91320500MA1MXXXXXX", new DateOnly(2025, 6, 30), level, "苏州市生态环境局", "苏环验〔2025〕7号");

    [Fact]
    public void An_eligible_enterprise_takes_the_green_channel_and_the_reason_says_why()
    {
        var track = EiaTrack.Decide(EligibilityDecision.Evaluate(Acceptance, [Audit(AuditLevel.II)], []));

        Assert.True(track.Fast);
        Assert.Equal("fast", track.Name);
        Assert.Equal("eia-fast-track", track.DefinitionKey);
        Assert.Contains("2026-09-28", track.Reason.Zh);
        Assert.Contains("四同步", track.Reason.Zh);
        Assert.Contains("2025-06-30", track.Reason.En);
        Assert.Contains("halved", track.Reason.En);
    }

    [Fact]
    public void An_ineligible_enterprise_takes_the_standard_track_naming_only_the_rules_it_failed()
    {
        var penalty = new Penalty("苏环罚〔2025〕12号", new DateOnly(2025, 3, 1), "苏州市生态环境局", EcoEnvironmental: true, Annulled: false);
        var track = EiaTrack.Decide(EligibilityDecision.Evaluate(Acceptance, [Audit(AuditLevel.II)], [penalty]));

        Assert.False(track.Fast);
        Assert.Equal("eia-standard", track.DefinitionKey);
        Assert.Contains("苏环罚〔2025〕12号", track.Reason.Zh);
        Assert.DoesNotContain("2025-06-30", track.Reason.Zh); // the audit rule passed: not a reason
        Assert.Equal(2, track.Eligibility.Rules.Count);       // the full decision is kept as evidence
    }

    [Fact]
    public void Eligibility_is_judged_on_the_acceptance_date_not_later()
    {
        // The audit was accepted after the application: the enterprise was not yet eligible when it applied.
        var late = new AuditResult("91320500MA1MXXXXXX", new DateOnly(2026, 10, 8), AuditLevel.I, "苏州市生态环境局", "苏环验〔2026〕3号");

        Assert.False(EiaTrack.Decide(EligibilityDecision.Evaluate(Acceptance, [late], [])).Fast);
    }
}
