using System.Globalization;

namespace CleanProdFlow.Timing;

/// <summary>
/// Beijing time, in which every statutory period is counted. China has kept UTC+08:00 without
/// daylight saving since 1991, so a fixed offset is exact for the supported years (2000–2100)
/// and does not depend on the host having tzdata for "Asia/Shanghai".
/// </summary>
public static class BeijingTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    /// <summary>The Beijing calendar day an instant falls on.</summary>
    public static DateOnly DateOf(DateTimeOffset instant) =>
        DateOnly.FromDateTime(instant.ToOffset(Offset).DateTime);

    /// <summary>00:00 Beijing time of a day.</summary>
    public static DateTimeOffset StartOf(DateOnly day) =>
        new(day.ToDateTime(TimeOnly.MinValue), Offset);

    /// <summary>24:00 Beijing time of a day, i.e. 00:00 of the next day: the instant a period ending that day expires.</summary>
    public static DateTimeOffset EndOf(DateOnly day) => StartOf(day).AddDays(1);

    public static DateTimeOffset ToBeijing(this DateTimeOffset instant) => instant.ToOffset(Offset);

    /// <summary>"2026-09-28 10:00" in Beijing time, for explanations.</summary>
    public static string Format(DateTimeOffset instant) =>
        instant.ToOffset(Offset).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    public static string Format(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
