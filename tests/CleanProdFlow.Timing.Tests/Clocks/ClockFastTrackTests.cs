using CleanProdFlow.Timing.Calendars;
using CleanProdFlow.Timing.Clocks;
using CleanProdFlow.Timing.Deadlines;

namespace CleanProdFlow.Timing.Tests.Clocks;

public sealed class ClockFastTrackTests
{
    private static readonly WorkingDayCalendar Calendar = ShippedData.Mainland;
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);
    private static readonly TimeLimit Report = new(60, PeriodUnit.WorkingDays, Halvable: true);

    [Fact]
    public void Leaving_the_fast_track_applies_the_full_limit_from_the_same_start()
    {
        var start = new DateTimeOffset(2026, 9, 28, 10, 0, 0, Beijing);
        var fast = Clock.Start(Report, fastTrack: true, start, Calendar).Value;
        var full = Clock.Start(Report, fastTrack: false, start, Calendar).Value;
        Assert.True(fast.DueDate < full.DueDate);

        var revokedAt = new DateTimeOffset(2026, 10, 20, 15, 0, 0, Beijing);
        var switched = fast.EndFastTrack(revokedAt, "激励措施已撤销（苏环撤〔2026〕3号）", Calendar).Value;

        Assert.Equal(full.DueDate, switched.DueDate);
        Assert.False(switched.IsFastTrackInForce);
        Assert.Equal(switched.DueDate, Clock.FromJson(switched.ToJson()).DueDate);
        Assert.Contains(switched.Explain(revokedAt, Calendar, Language.ZhCn), line => line.Contains("退出绿色通道"));
        // The days used before the switch stay used.
        Assert.Equal(fast.ProgressAt(revokedAt, Calendar).WorkingDaysUsed, switched.ProgressAt(revokedAt, Calendar).WorkingDaysUsed);
    }

    [Fact]
    public void Only_a_clock_on_the_fast_track_can_leave_it_and_only_once()
    {
        var start = new DateTimeOffset(2026, 9, 28, 10, 0, 0, Beijing);
        var full = Clock.Start(Report, fastTrack: false, start, Calendar).Value;
        Assert.Equal(ClockRefusalReason.NotFastTrack, full.EndFastTrack(start.AddDays(1), "x", Calendar).Refusal!.Reason);

        var fast = Clock.Start(Report, fastTrack: true, start, Calendar).Value;
        var once = fast.EndFastTrack(start.AddDays(1), "revoked", Calendar).Value;
        Assert.Equal(ClockRefusalReason.NotFastTrack, once.EndFastTrack(start.AddDays(2), "again", Calendar).Refusal!.Reason);
        Assert.Equal(ClockRefusalReason.MissingField, fast.EndFastTrack(start.AddDays(1), " ", Calendar).Refusal!.Reason);
    }
}

public sealed class ClockReminderTests
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    [Fact]
    public void Reminders_fall_at_half_three_quarters_and_one_working_day_before_due()
    {
        // 20 working days from Monday 2026-11-02 (not counted): the 10th is 11-16, the 15th 11-23, the 19th 11-27, the 20th 11-30.
        var clock = Clock.Start(new TimeLimit(20, PeriodUnit.WorkingDays), false, new DateTimeOffset(2026, 11, 2, 9, 0, 0, Beijing), ShippedData.Mainland).Value;

        var reminders = clock.Reminders(ShippedData.Mainland);

        Assert.Equal(new DateOnly(2026, 11, 30), clock.DueDate);
        Assert.Equal(new DateTimeOffset(2026, 11, 17, 0, 0, 0, Beijing), reminders.HalfUsedAt);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 0, 0, 0, Beijing), reminders.ThreeQuartersUsedAt);
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 0, 0, 0, Beijing), reminders.DayBeforeDueAt);
    }

    [Fact]
    public void A_paused_clock_has_no_reminders()
    {
        var start = new DateTimeOffset(2026, 11, 2, 9, 0, 0, Beijing);
        var clock = Clock.Start(new TimeLimit(20, PeriodUnit.WorkingDays), false, start, ShippedData.Mainland).Value
            .Pause(start.AddDays(1), "专家评审", "《行政许可法》第四十五条", ShippedData.Mainland).Value;

        Assert.Equal(ClockReminders.None, clock.Reminders(ShippedData.Mainland));
    }
}
