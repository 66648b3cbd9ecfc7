using System.Globalization;
using CleanProdFlow.Engine.Expressions;

namespace CleanProdFlow.Engine.Tests.Expressions;

public sealed class TimerScheduleTests
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    // Monday 12 October 2026, 10:00 Beijing time.
    private static readonly DateTimeOffset MondayMorning = new(2026, 10, 12, 10, 0, 0, Beijing);

    // ---- timeDuration ----

    [Theory]
    [InlineData("PT2H", "2026-10-12T12:00:00+08:00")]
    [InlineData("PT30M", "2026-10-12T10:30:00+08:00")]
    [InlineData("PT90S", "2026-10-12T10:01:30+08:00")]
    [InlineData("P3D", "2026-10-15T10:00:00+08:00")]
    [InlineData("P2W", "2026-10-26T10:00:00+08:00")]
    [InlineData("P1W2D", "2026-10-21T10:00:00+08:00")]
    [InlineData("P1DT12H", "2026-10-13T22:00:00+08:00")]
    [InlineData("P1M", "2026-11-12T10:00:00+08:00")]
    [InlineData("P1Y", "2027-10-12T10:00:00+08:00")]
    [InlineData("P1Y2M3DT4H5M6S", "2027-12-15T14:05:06+08:00")]
    [InlineData("PT1.5S", "2026-10-12T10:00:01.5+08:00")]
    [InlineData("PT0,25S", "2026-10-12T10:00:00.25+08:00")]
    [InlineData("  P3D  ", "2026-10-15T10:00:00+08:00")]
    public void A_duration_fires_once_that_long_after_the_reference(string expression, string expected)
    {
        var timer = Parse(TimerKind.Duration, expression);

        Assert.Equal(At(expected), timer.NextAfter(MondayMorning));
        Assert.Null(timer.NextAfter(MondayMorning, At(expected), firedCount: 1));
        Assert.False(timer.IsRepeating);
        Assert.Equal(TimerKind.Duration, timer.Kind);
        Assert.Equal(expression.Trim(), timer.Expression);
    }

    [Theory]
    [InlineData("2026-01-31T10:00:00+08:00", "P1M", "2026-02-28T10:00:00+08:00")]
    [InlineData("2028-01-31T10:00:00+08:00", "P1M", "2028-02-29T10:00:00+08:00")]
    [InlineData("2026-03-31T10:00:00+08:00", "P1M", "2026-04-30T10:00:00+08:00")]
    [InlineData("2028-02-29T10:00:00+08:00", "P1Y", "2029-02-28T10:00:00+08:00")]
    // 00:30 on 31 January in Beijing is still 30 January in UTC: months are counted on the Beijing calendar.
    [InlineData("2026-01-30T16:30:00Z", "P1M", "2026-02-28T00:30:00+08:00")]
    [InlineData("2026-01-31T00:30:00+08:00", "P1M1D", "2026-03-01T00:30:00+08:00")]
    public void Months_and_years_are_calendar_months_in_beijing_time(string reference, string expression, string expected)
    {
        var timer = Parse(TimerKind.Duration, expression);

        var next = timer.NextAfter(At(reference));

        Assert.Equal(At(expected), next);
        Assert.Equal(Beijing, next!.Value.Offset);
    }

    [Theory]
    [InlineData("PT0S")]
    [InlineData("P0D")]
    [InlineData("P0Y0M0W0DT0H0M0.0S")]
    [InlineData("PT0.00000001S")]
    [InlineData("-P1D")]
    [InlineData("-PT5M")]
    public void Refuses_a_duration_of_zero_or_negative_length(string expression)
    {
        var error = Refuse(TimerKind.Duration, expression);

        Assert.Contains("a timer of zero or negative length", error.Message);
        Assert.Contains("长度为零或为负", error.MessageZh);
    }

    [Theory]
    [InlineData("1 day")]
    [InlineData("P")]
    [InlineData("PT")]
    [InlineData("P1DT")]
    [InlineData("P1H")]
    [InlineData("PT1D")]
    [InlineData("PT1.5H")]
    [InlineData("P1.5D")]
    [InlineData("P-1D")]
    [InlineData("P1D2M")]
    [InlineData("PT２H")]
    [InlineData("2026-10-12")]
    public void Refuses_what_is_not_an_iso_duration(string expression)
    {
        var error = Refuse(TimerKind.Duration, expression);

        Assert.Contains("is not an ISO-8601 duration", error.Message);
        Assert.Contains("不是 ISO-8601 时长", error.MessageZh);
    }

    [Theory]
    [InlineData("P1000Y")]
    [InlineData("P99999999999999999999D")]
    [InlineData("PT1000000000H")]
    [InlineData("PT999999999999999999999999999999999S")]
    public void Refuses_a_duration_longer_than_a_century(string expression)
    {
        var error = Refuse(TimerKind.Duration, expression);

        Assert.Contains("longer than 100 years", error.Message);
        Assert.Contains("超过 100 年", error.MessageZh);
    }

    [Fact]
    public void Refuses_an_empty_expression()
    {
        var error = Refuse(TimerKind.Duration, "  ");

        Assert.Equal("The timer expression is empty.", error.Message);
        Assert.Equal("定时器表达式为空。", error.MessageZh);
    }

    // ---- timeDate ----

    [Theory]
    [InlineData("2026-10-12T09:00:00+08:00")]
    [InlineData("2026-10-12T01:00:00Z")]
    [InlineData("2026-10-12T01:00:00z")]
    [InlineData("2026-10-11T20:00:00-05:00")]
    [InlineData("2026-10-12T06:30+0530")]
    [InlineData("2026-10-12T09:00:00")]
    [InlineData("2026-10-12T09:00")]
    [InlineData("2026-10-12 09:00:00")]
    [InlineData("2026-10-12T09:00:00.000")]
    public void A_date_is_its_instant_and_without_an_offset_it_is_beijing_time(string expression)
    {
        var timer = Parse(TimerKind.Date, expression);

        Assert.Equal(new DateTimeOffset(2026, 10, 12, 1, 0, 0, TimeSpan.Zero), timer.NextAfter(MondayMorning));
        Assert.False(timer.IsRepeating);
    }

    [Fact]
    public void A_plain_date_is_midnight_beijing_time()
    {
        var timer = Parse(TimerKind.Date, "2026-10-12");

        Assert.Equal(new DateTimeOffset(2026, 10, 12, 0, 0, 0, Beijing), timer.NextAfter(MondayMorning));
        Assert.Equal(new DateTimeOffset(2026, 10, 11, 16, 0, 0, TimeSpan.Zero), timer.NextAfter(MondayMorning));
    }

    [Fact]
    public void A_date_keeps_fractions_of_a_second()
    {
        var timer = Parse(TimerKind.Date, "2026-10-12T09:00:00.1234567+08:00");

        Assert.Equal(new DateTimeOffset(2026, 10, 12, 9, 0, 0, Beijing).AddTicks(1_234_567), timer.NextAfter(MondayMorning));
    }

    [Fact]
    public void A_past_date_is_returned_as_it_is_and_fires_only_once()
    {
        var timer = Parse(TimerKind.Date, "2020-01-01T08:00:00+08:00");
        var due = new DateTimeOffset(2020, 1, 1, 8, 0, 0, Beijing);

        Assert.Equal(due, timer.NextAfter(MondayMorning));
        Assert.Null(timer.NextAfter(MondayMorning, due, firedCount: 1));
    }

    [Theory]
    [InlineData("2026-02-30")]
    [InlineData("2026-13-01")]
    [InlineData("2026-10-12T24:00")]
    [InlineData("2026-10-12T09:60")]
    [InlineData("2026-10-12T09:00+15:00")]
    [InlineData("2026-10-12T09:00+08:60")]
    [InlineData("12/10/2026")]
    [InlineData("2026-1-5")]
    [InlineData("tomorrow")]
    [InlineData("P1D")]
    [InlineData("0001-01-01T00:00:00+08:00")]
    [InlineData("２０２６-10-12")]
    public void Refuses_what_is_not_an_iso_date(string expression)
    {
        var error = Refuse(TimerKind.Date, expression);

        Assert.Contains("is not an ISO-8601 date or date-time", error.Message);
        Assert.Contains("不是 ISO-8601 日期或日期时间", error.MessageZh);
    }

    // ---- timeCycle: ISO-8601 repeating intervals ----

    [Fact]
    public void R3_fires_three_times_one_interval_apart_then_stops()
    {
        var timer = Parse(TimerKind.Cycle, "R3/PT1H");

        var fires = FireAll(timer, MondayMorning, limit: 10);

        Assert.Equal(
            [MondayMorning.AddHours(1), MondayMorning.AddHours(2), MondayMorning.AddHours(3)],
            fires);
        Assert.True(timer.IsRepeating);
    }

    [Fact]
    public void R_without_a_count_repeats_without_end()
    {
        var timer = Parse(TimerKind.Cycle, "R/P1D");

        var fires = FireAll(timer, MondayMorning, limit: 1000);

        Assert.Equal(1000, fires.Count);
        Assert.Equal(MondayMorning.AddDays(1000), fires[^1]);
        Assert.True(timer.IsRepeating);
    }

    [Fact]
    public void A_cycle_with_a_start_fires_first_at_the_start()
    {
        var timer = Parse(TimerKind.Cycle, "R2/2026-10-20T09:00/P1D");

        var fires = FireAll(timer, MondayMorning, limit: 10);

        Assert.Equal(
            [new DateTimeOffset(2026, 10, 20, 9, 0, 0, Beijing), new DateTimeOffset(2026, 10, 21, 9, 0, 0, Beijing)],
            fires);
    }

    [Fact]
    public void An_unbounded_cycle_with_a_past_start_returns_the_start_and_the_caller_decides()
    {
        var timer = Parse(TimerKind.Cycle, "R/2026-01-01T00:00:00Z/PT12H");

        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), timer.NextAfter(MondayMorning));
    }

    [Fact]
    public void Each_monthly_fire_counts_from_the_previous_one()
    {
        var timer = Parse(TimerKind.Cycle, "R3/2026-01-31T09:00/P1M");

        var fires = FireAll(timer, MondayMorning, limit: 10);

        Assert.Equal(
            [
                new DateTimeOffset(2026, 1, 31, 9, 0, 0, Beijing),
                new DateTimeOffset(2026, 2, 28, 9, 0, 0, Beijing),
                new DateTimeOffset(2026, 3, 28, 9, 0, 0, Beijing),
            ],
            fires);
    }

    [Fact]
    public void R1_fires_once_and_is_not_repeating()
    {
        var timer = Parse(TimerKind.Cycle, "R1/PT10M");

        Assert.Equal([MondayMorning.AddMinutes(10)], FireAll(timer, MondayMorning, limit: 10));
        Assert.False(timer.IsRepeating);
    }

    [Theory]
    [InlineData("R0/PT1H", "repeats zero times (R0)")]
    [InlineData("R3/PT0S", "a timer of zero or negative length")]
    [InlineData("R/-P1D", "a timer of zero or negative length")]
    [InlineData("R3/P1D/2026-10-20T09:00", "(R<n>/<duration>/<end>), which is not supported")]
    [InlineData("R3/2026-10-01/2026-10-20", "(R<n>/<start>/<end>), which is not supported")]
    [InlineData("R3", "is not an ISO-8601 repeating interval")]
    [InlineData("Rx/PT1H", "is not an ISO-8601 repeating interval")]
    [InlineData("R-1/PT1H", "is not an ISO-8601 repeating interval")]
    [InlineData("R3/PT1H/P1D/2026-10-20", "is not an ISO-8601 repeating interval")]
    [InlineData("R3/2026-02-30T09:00/P1D", "is not an ISO-8601 date or date-time")]
    [InlineData("R3/1H", "is not an ISO-8601 duration")]
    public void Refuses_a_malformed_repeating_interval(string expression, string expected)
    {
        var error = Refuse(TimerKind.Cycle, expression);

        Assert.Contains(expected, error.Message);
        Assert.False(string.IsNullOrWhiteSpace(error.MessageZh));
    }

    // ---- timeCycle: cron ----

    [Fact]
    public void A_quartz_style_cron_fires_daily_at_9_beijing_time()
    {
        var timer = Parse(TimerKind.Cycle, "0 0 9 * * ?");

        var fires = FireAll(timer, MondayMorning, limit: 3);

        Assert.Equal(
            [
                new DateTimeOffset(2026, 10, 13, 1, 0, 0, TimeSpan.Zero),
                new DateTimeOffset(2026, 10, 14, 1, 0, 0, TimeSpan.Zero),
                new DateTimeOffset(2026, 10, 15, 1, 0, 0, TimeSpan.Zero),
            ],
            fires);
        Assert.True(timer.IsRepeating);
    }

    [Fact]
    public void A_five_field_cron_fires_on_weekdays_at_9_beijing_time()
    {
        var timer = Parse(TimerKind.Cycle, "0 9 * * 1-5");

        var fires = FireAll(timer, MondayMorning, limit: 10);

        Assert.Equal(10, fires.Count);
        Assert.All(fires, fire =>
        {
            Assert.Equal(new TimeOnly(1, 0), TimeOnly.FromTimeSpan(fire.UtcDateTime.TimeOfDay));
            Assert.Equal(Beijing, fire.Offset);
            Assert.Equal(new TimeOnly(9, 0), TimeOnly.FromDateTime(fire.DateTime));
            Assert.InRange(fire.DayOfWeek, DayOfWeek.Monday, DayOfWeek.Friday);
        });
        // Friday's fire is followed by Monday's.
        Assert.Equal(new DateTimeOffset(2026, 10, 16, 9, 0, 0, Beijing), fires[3]);
        Assert.Equal(new DateTimeOffset(2026, 10, 19, 9, 0, 0, Beijing), fires[4]);
    }

    [Fact]
    public void Cron_fires_strictly_after_the_reference()
    {
        var timer = Parse(TimerKind.Cycle, "0 9 * * *");
        var nineOClock = new DateTimeOffset(2026, 10, 12, 9, 0, 0, Beijing);

        Assert.Equal(nineOClock.AddDays(1), timer.NextAfter(nineOClock));
        Assert.Equal(nineOClock, timer.NextAfter(nineOClock.AddTicks(-1)));
        // After a fire, the next one follows the previous fire, not the reference.
        Assert.Equal(nineOClock.AddDays(2), timer.NextAfter(nineOClock, nineOClock.AddDays(1), firedCount: 500));
    }

    [Theory]
    [InlineData("0 0 9 ? * MON-FRI")]
    [InlineData("0 30 8 ? * MON#1")]
    [InlineData("0 0 9 L * ?")]
    [InlineData("*/15 * * * *")]
    [InlineData("0 9 * * 7")]
    [InlineData("@daily")]
    public void Accepts_cron_forms(string expression)
    {
        var timer = Parse(TimerKind.Cycle, expression);

        Assert.NotNull(timer.NextAfter(MondayMorning));
    }

    [Theory]
    [InlineData("0 0 9 ? * 2-6", "mean different days in Quartz")]
    [InlineData("0 0 9 ? * 6L", "mean different days in Quartz")]
    [InlineData("0 0 9 * * ? 2026", "the seventh (year) field of Quartz is not supported")]
    [InlineData("0 9 * *", "it has 4 fields")]
    [InlineData("every day at nine", "it has 4 fields")]
    [InlineData("61 * * * *", "is not a valid cron expression")]
    [InlineData("0 25 * * *", "is not a valid cron expression")]
    [InlineData("0 0 30 2 *", "never fires")]
    public void Refuses_a_malformed_cron_expression(string expression, string expected)
    {
        var error = Refuse(TimerKind.Cycle, expression);

        Assert.Contains(expected, error.Message);
        Assert.False(string.IsNullOrWhiteSpace(error.MessageZh));
    }

    [Fact]
    public void Refuses_a_negative_fire_count()
    {
        var timer = Parse(TimerKind.Cycle, "R3/PT1H");

        Assert.Throws<ArgumentOutOfRangeException>(() => timer.NextAfter(MondayMorning, firedCount: -1));
    }

    [Fact]
    public void Schedules_parsed_from_the_same_expression_are_equal()
    {
        Assert.Equal(Parse(TimerKind.Cycle, "R3/PT1H"), Parse(TimerKind.Cycle, " R3/PT1H "));
        Assert.Equal(Parse(TimerKind.Cycle, "0 9 * * 1-5"), Parse(TimerKind.Cycle, "0 9 * * 1-5"));
        Assert.NotEqual(Parse(TimerKind.Duration, "PT1H"), Parse(TimerKind.Duration, "PT2H"));
    }

    private static List<DateTimeOffset> FireAll(TimerSchedule timer, DateTimeOffset reference, int limit)
    {
        var fires = new List<DateTimeOffset>();
        DateTimeOffset? previous = null;
        while (fires.Count < limit && timer.NextAfter(reference, previous, fires.Count) is { } next)
        {
            fires.Add(next);
            previous = next;
        }

        return fires;
    }

    private static DateTimeOffset At(string instant) => DateTimeOffset.Parse(instant, CultureInfo.InvariantCulture);

    private static TimerSchedule Parse(TimerKind kind, string expression)
    {
        var timer = TimerSchedule.TryParse(kind, expression, out var error);
        Assert.True(timer is not null, $"'{expression}' was refused: {error?.Message}");
        Assert.Null(error);
        return timer;
    }

    private static ExpressionError Refuse(TimerKind kind, string expression)
    {
        var timer = TimerSchedule.TryParse(kind, expression, out var error);
        Assert.Null(timer);
        Assert.NotNull(error);
        return error;
    }
}
