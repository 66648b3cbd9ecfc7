using System.Globalization;
using CleanProdFlow.Domain.Access;
using CleanProdFlow.Domain.Eia;

namespace CleanProdFlow.Domain.Reception;

/// <summary>
/// The number of a reception-day request: the organisation's short name, 接待, the session's year in 〔〕 and a
/// three-digit sequence per organisation and year, e.g. <c>苏州接待〔2026〕001</c> or <c>省厅接待〔2026〕001</c>
/// (beyond 999 the sequence simply grows). Like the EIA case number it comes from a counter row updated in the
/// transaction that stores the request, so numbers are gap-free and never reused.
/// </summary>
public static class RequestNumber
{
    public static string ShortName(string organisation) =>
        organisation == Organisation.ProvinceCode ? "省厅" : CaseNumber.ShortName(organisation);

    public static string Format(string organisation, int year, int sequence)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sequence, 1);
        return $"{ShortName(organisation)}接待〔{year.ToString("0000", CultureInfo.InvariantCulture)}〕{sequence.ToString("000", CultureInfo.InvariantCulture)}";
    }
}
