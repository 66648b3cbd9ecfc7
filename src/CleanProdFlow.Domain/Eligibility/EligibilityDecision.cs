using CleanProdFlow.Domain.Common;
using CleanProdFlow.Domain.Enterprises;

namespace CleanProdFlow.Domain.Eligibility;

/// <summary>One rule of section 一 of the notice, passed or not, with the dates it used.</summary>
public sealed record EligibilityRule(string Id, bool Passed, LocalizedText Detail);

/// <summary>
/// Whether an enterprise is a clean-production advanced enterprise on a date (notice section 一), and why:
/// rule <c>audit-level</c> (its latest audit accepted by then was rated Ⅰ or Ⅱ) and rule <c>no-penalty-3-years</c>
/// (no eco-environmental administrative penalty decided in the three years up to that date).
/// </summary>
public sealed record EligibilityDecision(DateOnly AsOf, bool Eligible, IReadOnlyList<EligibilityRule> Rules)
{
    public const string AuditLevelRule = "audit-level";
    public const string NoPenaltyRule = "no-penalty-3-years";

    public static EligibilityDecision Evaluate(DateOnly asOf, IEnumerable<AuditResult> audits, IEnumerable<Penalty> penalties)
    {
        var rules = new[] { AuditRule(asOf, audits), PenaltyRule(asOf, penalties) };
        return new EligibilityDecision(asOf, rules.All(r => r.Passed), rules);
    }

    /// <summary>The latest acceptance on or before the date decides: a later Ⅲ replaces an earlier Ⅱ.</summary>
    private static EligibilityRule AuditRule(DateOnly asOf, IEnumerable<AuditResult> audits)
    {
        var latest = audits.Where(a => a.AcceptedOn <= asOf)
            .OrderByDescending(a => a.AcceptedOn).ThenByDescending(a => a.Level)
            .FirstOrDefault();
        if (latest is null)
            return new(AuditLevelRule, false, new(
                $"截至 {asOf:yyyy-MM-dd} 没有通过验收的清洁生产审核",
                $"no clean-production audit accepted on or before {asOf:yyyy-MM-dd}"));
        var passed = latest.Level is AuditLevel.I or AuditLevel.II;
        var level = latest.Level switch { AuditLevel.I => "Ⅰ", AuditLevel.II => "Ⅱ", _ => "Ⅲ" };
        return new(AuditLevelRule, passed, new(
            $"最近一次审核于 {latest.AcceptedOn:yyyy-MM-dd} 由{latest.Authority}验收（{latest.DocumentNumber}），等级 {level} 级" +
            (passed ? "，符合要求（Ⅰ级或Ⅱ级）" : "，不符合要求（须为Ⅰ级或Ⅱ级）"),
            $"latest audit accepted on {latest.AcceptedOn:yyyy-MM-dd} by {latest.Authority} ({latest.DocumentNumber}) at level {level}" +
            (passed ? ", which qualifies (Ⅰ or Ⅱ)" : ", which does not qualify (Ⅰ or Ⅱ required)")));
    }

    /// <summary>
    /// The look-back starts on the same calendar date three years earlier (29 Feb → 28 Feb) and includes it:
    /// for 2026-11-24 a penalty decided on 2023-11-24 still counts, one of 2023-11-23 does not.
    /// </summary>
    private static EligibilityRule PenaltyRule(DateOnly asOf, IEnumerable<Penalty> penalties)
    {
        var from = LookBackStart(asOf);
        var barring = penalties.Where(p => p.Counts && p.DecidedOn >= from && p.DecidedOn <= asOf)
            .OrderByDescending(p => p.DecidedOn).ToList();
        if (barring.Count == 0)
            return new(NoPenaltyRule, true, new(
                $"{from:yyyy-MM-dd} 至 {asOf:yyyy-MM-dd} 期间无生态环境类行政处罚（已撤销的处罚不计）",
                $"no eco-environmental administrative penalty decided from {from:yyyy-MM-dd} to {asOf:yyyy-MM-dd} (annulled penalties do not count)"));
        var latest = barring[0];
        return new(NoPenaltyRule, false, new(
            $"{from:yyyy-MM-dd} 至 {asOf:yyyy-MM-dd} 期间有 {barring.Count} 项生态环境类行政处罚，最近一项为{latest.Authority} {latest.DecidedOn:yyyy-MM-dd} 作出的 {latest.DecisionNumber}",
            $"{barring.Count} eco-environmental administrative penalt{(barring.Count == 1 ? "y" : "ies")} decided from {from:yyyy-MM-dd} to {asOf:yyyy-MM-dd}, the latest {latest.DecisionNumber} of {latest.DecidedOn:yyyy-MM-dd} by {latest.Authority}"));
    }

    /// <summary>The first day of the three-year look-back (DateOnly.AddYears maps 29 Feb to 28 Feb).</summary>
    public static DateOnly LookBackStart(DateOnly asOf) => asOf.AddYears(-3);
}
