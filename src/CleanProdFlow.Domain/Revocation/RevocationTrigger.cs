using CleanProdFlow.Domain.Eligibility;
using CleanProdFlow.Domain.Facts;

namespace CleanProdFlow.Domain.Revocation;

/// <summary>
/// A fact that withdraws the incentives of an advanced enterprise (notice section 三): (一) an accident of grade 较大 or
/// worse, (二) an administrative penalty by the eco-environment authority, (三) a complaint or report verified as true.
/// <see cref="TriggerId"/> names the fact, so one fact opens at most one case.
/// </summary>
public sealed record RevocationTrigger(string Kind, string TriggerId, string SummaryZh)
{
    public const string Accident = "accident";
    public const string Penalty = "penalty";
    public const string Complaint = "complaint";

    /// <summary>An accident withdraws the incentives only from grade 较大 up; 一般 does not.</summary>
    public static RevocationTrigger? OfAccident(long id, DateOnly occurredOn, string grade) =>
        NewAccident.IsLargerOrWorse(grade)
            ? new(Accident, id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"{occurredOn:yyyy-MM-dd} 发生{NewAccident.Grades[grade]}环境污染事故（通知第三部分第（一）项）")
            : null;

    /// <summary>Only a penalty of the eco-environment authority counts; an annulled one never starts a case.</summary>
    public static RevocationTrigger? OfPenalty(Penalty penalty) =>
        penalty.Counts
            ? new(Penalty, penalty.DecisionNumber,
                $"{penalty.DecidedOn:yyyy-MM-dd} 受到生态环境行政处罚 {penalty.DecisionNumber}（{penalty.Authority}，通知第三部分第（二）项）")
            : null;

    public static RevocationTrigger? OfComplaint(long id, bool verifiedTrue, string? summary) =>
        verifiedTrue
            ? new(Complaint, id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"群众投诉举报经查证属实（第 {id} 号{(summary is null ? "" : "：" + summary)}，通知第三部分第（三）项）")
            : null;
}

/// <summary>Where a revocation case stands; the workflow sets it step by step.</summary>
public static class RevocationStatus
{
    public const string Starting = "starting";
    public const string Verifying = "verifying";
    public const string Unfounded = "unfounded";
    public const string Notifying = "notifying";
    public const string StatementWindow = "statement-window";
    public const string StatementReview = "statement-review";
    public const string Deciding = "deciding";
    public const string Revoked = "revoked";
    public const string Kept = "kept";
    public const string Review = "review";
    public const string Reinstated = "reinstated";
    public const string Maintained = "maintained";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        Starting, Verifying, Unfounded, Notifying, StatementWindow, StatementReview, Deciding, Revoked, Kept, Review, Reinstated, Maintained,
    };
}
