using CleanProdFlow.Domain.Common;

namespace CleanProdFlow.Domain.Programmes;

/// <summary>
/// The yearly green-finance batch (measure 5, 环保贷/环保担): in the first half of each year the province recommends
/// last year's clean-production advanced enterprises to the provincial project pool. A batch is named by the register
/// year it draws from (built on 2 January of the next year).
/// </summary>
public static class GreenFinanceBatch
{
    public const string DefinitionKey = "green-finance-batch";
    public const string ClockName = "finance.pool-selection";
    public const string PoolList = "green-finance-pool";

    public const string Reviewing = "reviewing";
    public const string Recommended = "recommended";

    /// <summary>The register year a batch built on <paramref name="today"/> (Beijing date) draws from: last year.</summary>
    public static int RegisterYearFor(DateOnly today) => today.Year - 1;

    /// <summary>
    /// When the selection period (rule finance.pool-selection, 6 months) starts: the last second of 31 December of the
    /// register year. The start day is not counted (Civil Code art. 201), so counting begins on 1 January and six months
    /// end on 30 June — 24:00 of 31 December itself is 1 January 00:00 and would end the period on 1 July.
    /// </summary>
    public static DateTimeOffset ClockStartFor(int registerYear) => new(registerYear, 12, 31, 23, 59, 59, TimeSpan.FromHours(8));

    /// <summary>The last day on the register that still counts for the year's batch.</summary>
    public static DateOnly YearEnd(int registerYear) => new(registerYear, 12, 31);

    /// <summary>Why a batch year is refused, or null: a batch is always for last year (the notice's first half-year selection).</summary>
    public static LocalizedText? RefusalOfYear(int? year, DateOnly today)
    {
        var expected = RegisterYearFor(today);
        return year == expected ? null
            : new($"年度须为上一年度（{expected}）：每年上半年遴选上一年度的清洁生产先进企业",
                $"year must be last year ({expected}): each first half-year selects last year's advanced enterprises");
    }

    /// <summary>The reason an officer gives to exclude a candidate: required, at most 1,000 characters.</summary>
    public static string? CheckReason(string? reason, out FieldError? error)
    {
        error = null;
        var trimmed = reason?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > 1000)
        {
            error = new("reason", new("须填写排除理由（不超过 1000 字）", "reason is required (at most 1,000 characters)"));
            return null;
        }
        return trimmed;
    }
}

/// <summary>Where one candidate of a green-finance batch stands; kept as evidence with its reason.</summary>
public static class GreenFinanceCandidateStatus
{
    public const string Candidate = "candidate";
    /// <summary>Excluded by a reviewer with a reason, or at build time because the entry had been revoked.</summary>
    public const string Excluded = "excluded";
    /// <summary>Revoked between the build and the recommendation: dropped when the recommendation was recorded.</summary>
    public const string DroppedRevoked = "dropped-revoked";
    public const string Recommended = "recommended";
}
