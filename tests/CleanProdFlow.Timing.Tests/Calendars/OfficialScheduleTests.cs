using CleanProdFlow.Timing.Calendars;
using static CleanProdFlow.Timing.Tests.ShippedData;

namespace CleanProdFlow.Timing.Tests.Calendars;

/// <summary>
/// Every holiday block and make-up day of 2024–2026 with the days either side, written down from the
/// State Council notices (国办发明电〔2023〕7号, 〔2024〕12号, 〔2025〕7号), not from the data file.
/// </summary>
public sealed class OfficialScheduleTests
{
    [Theory]
    // 2024 元旦: Mon Jan 1 off.
    [InlineData("2023-12-29", true)]
    [InlineData("2024-01-01", false)]
    [InlineData("2024-01-02", true)]
    // 2024 春节 Feb 10–17; Sun Feb 4 and Sun Feb 18 worked; 除夕 Fri Feb 9 was a working day.
    [InlineData("2024-02-03", false)]
    [InlineData("2024-02-04", true)]
    [InlineData("2024-02-05", true)]
    [InlineData("2024-02-09", true)]
    [InlineData("2024-02-10", false)]
    [InlineData("2024-02-12", false)]
    [InlineData("2024-02-16", false)]
    [InlineData("2024-02-17", false)]
    [InlineData("2024-02-18", true)]
    [InlineData("2024-02-19", true)]
    // 2024 清明 Apr 4–6; Sun Apr 7 worked.
    [InlineData("2024-04-03", true)]
    [InlineData("2024-04-04", false)]
    [InlineData("2024-04-05", false)]
    [InlineData("2024-04-06", false)]
    [InlineData("2024-04-07", true)]
    [InlineData("2024-04-08", true)]
    // 2024 劳动节 May 1–5; Sun Apr 28 and Sat May 11 worked.
    [InlineData("2024-04-27", false)]
    [InlineData("2024-04-28", true)]
    [InlineData("2024-04-30", true)]
    [InlineData("2024-05-01", false)]
    [InlineData("2024-05-03", false)]
    [InlineData("2024-05-05", false)]
    [InlineData("2024-05-06", true)]
    [InlineData("2024-05-11", true)]
    [InlineData("2024-05-12", false)]
    // 2024 端午 Mon Jun 10.
    [InlineData("2024-06-07", true)]
    [InlineData("2024-06-10", false)]
    [InlineData("2024-06-11", true)]
    // 2024 中秋 Sep 15–17; Sat Sep 14 worked.
    [InlineData("2024-09-13", true)]
    [InlineData("2024-09-14", true)]
    [InlineData("2024-09-16", false)]
    [InlineData("2024-09-17", false)]
    [InlineData("2024-09-18", true)]
    // 2024 国庆 Oct 1–7; Sun Sep 29 and Sat Oct 12 worked.
    [InlineData("2024-09-28", false)]
    [InlineData("2024-09-29", true)]
    [InlineData("2024-09-30", true)]
    [InlineData("2024-10-01", false)]
    [InlineData("2024-10-04", false)]
    [InlineData("2024-10-07", false)]
    [InlineData("2024-10-08", true)]
    [InlineData("2024-10-12", true)]
    [InlineData("2024-10-13", false)]
    // 2025 元旦 Wed Jan 1, no make-up.
    [InlineData("2024-12-31", true)]
    [InlineData("2025-01-01", false)]
    [InlineData("2025-01-02", true)]
    // 2025 春节 Jan 28 (除夕) – Feb 4; Sun Jan 26 and Sat Feb 8 worked.
    [InlineData("2025-01-25", false)]
    [InlineData("2025-01-26", true)]
    [InlineData("2025-01-27", true)]
    [InlineData("2025-01-28", false)]
    [InlineData("2025-01-31", false)]
    [InlineData("2025-02-03", false)]
    [InlineData("2025-02-04", false)]
    [InlineData("2025-02-05", true)]
    [InlineData("2025-02-08", true)]
    [InlineData("2025-02-09", false)]
    // 2025 清明 Apr 4–6.
    [InlineData("2025-04-03", true)]
    [InlineData("2025-04-04", false)]
    [InlineData("2025-04-07", true)]
    // 2025 劳动节 May 1–5; Sun Apr 27 worked.
    [InlineData("2025-04-26", false)]
    [InlineData("2025-04-27", true)]
    [InlineData("2025-04-30", true)]
    [InlineData("2025-05-01", false)]
    [InlineData("2025-05-05", false)]
    [InlineData("2025-05-06", true)]
    // 2025 端午 May 31 – Jun 2.
    [InlineData("2025-05-30", true)]
    [InlineData("2025-06-02", false)]
    [InlineData("2025-06-03", true)]
    // 2025 国庆+中秋 Oct 1–8; Sun Sep 28 and Sat Oct 11 worked.
    [InlineData("2025-09-27", false)]
    [InlineData("2025-09-28", true)]
    [InlineData("2025-09-30", true)]
    [InlineData("2025-10-01", false)]
    [InlineData("2025-10-06", false)]
    [InlineData("2025-10-08", false)]
    [InlineData("2025-10-09", true)]
    [InlineData("2025-10-11", true)]
    [InlineData("2025-10-12", false)]
    // 2026 元旦 Jan 1–3; Sun Jan 4 worked.
    [InlineData("2025-12-31", true)]
    [InlineData("2026-01-01", false)]
    [InlineData("2026-01-02", false)]
    [InlineData("2026-01-03", false)]
    [InlineData("2026-01-04", true)]
    [InlineData("2026-01-05", true)]
    // 2026 春节 Feb 15–23; Sat Feb 14 and Sat Feb 28 worked.
    [InlineData("2026-02-13", true)]
    [InlineData("2026-02-14", true)]
    [InlineData("2026-02-15", false)]
    [InlineData("2026-02-16", false)]
    [InlineData("2026-02-20", false)]
    [InlineData("2026-02-23", false)]
    [InlineData("2026-02-24", true)]
    [InlineData("2026-02-28", true)]
    [InlineData("2026-03-01", false)]
    // 2026 清明 Apr 4–6.
    [InlineData("2026-04-03", true)]
    [InlineData("2026-04-06", false)]
    [InlineData("2026-04-07", true)]
    // 2026 劳动节 May 1–5; Sat May 9 worked.
    [InlineData("2026-04-30", true)]
    [InlineData("2026-05-01", false)]
    [InlineData("2026-05-04", false)]
    [InlineData("2026-05-05", false)]
    [InlineData("2026-05-06", true)]
    [InlineData("2026-05-09", true)]
    [InlineData("2026-05-10", false)]
    // 2026 端午 Jun 19–21.
    [InlineData("2026-06-18", true)]
    [InlineData("2026-06-19", false)]
    [InlineData("2026-06-22", true)]
    // 2026 中秋 Sep 25–27; 国庆 Oct 1–7; Sun Sep 20 and Sat Oct 10 worked.
    [InlineData("2026-09-19", false)]
    [InlineData("2026-09-20", true)]
    [InlineData("2026-09-24", true)]
    [InlineData("2026-09-25", false)]
    [InlineData("2026-09-28", true)]
    [InlineData("2026-09-30", true)]
    [InlineData("2026-10-01", false)]
    [InlineData("2026-10-07", false)]
    [InlineData("2026-10-08", true)]
    [InlineData("2026-10-10", true)]
    [InlineData("2026-10-11", false)]
    // Into provisional 2027: 元旦 Fri Jan 1 off, Mon Jan 4 worked.
    [InlineData("2026-12-31", true)]
    [InlineData("2027-01-01", false)]
    [InlineData("2027-01-04", true)]
    public void Working_day_status_follows_the_notices(string day, bool working) =>
        Assert.Equal(working, Mainland.IsWorkingDay(D(day)));

