using System.Globalization;
using System.Text.RegularExpressions;
using CleanProdFlow.Domain.Access;

namespace CleanProdFlow.Domain.Imports;

/// <summary>
/// Turns cell text as the bureaus write it into the form the single-record API takes, so that the rules stay in
/// one place (<see cref="Enterprises.NewEnterprise"/>, <see cref="Enterprises.NewAuditResult"/>). A value these
/// cannot read is passed on unchanged and refused there with the reason.
/// </summary>
public static partial class ImportValues
{
    /// <summary>A city as written — code (suzhou), 苏州市, 苏州, 苏州市生态环境局 or Suzhou — as its organisation code.</summary>
    public static string? City(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        var value = text.Trim();
        foreach (var organisation in Organisation.All)
        {
            if (organisation.IsProvince)
                continue;
            var city = organisation.NameZh.Replace("生态环境局", "", StringComparison.Ordinal); // 苏州市
            if (value.Equals(organisation.Code, StringComparison.OrdinalIgnoreCase)
                || value == organisation.NameZh || value == city || value == city.TrimEnd('市')
                || value.Equals(organisation.NameEn.Replace(" Ecology and Environment Bureau", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase))
                return organisation.Code;
        }
        return value;
    }

    /// <summary>是/否, 有/无, true/false, 1/0, yes/no, y/n; null when empty; <paramref name="unreadable"/> when it is none of these.</summary>
    public static bool? YesNo(string? text, out bool unreadable)
    {
        unreadable = false;
        if (string.IsNullOrWhiteSpace(text))
            return null;
        switch (text.Trim().ToLowerInvariant())
        {
            case "是" or "有" or "已安装" or "true" or "1" or "yes" or "y" or "√":
                return true;
            case "否" or "无" or "未安装" or "false" or "0" or "no" or "n" or "×":
                return false;
            default:
                unreadable = true;
                return null;
        }
    }

    [GeneratedRegex(@"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")]
    private static partial Regex DateParts();

    [GeneratedRegex(@"^\d{8}$")]
    private static partial Regex CompactDate();

    /// <summary>
    /// A date as written — 2025-06-30, 2025/6/30, 2025.6.30, 2025年6月30日, 20250630 (and, from a spreadsheet, a serial
    /// day number in a cell not formatted as a date) — as yyyy-MM-dd; anything else is returned unchanged.
    /// </summary>
    public static string? Date(string? text, ImportFormat format)
    {
        if (string.IsNullOrWhiteSpace(text))
            return text;
        var value = text.Trim();
        if (DateParts().Match(value) is { Success: true } parts)
            return IsoDate(parts.Groups[1].Value, parts.Groups[2].Value, parts.Groups[3].Value) ?? value;
        if (CompactDate().IsMatch(value))
            return IsoDate(value[..4], value[4..6], value[6..]) ?? value;
        if (format == ImportFormat.Xlsx && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var serial))
            return SerialDate(serial, date1904: false) ?? value;
        return value;
    }

    private static string? IsoDate(string year, string month, string day) =>
        int.TryParse(month, CultureInfo.InvariantCulture, out var m) && int.TryParse(day, CultureInfo.InvariantCulture, out var d)
        && m is >= 1 and <= 12 && d >= 1 && d <= DateTime.DaysInMonth(int.Parse(year, CultureInfo.InvariantCulture), m)
            ? $"{year}-{m:D2}-{d:D2}"
            : null;

    /// <summary>An Excel serial day number (the time of day ignored) as yyyy-MM-dd; null outside 1900-03-01 … 9999-12-31.</summary>
    public static string? SerialDate(double serial, bool date1904)
    {
        if (date1904)
            serial += 1462;
        // Serials up to 60 fall before Excel's phantom 1900-02-29; no register date is that old.
        if (double.IsNaN(serial) || serial < 61 || serial >= 2958466)
            return null;
        return DateOnly.FromDateTime(DateTime.FromOADate(Math.Floor(serial))).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }
}
