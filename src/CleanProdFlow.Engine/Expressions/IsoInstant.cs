using System.Globalization;
using System.Text.RegularExpressions;
using CleanProdFlow.Timing;

namespace CleanProdFlow.Engine.Expressions;

/// <summary>
/// An ISO-8601 date or date-time in a timer. With <c>Z</c> or an offset it is that instant; without one it is
/// Beijing local time, and a plain date means 00:00 Beijing time of that day. Instants are returned at +08:00.
/// </summary>
internal static partial class IsoInstant
{
    public static DateTimeOffset? TryParse(string text, out ExpressionError? error)
    {
        var match = DateTimePattern().Match(text);
        if (match.Success && TryBuild(match, out var instant))
        {
            error = null;
            return instant;
        }

        error = new ExpressionError(
            $"'{text}' is not an ISO-8601 date or date-time; expected for example 2026-10-12, 2026-10-12T09:00 "
            + "(Beijing time), 2026-10-12T09:00:00+08:00 or 2026-10-12T01:00:00Z.",
            $"“{text}”不是 ISO-8601 日期或日期时间；应形如 2026-10-12、2026-10-12T09:00（北京时间）、"
            + "2026-10-12T09:00:00+08:00 或 2026-10-12T01:00:00Z。");
        return null;
    }

    private static bool TryBuild(Match match, out DateTimeOffset instant)
    {
        instant = default;
        var year = Number("year");
        var month = Number("month");
        var day = Number("day");
        var hour = Number("hour");
        var minute = Number("minute");
        var second = Number("second");
        // Years far from today are typing mistakes, and the bounds keep offset arithmetic inside DateTimeOffset.
        if (year is < 1900 or > 9998 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        var fraction = match.Groups["fraction"].Value;
        var ticks = fraction.Length == 0
            ? 0
            : long.Parse(fraction.PadRight(7, '0')[..7], NumberStyles.None, CultureInfo.InvariantCulture);

        var offset = BeijingTime.Offset;
        var zone = match.Groups["zone"].Value;
        if (zone is "Z" or "z")
        {
            offset = TimeSpan.Zero;
        }
        else if (zone.Length > 0)
        {
            var offsetHours = Number("offsetHours");
            var offsetMinutes = Number("offsetMinutes");
            if (offsetHours > 14 || offsetMinutes > 59 || offsetHours == 14 && offsetMinutes > 0)
            {
                return false;
            }

            offset = new TimeSpan(offsetHours, offsetMinutes, 0);
            if (zone[0] == '-')
            {
                offset = -offset;
            }
        }

        instant = new DateTimeOffset(year, month, day, hour, minute, second, offset).AddTicks(ticks).ToOffset(BeijingTime.Offset);
        return true;

        int Number(string group) =>
            match.Groups[group].Success
                ? int.Parse(match.Groups[group].Value, NumberStyles.None, CultureInfo.InvariantCulture)
                : 0;
    }

    [GeneratedRegex(
        @"^(?<year>[0-9]{4})-(?<month>[0-9]{2})-(?<day>[0-9]{2})"
        + @"(?:[Tt ](?<hour>[0-9]{2}):(?<minute>[0-9]{2})(?::(?<second>[0-9]{2})(?:[.,](?<fraction>[0-9]{1,9}))?)?)?"
        + @"(?<zone>[Zz]|[+-](?<offsetHours>[0-9]{2})(?::?(?<offsetMinutes>[0-9]{2}))?)?\z",
        RegexOptions.CultureInvariant)]
    private static partial Regex DateTimePattern();
}
