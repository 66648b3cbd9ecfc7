using CleanProdFlow.Domain.Access;

namespace CleanProdFlow.Domain.Quota;

/// <summary>
/// Who holds an account: an enterprise (by credit code), a city's reserve (市级储备库, by city code), the provincial
/// reserve, or one of the two system accounts that make issuance and retirement balanced entries. <see cref="City"/>
/// is whose staff act on it (the province for the provincial reserve and the system accounts).
/// </summary>
public sealed record QuotaHolder(string Kind, string Id, string City)
{
    public const string EnterpriseKind = "enterprise";
    public const string CityReserveKind = "city-reserve";
    public const string ProvinceReserveKind = "province-reserve";
    public const string SystemKind = "system";

    public static QuotaHolder Enterprise(string creditCode, string city) => new(EnterpriseKind, creditCode, city);

    public static QuotaHolder CityReserve(string city) => new(CityReserveKind, city, city);

    public static QuotaHolder ProvinceReserve { get; } = new(ProvinceReserveKind, Organisation.ProvinceCode, Organisation.ProvinceCode);

    /// <summary>Debited by every issuance: the only account allowed below zero (its negation is all quota ever issued).</summary>
    public static QuotaHolder Issuance { get; } = new(SystemKind, "issuance", Organisation.ProvinceCode);

    /// <summary>Credited by every retirement (quota taken out of circulation).</summary>
    public static QuotaHolder Retirement { get; } = new(SystemKind, "retirement", Organisation.ProvinceCode);

    public bool IsSystem => Kind == SystemKind;

    /// <summary>The fixed order in which one entry touches its accounts, so two entries never wait for each other in a cycle.</summary>
    public static int Compare(QuotaHolder a, QuotaHolder b)
    {
        var kind = string.CompareOrdinal(a.Kind, b.Kind);
        return kind != 0 ? kind : string.CompareOrdinal(a.Id, b.Id);
    }
}

/// <summary>One line of an entry: + credits, − debits the holder's account; <see cref="FromHold"/> debits what an offer or deposit held.</summary>
public sealed record QuotaPostingDraft(QuotaHolder Holder, long Amount, bool FromHold = false);

/// <summary>
/// A movement to post: one pollutant, postings that sum to zero, an idempotency key that makes a replay post
/// nothing. Build one with the factories; they are the only movements the product makes.
/// </summary>
public sealed record QuotaEntryDraft(string Kind, string Pollutant, long Amount, string IdempotencyKey, string Reference, string? Memo,
    IReadOnlyList<QuotaPostingDraft> Postings)
{
    public const string IssuanceKind = "issuance";
    public const string TradeKind = "trade";
    public const string DepositKind = "deposit";
    public const string AllocationKind = "allocation";
    public const string RetirementKind = "retirement";
    /// <summary>The province pools quota from a city reserve into the provincial reserve (上级统筹储备).</summary>
    public const string PoolingKind = "pooling";

    /// <summary>An accepted audit's verified reduction credited to the enterprise (the only way quota comes into being).</summary>
    public static QuotaEntryDraft Issuance(QuotaHolder to, string pollutant, long amount, string key, string reference, string? memo = null) =>
        new(IssuanceKind, pollutant, amount, key, reference, memo, [new(QuotaHolder.Issuance, -amount), new(to, amount)]);

    /// <summary>Quota taken out of circulation (e.g. an enterprise closes a line).</summary>
    public static QuotaEntryDraft Retirement(QuotaHolder from, string pollutant, long amount, string key, string reference, string? memo = null) =>
        new(RetirementKind, pollutant, amount, key, reference, memo, [new(from, -amount), new(QuotaHolder.Retirement, amount)]);

    /// <summary>A movement between two holders; <paramref name="fromHold"/> when the amount was held for it.</summary>
    public static QuotaEntryDraft Transfer(string kind, QuotaHolder from, QuotaHolder to, string pollutant, long amount, string key, string reference,
        bool fromHold = false, string? memo = null) =>
        new(kind, pollutant, amount, key, reference, memo, [new(from, -amount, fromHold), new(to, amount)]);

    /// <summary>
    /// The province moves quota from a city reserve into the provincial reserve under its decision's reference; the key
    /// (<c>pooling:{city}:{reference}:{pollutant}</c>) makes a repeated request post nothing.
    /// </summary>
    public static QuotaEntryDraft Pooling(string fromCity, string pollutant, long amount, string reference, string? memo = null) =>
        Transfer(PoolingKind, QuotaHolder.CityReserve(fromCity), QuotaHolder.ProvinceReserve, pollutant, amount, $"pooling:{fromCity}:{reference}:{pollutant}",
            reference, memo: memo);

    /// <summary>Why the draft cannot be posted, or null: balanced, positive, one account once, system accounts only for issuance/retirement.</summary>
    public string? Problem()
    {
        if (Amount <= 0)
            return "the amount must be positive";
        if (!Quota.Pollutant.Names.ContainsKey(Pollutant))
            return $"'{Pollutant}' is not a pollutant the ledger keeps";
        if (Postings.Count < 2 || Postings.Sum(p => p.Amount) != 0 || Postings.Any(p => p.Amount == 0))
            return "the postings must be non-zero and sum to zero";
        if (Postings.Select(p => (p.Holder.Kind, p.Holder.Id)).Distinct().Count() != Postings.Count)
            return "an entry touches each account once";
        if (Postings.Any(p => p.FromHold && p.Amount > 0))
            return "only a debit can come from a hold";
        var touchesSystem = Postings.Any(p => p.Holder.IsSystem);
        if (touchesSystem != (Kind is IssuanceKind or RetirementKind))
            return "only issuance and retirement touch the system accounts";
        if (string.IsNullOrWhiteSpace(IdempotencyKey) || IdempotencyKey.Length > 200)
            return "the idempotency key must be 1–200 characters";
        return null;
    }
}
