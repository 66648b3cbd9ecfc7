using System.Globalization;
using System.Text.RegularExpressions;
using CleanProdFlow.Timing;

namespace CleanProdFlow.Engine.Expressions;

/// <summary>
/// An ISO-8601 duration <c>PnYnMnWnDTnHnMnS</c>. Years and months are calendar months counted in Beijing time
/// (31 January + P1M = 28 February); weeks, days and the time part are exact lengths, which in Beijing time
/// (no daylight saving) is the same as counting calendar days.
/// </summary>
internal readonly partial record struct IsoDuration(int Months, long Days, TimeSpan Time)
{
    // Longer timers are mistakes (a year typed as 10000) and would overflow DateTimeOffset arithmetic.
    private const int MaxYears = 100;

    public DateTimeOffset AddTo(DateTimeOffset instant)
    {
        var beijing = instant.ToOffset(BeijingTime.Offset);
        return beijing.AddMonths(Months).AddDays(Days).Add(Time);
    }

    public static IsoDuration? TryParse(string text, out ExpressionError? error)
    {
        var match = DurationPattern().Match(text);
        if (!match.Success || match.Groups["time"].Success && match.Groups["time"].Length == 1
                           || match.Groups["body"].Length == 0)
        {
            error = new ExpressionError(
                $"'{text}' is not an ISO-8601 duration; expected for example P3D, PT2H, P2W or P1Y2M3DT4H5M6.5S "
                + "(only the seconds may have a fraction).",
                $"“{text}”不是 ISO-8601 时长；应形如 P3D、PT2H、P2W 或 P1Y2M3DT4H5M6.5S（只有秒可以带小数）。");
            return null;
        }

        var sign = match.Groups["sign"].Value == "-" ? -1 : 1;
        var years = Number("years");
        var months = Number("months");
        var weeks = Number("weeks");
        var days = Number("days");
        var hours = Number("hours");
        var minutes = Number("minutes");
        var seconds = 0m;
        var secondsFit = !match.Groups["seconds"].Success || decimal.TryParse(
            match.Groups["seconds"].Value.Replace(',', '.'), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out seconds);
        if (years is null || months is null || weeks is null || days is null || hours is null || minutes is null
            || !secondsFit || seconds > MaxYears * 366m * 86_400m)
        {
            error = TooLong(text);
            return null;
        }

        // Upper bound in days, counting every month as 31 days, to refuse before any arithmetic can overflow.
        var approximateDays = (years.Value * 12m + months.Value) * 31m + weeks.Value * 7m + days.Value
                              + hours.Value / 24m + minutes.Value / 1440m + seconds / 86_400m;
        if (approximateDays > MaxYears * 372m)
        {
            error = TooLong(text);
            return null;
        }

        var time = TimeSpan.FromTicks((long)Math.Round(
            (hours.Value * 3600m + minutes.Value * 60m + seconds) * TimeSpan.TicksPerSecond));
        var duration = new IsoDuration((int)(years.Value * 12 + months.Value), weeks.Value * 7 + days.Value, time);
        if (sign < 0 || duration == default)
        {
            error = new ExpressionError(
                $"'{text}' is a timer of zero or negative length; a duration must be longer than zero.",
                $"“{text}”是长度为零或为负的定时器；时长必须大于零。");
            return null;
        }

        error = null;
        return duration;

        long? Number(string group)
        {
            var value = match.Groups[group];
            return !value.Success ? 0
                : long.TryParse(value.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
                  && number <= 1_000_000_000 ? number
                : null;
        }
    }

    private static ExpressionError TooLong(string text) => new(
        $"'{text}' is longer than {MaxYears} years; a timer that long is almost certainly a typing mistake.",
        $"“{text}”超过 {MaxYears} 年，这么长的定时器几乎可以肯定是输入错误。");

    [GeneratedRegex(
        @"^(?<sign>[+-])?P(?<body>(?:(?<years>[0-9]+)Y)?(?:(?<months>[0-9]+)M)?(?:(?<weeks>[0-9]+)W)?(?:(?<days>[0-9]+)D)?"
        + @"(?<time>T(?:(?<hours>[0-9]+)H)?(?:(?<minutes>[0-9]+)M)?(?:(?<seconds>[0-9]+(?:[.,][0-9]+)?)S)?)?)\z",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DurationPattern();
}
