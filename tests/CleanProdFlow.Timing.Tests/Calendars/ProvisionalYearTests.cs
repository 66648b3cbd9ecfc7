using System.Globalization;
using CleanProdFlow.Timing.Calendars;
using static CleanProdFlow.Timing.Tests.ShippedData;

namespace CleanProdFlow.Timing.Tests.Calendars;

public sealed class ProvisionalYearTests
{
    [Fact]
    public void Provisional_2027_has_the_statutory_holidays_of_the_2024_revision()
    {
        // Hand-derived: 除夕 2027-02-05 (春节 Feb 6), 清明 Apr 5, 端午 (五月初五) Jun 9, 中秋 (八月十五) Sep 15.
        string[] expected =
        [
            "2027-01-01",
            "2027-02-05", "2027-02-06", "2027-02-07", "2027-02-08",
            "2027-04-05",
            "2027-05-01", "2027-05-02",
            "2027-06-09",
            "2027-09-15",
            "2027-10-01", "2027-10-02", "2027-10-03",
        ];
        var year = Mainland.Year(2027);
        Assert.True(year.Provisional);
        Assert.Empty(year.MakeUpWorkdays);
        Assert.Equal(expected.Select(D), year.DaysOff);
        Assert.Equal("国务院令第795号", year.Source.DocumentNumber);
    }

    [Theory]
    [InlineData("2027-02-04", true)]
    [InlineData("2027-02-05", false)] // 除夕, a Friday
    [InlineData("2027-02-08", false)] // 初三, a Monday
    [InlineData("2027-02-09", true)]
    [InlineData("2027-04-05", false)]
    [InlineData("2027-06-09", false)]
    [InlineData("2027-09-15", false)]
    [InlineData("2027-10-04", true)] // no 补假 or bridge days in a provisional year
    public void Provisional_2027_working_days(string day, bool working) =>
        Assert.Equal(working, Mainland.IsWorkingDay(D(day)));

    [Theory]
    [InlineData(2024)]
    [InlineData(2025)]
    [InlineData(2026)]
    public void The_computed_holidays_fall_inside_the_official_days_off(int year)
    {
        // The official notices never make a statutory holiday a working day, so this checks the lunar and
        // solar-term computations against three real schedules.
        var official = Mainland.Year(year);
        foreach (var holiday in HolidayRegulation.For(year).HolidaysIn(year))
        {
            Assert.True(official.IsDayOff(holiday.Date), $"{holiday.NameZh} {holiday.Date:yyyy-MM-dd} is not off in the {year} notice");
        }
    }

    [Theory]
    [InlineData(2000, 4)]
    [InlineData(2001, 5)]
    [InlineData(2002, 5)]
    [InlineData(2003, 5)]
    [InlineData(2004, 4)]
    [InlineData(2005, 5)]
    [InlineData(2006, 5)]
    [InlineData(2007, 5)]
    [InlineData(2008, 4)]
    [InlineData(2009, 4)]
    [InlineData(2010, 5)]
    [InlineData(2011, 5)]
    [InlineData(2012, 4)]
    [InlineData(2013, 4)]
    [InlineData(2014, 5)]
    [InlineData(2015, 5)]
    [InlineData(2016, 4)]
    [InlineData(2017, 4)]
    [InlineData(2018, 5)]
    [InlineData(2019, 5)]
    [InlineData(2020, 4)]
    [InlineData(2021, 4)]
    [InlineData(2022, 5)]
    [InlineData(2023, 5)]
    [InlineData(2024, 4)]
    [InlineData(2025, 4)]
    [InlineData(2026, 5)]
    [InlineData(2027, 5)]
    [InlineData(2028, 4)]
    [InlineData(2029, 4)]
    [InlineData(2030, 5)]
    public void Qingming_falls_on_the_published_april_day(int year, int day) =>
        Assert.Equal(new DateOnly(year, 4, day), SolarTerms.Qingming(year));

