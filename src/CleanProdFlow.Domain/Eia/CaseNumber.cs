using System.Globalization;
using System.Text.RegularExpressions;
using CleanProdFlow.Domain.Access;

namespace CleanProdFlow.Domain.Eia;

/// <summary>
/// The case number (受理编号) of an EIA application: the city's short name, 环审, the year of acceptance in 〔〕 and a
/// four-digit sequence per city and year, e.g. <c>苏州环审〔2026〕0001</c> (beyond 9999 the sequence simply grows).
/// The sequence comes from a counter row updated in the transaction that stores the application, so numbers are
/// gap-free and never reused.
/// </summary>
public static partial class CaseNumber
{
    private const string BureauSuffix = "市生态环境局";

    [GeneratedRegex("^(?<city>\\p{IsCJKUnifiedIdeographs}{2,3})环审〔(?<year>\\d{4})〕(?<sequence>\\d{4,})$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    /// <summary>The city's short name, e.g. 苏州 for suzhou, 连云港 for lianyungang.</summary>
    public static string ShortName(string city)
    {
        var organisation = Organisation.Find(city);
        if (organisation is null || organisation.IsProvince)
            throw new ArgumentException($"'{city}' is not one of the 13 cities", nameof(city));
        return organisation.NameZh.EndsWith(BureauSuffix, StringComparison.Ordinal)
            ? organisation.NameZh[..^BureauSuffix.Length]
            : organisation.NameZh;
    }

    public static string Format(string city, int year, int sequence)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sequence, 1);
        return $"{ShortName(city)}环审〔{year.ToString("0000", CultureInfo.InvariantCulture)}〕{sequence.ToString("0000", CultureInfo.InvariantCulture)}";
    }

    /// <summary>The city, year and sequence of a well-formed case number; false for anything else.</summary>
    public static bool TryParse(string? text, out string city, out int year, out int sequence)
    {
        city = "";
        year = 0;
        sequence = 0;
        var match = text is null ? null : Pattern().Match(text.Trim());
        if (match is null || !match.Success)
            return false;
        var shortName = match.Groups["city"].Value;
        var organisation = Organisation.All.FirstOrDefault(o => !o.IsProvince && o.NameZh == shortName + BureauSuffix);
        if (organisation is null
            || !int.TryParse(match.Groups["year"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out year)
            || !int.TryParse(match.Groups["sequence"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out sequence)
            || sequence < 1)
            return false;
        city = organisation.Code;
        return true;
    }
}
