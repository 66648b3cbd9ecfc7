using CleanProdFlow.Timing.Deadlines;

namespace CleanProdFlow.Timing.Rules;

/// <summary>
/// One row of <c>workflows/time-limits.json</c>: a statutory (or default) time limit with its legal basis and
/// whether the value is verified or a default to confirm with the client.
/// </summary>
public sealed record TimeLimitRule(
    string Id,
    string NameZh,
    string NameEn,
    int Limit,
    PeriodUnit Unit,
    bool Halvable,
    HalfRounding Rounding,
    string LegalBasis,
    bool Verified,
    string? Table = null,
    string? Note = null)
{
    /// <summary>The limit as clocks and deadlines use it, carrying the rule's id, names and legal basis.</summary>
    public TimeLimit ToTimeLimit() => new(Limit, Unit, Halvable, Rounding)
    {
        RuleId = Id,
        NameZh = NameZh,
        NameEn = NameEn,
        LegalBasis = LegalBasis,
    };
}
