using System.Globalization;

namespace CleanProdFlow.Domain.Documents;

/// <summary>
/// A document number (文号) in the form of the GB/T 9704 official-document format: organisation prefix, series
/// character, the year in 〔〕 (hexagonal brackets, not 【】 or []), the sequence without leading zeros, 号 —
/// e.g. 苏环审〔2026〕123号.
/// </summary>
public sealed record DocumentNumber(string Organisation, string Series, int Year, int Sequence, string Text)
{
    public static DocumentNumber Of(string organisation, string prefix, string series, int year, int sequence) =>
        new(organisation, series, year, sequence, string.Create(CultureInfo.InvariantCulture, $"{prefix}{series}〔{year}〕{sequence}号"));

    /// <summary>The counter scope of a series: one gap-free sequence per organisation, series and year.</summary>
    public static string Scope(string organisation, string series) => $"{organisation}:{series}";
}
