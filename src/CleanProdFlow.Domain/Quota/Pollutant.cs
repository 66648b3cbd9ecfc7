using CleanProdFlow.Domain.Common;

namespace CleanProdFlow.Domain.Quota;

/// <summary>
/// The pollutants whose total-emission quota (主要污染物总量指标) the ledger keeps: the four traditional ones (COD,
/// NH3-N, SO2, NOx), total nitrogen and phosphorus, VOCs and particulate matter. Codes are what the API and the
/// database use; the Chinese names are accepted as aliases (an EIA application may name 氨氮 or 颗粒物).
/// </summary>
public static class Pollutant
{
    public static readonly IReadOnlyDictionary<string, LocalizedText> Names = new Dictionary<string, LocalizedText>(StringComparer.Ordinal)
    {
        ["COD"] = new("化学需氧量", "chemical oxygen demand"),
        ["NH3-N"] = new("氨氮", "ammonia nitrogen"),
        ["TN"] = new("总氮", "total nitrogen"),
        ["TP"] = new("总磷", "total phosphorus"),
        ["SO2"] = new("二氧化硫", "sulphur dioxide"),
        ["NOx"] = new("氮氧化物", "nitrogen oxides"),
        ["VOCs"] = new("挥发性有机物", "volatile organic compounds"),
        ["PM"] = new("颗粒物", "particulate matter"),
    };

    /// <summary>The code for a code or Chinese name (case-insensitive for codes), or null for anything else.</summary>
    public static string? Normalise(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        var trimmed = text.Trim();
        foreach (var (code, name) in Names)
            if (string.Equals(code, trimmed, StringComparison.OrdinalIgnoreCase) || name.Zh == trimmed)
                return code;
        return null;
    }
}

/// <summary>
/// Amounts in tonnes per year with exactly three decimal places, kept as integer milli-tonnes so that no provider
/// rounds (SQLite has no exact decimal type; one integer representation everywhere keeps one code path).
/// </summary>
public static class QuotaAmount
{
    /// <summary>An upper bound per movement (1,000,000 t/a): far above any real quota, far below overflow.</summary>
    public const decimal MaxTonnes = 1_000_000m;

    public static decimal ToTonnes(long milli) => milli / 1000m;

    /// <summary>Tonnes → milli-tonnes when positive, at most <see cref="MaxTonnes"/> and with no more than 3 decimals.</summary>
    public static bool TryFromTonnes(decimal tonnes, out long milli)
    {
        milli = 0;
        if (tonnes <= 0 || tonnes > MaxTonnes || decimal.Round(tonnes, 3) != tonnes)
            return false;
        milli = (long)(tonnes * 1000m);
        return true;
    }

    /// <summary>The reason for a refused amount, in both languages.</summary>
    public static LocalizedText Refusal(string field) =>
        new($"{field} 须为大于 0、不超过 {MaxTonnes:0} 的数（吨/年，最多三位小数）",
            $"{field} must be a number above 0 and at most {MaxTonnes:0} (tonnes per year, at most three decimals)");
}
