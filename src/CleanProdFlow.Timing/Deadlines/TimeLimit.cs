namespace CleanProdFlow.Timing.Deadlines;

/// <summary>
/// A statutory time limit as a clock or a deadline uses it: the amount and unit, whether the fast track
/// (绿色通道, 时限减半) halves it and how, and — when it comes from a rule — the rule's id, names and legal basis.
/// </summary>
public sealed record TimeLimit(int Amount, PeriodUnit Unit, bool Halvable = false, HalfRounding Rounding = HalfRounding.Down)
{
    public const int MaxAmount = 3650;

    public string? RuleId { get; init; }

    public string? NameZh { get; init; }

    public string? NameEn { get; init; }

    /// <summary>Law and article, in Chinese, e.g. "《环境影响评价法》第二十二条".</summary>
    public string? LegalBasis { get; init; }

    public bool IsHalved(bool fastTrack) => fastTrack && Halvable;

    /// <summary>The amount in force: halved on the fast track when halvable (odd: per <see cref="Rounding"/>), never below 1.</summary>
    public int AppliedAmount(bool fastTrack)
    {
        if (!IsHalved(fastTrack))
        {
            return Amount;
        }

        var half = Rounding == HalfRounding.Down ? Amount / 2 : (Amount + 1) / 2;
        return Math.Max(1, half);
    }

    public IReadOnlyList<FieldError> Validate(string limitField = "limit", string unitField = "unit")
    {
        var errors = new List<FieldError>();
        if (Amount < 1 || Amount > MaxAmount)
        {
            errors.Add(FieldErrors.OutOfRange(limitField, 1, MaxAmount));
        }

        if (!Enum.IsDefined(Unit))
        {
            errors.Add(FieldErrors.Unknown(unitField, Unit.ToString(), PeriodUnits.JsonNames));
        }

        if (!Enum.IsDefined(Rounding))
        {
            errors.Add(FieldErrors.Unknown("rounding", Rounding.ToString(), HalfRoundings.JsonNames));
        }

        return errors;
    }

    public string Name(Language language) =>
        (language == Language.ZhCn ? NameZh ?? NameEn : NameEn ?? NameZh) ?? (language == Language.ZhCn ? "期限" : "time limit");
}
