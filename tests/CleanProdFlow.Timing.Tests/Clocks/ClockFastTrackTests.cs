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
