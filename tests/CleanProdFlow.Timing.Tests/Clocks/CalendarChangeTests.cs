using CleanProdFlow.Timing.Calendars;
using CleanProdFlow.Timing.Clocks;
using CleanProdFlow.Timing.Deadlines;
using static CleanProdFlow.Timing.Tests.ShippedData;

namespace CleanProdFlow.Timing.Tests.Clocks;

public sealed class CalendarChangeTests
{
    // A made-up 2027 notice for the test (no 2027 schedule is published): 春节 Feb 5–12 off, Saturday Feb 20 worked, 国庆 Oct 1–7.
    private static CalendarYear Hypothetical2027() => CalendarYear.Official(
        2027,
        new CalendarSource("国务院办公厅关于2027年部分节假日安排的通知（测试用）", "测试〔2026〕1号", D("2026-11-01")),
        new[] { "2027-01-01", "2027-02-05", "2027-02-06", "2027-02-07", "2027-02-08", "2027-02-09", "2027-02-10", "2027-02-11", "2027-02-12",
            "2027-04-05", "2027-05-01", "2027-05-02", "2027-06-09", "2027-09-15",
            "2027-10-01", "2027-10-02", "2027-10-03", "2027-10-04", "2027-10-05", "2027-10-06", "2027-10-07" }.Select(D).ToList(),
        [D("2027-02-20")]).Value;

    private static readonly TimeLimit FiveDays = new(5, PeriodUnit.WorkingDays);

    [Fact]
    public void Loading_an_official_year_returns_a_new_calendar()
    {
        var load = Mainland.Load(Hypothetical2027());
        Assert.True(load.ReplacedProvisional);
        Assert.True(load.Before.IsProvisional(2027));
        Assert.False(load.After.IsProvisional(2027));
        Assert.NotEqual(load.Before.Version, load.After.Version);
        Assert.Same(Mainland, load.Before);
        Assert.True(Mainland.IsWorkingDay(D("2027-02-09"))); // the calendar loaded from is unchanged
        Assert.False(load.After.IsWorkingDay(D("2027-02-09")));
        Assert.True(load.After.IsWorkingDay(D("2027-02-20")));
        Assert.Equal(["2027-02-09", "2027-02-10", "2027-02-11", "2027-02-12", "2027-02-20", "2027-10-04", "2027-10-05", "2027-10-06", "2027-10-07"], load.ChangedDays.Select(d => d.ToString("yyyy-MM-dd")));
    }

    [Fact]
    public void Clocks_that_read_the_year_are_recomputed_with_old_and_new_due_dates()
    {
        // Started Fri 2027-01-29: provisionally Feb 1–4 and Tue Feb 9 → Feb 9; officially Feb 5–12 off → Mon Feb 15.
        var intoSpring = Clock.Start(FiveDays, false, T("2027-01-29T10:00:00+08:00"), Mainland).Value;
        // Dec 29–31, then Jan 4, 5 under both calendars: read 2027, due unchanged.
        var acrossNewYear = Clock.Start(FiveDays, false, T("2026-12-28T09:00:00+08:00"), Mainland).Value;
        // Entirely in 2026: not touched.
        var in2026 = Clock.Start(FiveDays, false, T("2026-03-02T10:00:00+08:00"), Mainland).Value;
        Assert.Equal(D("2027-02-09"), intoSpring.DueDate);
        Assert.Equal([2027], intoSpring.ProvisionalYears);

        var load = Mainland.Load(Hypothetical2027());
        var results = CalendarChange.Recompute(load, new Dictionary<string, Clock>
        {
            ["spring"] = intoSpring,
            ["new-year"] = acrossNewYear,
            ["2026"] = in2026,
        });

        Assert.Equal(["spring", "new-year"], results.Select(r => r.Key));
        var spring = results[0];
        Assert.Equal(D("2027-02-09"), spring.OldDueDate);
        Assert.Equal(D("2027-02-15"), spring.NewDueDate);
        Assert.Equal(T("2027-02-16T00:00:00+08:00"), spring.NewDueAt);
        Assert.True(spring.DueDateChanged);
        Assert.True(spring.NeedsTimer);
        Assert.Equal(load.After.Version, spring.After.CalendarVersion);
        Assert.Empty(spring.After.ProvisionalYears);
        Assert.False(results[1].DueDateChanged);

        // Recomputation equals a fresh start on the new calendar.
        var fresh = Clock.Start(FiveDays, false, T("2027-01-29T10:00:00+08:00"), load.After).Value;
        Assert.Equal(fresh.ToJson(), spring.After.ToJson());
    }
}