    [Fact]
    public void Qingming_agrees_with_the_shou_xing_formula_through_the_century()
    {
        // 寿星 formula for the 21st century: day = ⌊Y·0.2422 + 4.81⌋ − ⌊Y/4⌋, Y = year − 2000.
        // An independent method: a disagreement would point at a term within minutes of midnight.
        var disagreements = new List<int>();
        for (var year = 2001; year <= 2099; year++)
        {
            var y = year - 2000;
            var formula = (int)Math.Floor(y * 0.2422 + 4.81) - y / 4;
            if (SolarTerms.Qingming(year) != new DateOnly(year, 4, formula))
            {
                disagreements.Add(year);
            }
        }

        Assert.Empty(disagreements);
    }

    [Theory]
    [InlineData(2024, "2024-02-10")]
    [InlineData(2025, "2025-01-29")]
    [InlineData(2026, "2026-02-17")]
    [InlineData(2027, "2027-02-06")]
    [InlineData(2028, "2028-01-26")]
    [InlineData(2030, "2030-02-03")]
    public void Spring_festival_dates(int year, string day) =>
        Assert.Equal(D(day), HolidayRegulation.LunarDate(year, 1, 1));

    [Theory]
    [InlineData(2024, "2024-06-10", "2024-09-17")]
    [InlineData(2025, "2025-05-31", "2025-10-06")] // 2025 has a leap sixth month; 中秋 still 八月十五
    [InlineData(2026, "2026-06-19", "2026-09-25")]
    [InlineData(2028, "2028-05-28", "2028-10-03")] // 2028 has a leap fifth month: 端午 is in the ordinary fifth
    public void Dragon_boat_and_mid_autumn_dates(int year, string dragonBoat, string midAutumn)
    {
        Assert.Equal(D(dragonBoat), HolidayRegulation.LunarDate(year, 5, 5));
        Assert.Equal(D(midAutumn), HolidayRegulation.LunarDate(year, 8, 15));
    }

    [Fact]
    public void Older_regulations_give_the_holidays_of_their_time()
    {
        // 2005 (1999 text): 春节 初一–初三 = Feb 9–11, 劳动节 May 1–3, no 清明.
        var y2005 = HolidayRegulation.For(2005).HolidaysIn(2005).Select(h => h.Date).ToList();
        Assert.Contains(D("2005-02-11"), y2005);
        Assert.DoesNotContain(D("2005-02-08"), y2005);
        Assert.Contains(D("2005-05-03"), y2005);
        Assert.DoesNotContain(D("2005-04-05"), y2005);
        Assert.Equal(10, y2005.Count);

        // 2010 (2007 revision): 除夕 Feb 13, 初一 Feb 14, 初二 Feb 15, not 初三; one 劳动节 day.
        var y2010 = HolidayRegulation.For(2010).HolidaysIn(2010).Select(h => h.Date).ToList();
        Assert.Contains(D("2010-02-13"), y2010);
        Assert.DoesNotContain(D("2010-02-16"), y2010);
        Assert.DoesNotContain(D("2010-05-02"), y2010);
        Assert.Equal(11, y2010.Count);

        // 2024 (2013 revision): 初一–初三 only, so 除夕 Feb 9 is not a statutory holiday.
        var y2024 = HolidayRegulation.For(2024).HolidaysIn(2024).Select(h => h.Date).ToList();
        Assert.DoesNotContain(D("2024-02-09"), y2024);
        Assert.Equal(11, y2024.Count);

        // 2025 (2024 revision): 13 days.
        Assert.Equal(13, HolidayRegulation.For(2025).HolidaysIn(2025).Count);
    }

    [Fact]
    public void Every_supported_year_computes()
    {
        var calendar = WorkingDayCalendar.Provisional();
        for (var year = WorkingDayCalendar.FirstYear; year <= WorkingDayCalendar.LastYear; year++)
        {
            var entry = calendar.Year(year);
            Assert.True(entry.Provisional);
            Assert.All(entry.DaysOff, d => Assert.Equal(year, d.Year));
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => HolidayRegulation.For(1999));
        Assert.Throws<ArgumentOutOfRangeException>(() => HolidayRegulation.For(2101));
    }

    [Fact]
    public void The_lunar_calendar_of_the_runtime_covers_the_range()
    {
        var lunar = new ChineseLunisolarCalendar();
        Assert.True(lunar.MaxSupportedDateTime >= new DateTime(2100, 12, 31));
    }
}