    [Theory]
    [InlineData(2024, 19)]
    [InlineData(2025, 18)]
    [InlineData(2026, 19)]
    public void Weekday_days_off_match_the_count_in_the_research(int year, int weekdaysOff)
    {
        var count = Mainland.Year(year).DaysOff.Count(d => d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday));
        Assert.Equal(weekdaysOff, count);
    }

    [Theory]
    [InlineData(2024, "国办发明电〔2023〕7号", "2023-10-25")]
    [InlineData(2025, "国办发明电〔2024〕12号", "2024-11-12")]
    [InlineData(2026, "国办发明电〔2025〕7号", "2025-11-04")]
    public void Official_years_name_their_notice(int year, string documentNumber, string date)
    {
        var entry = Mainland.Year(year);
        Assert.False(entry.Provisional);
        Assert.Equal(documentNumber, entry.Source.DocumentNumber);
        Assert.Equal(D(date), entry.Source.Date);
        Assert.StartsWith("sha256:", entry.Version);
    }

    [Fact]
    public void Years_without_a_notice_are_provisional()
    {
        Assert.True(Mainland.IsProvisional(2023));
        Assert.True(Mainland.IsProvisional(2027));
        Assert.Equal(["2024", "2025", "2026"], Mainland.OfficialYears.Select(y => y.Year.ToString()));
        Assert.StartsWith("cn-mainland@", Mainland.Version);
    }

    [Theory]
    [InlineData("2024-02-08", 1, "2024-02-09")] // 除夕 2024 was worked
    [InlineData("2024-02-08", 2, "2024-02-18")] // then the Sunday make-up day
    [InlineData("2024-02-08", 3, "2024-02-19")]
    [InlineData("2025-01-24", 1, "2025-01-26")] // Sunday make-up day before 春节
    [InlineData("2025-01-24", 3, "2025-02-05")]
    [InlineData("2025-09-26", 1, "2025-09-28")]
    [InlineData("2025-09-26", 4, "2025-10-09")]
    [InlineData("2025-09-26", 6, "2025-10-11")] // Saturday make-up day after 国庆
    [InlineData("2025-09-26", 7, "2025-10-13")]
    [InlineData("2024-12-27", 3, "2025-01-02")] // across a year end and 元旦
    [InlineData("2025-12-30", 2, "2026-01-04")] // into 2026: Jan 1–3 off, Sunday Jan 4 worked
    [InlineData("2026-12-30", 3, "2027-01-05")] // into provisional 2027
    [InlineData("2026-04-20", 20, "2026-05-20")] // across 劳动节 with Saturday May 9 worked
    public void Nth_working_day_after(string from, int n, string expected) =>
        Assert.Equal(D(expected), Mainland.AddWorkingDays(D(from), n));

    [Theory]
    [InlineData("2026-09-28", "2026-10-10", 5)]
    [InlineData("2026-01-01", "2026-01-31", 21)] // Jan 2–3 off, Sunday Jan 4 worked, then four full weeks Jan 5–30
    [InlineData("2025-12-31", "2025-12-31", 0)]
    public void Working_days_between(string after, string through, int expected) =>
        Assert.Equal(expected, Mainland.WorkingDaysBetween(D(after), D(through)));

    [Theory]
    [InlineData("2026-02-14", DayKind.MakeUpWorkday)]
    [InlineData("2026-02-17", DayKind.DayOff)]
    [InlineData("2026-03-07", DayKind.Weekend)]
    [InlineData("2026-03-09", DayKind.Weekday)]
    public void Day_kinds(string day, DayKind kind) => Assert.Equal(kind, Mainland.KindOf(D(day)));

    [Fact]
    public void Days_outside_2000_to_2100_are_refused()
    {
        Assert.Throws<CalendarRangeException>(() => Mainland.IsWorkingDay(D("1999-12-31")));
        Assert.Throws<CalendarRangeException>(() => Mainland.IsWorkingDay(D("2101-01-01")));
        Assert.Throws<CalendarRangeException>(() => Mainland.AddWorkingDays(D("2100-12-30"), 5));
    }
}
