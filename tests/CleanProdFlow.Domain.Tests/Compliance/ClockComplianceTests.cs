using CleanProdFlow.Domain.Compliance;
using CleanProdFlow.Timing.Calendars;
using CleanProdFlow.Timing.Clocks;
using CleanProdFlow.Timing.Deadlines;

namespace CleanProdFlow.Domain.Tests.Compliance;

/// <summary>
/// What an auditor counts as on time. March 2027 on the provisional calendar has no holiday: Monday 2027-03-01 is the
/// start; a 5-working-day limit counts Tue 2 … Mon 8, so the clock is due at 24:00 on Monday 2027-03-08.
/// </summary>
public sealed class ClockComplianceTests
{
    private static readonly WorkingDayCalendar Calendar = WorkingDayCalendar.Provisional();

    private static DateTimeOffset At(string beijing) => DateTimeOffset.Parse(beijing + "+08:00", System.Globalization.CultureInfo.InvariantCulture);

    private static readonly TimeLimit FiveDays = new(5, PeriodUnit.WorkingDays, Halvable: true)
    {
        RuleId = "test.decision", NameZh = "测试决定", NameEn = "Test decision", LegalBasis = "《测试法》第一条",
    };

    private static Clock Started(bool fastTrack = false, TimeLimit? limit = null) =>
        Clock.Start(limit ?? FiveDays, fastTrack, At("2027-03-01T09:00:00"), Calendar).Value;

    [Fact]
    public void A_clock_stopped_at_the_last_minute_of_its_last_day_is_on_time()
    {
        var clock = Started().Stop(At("2027-03-08T23:59:00"), Calendar).Value;

        var verdict = ClockCompliance.Judge(clock, At("2027-03-20T09:00:00"), Calendar);

        Assert.Equal(ComplianceResult.OnTime, verdict.Result);
        Assert.Equal(At("2027-03-09T00:00:00"), verdict.DueAt);
        Assert.Equal(0, verdict.WorkingDaysLate);
        Assert.Equal(4, verdict.WorkingDaysUsed);
        Assert.Equal(5, verdict.WorkingDaysLimit);
        Assert.True(verdict.IsDecided);
    }

    [Fact]
    public void Stopping_exactly_at_the_due_instant_is_on_time_and_a_minute_later_is_late_by_one_working_day()
    {
        Assert.True(ClockCompliance.IsOnTime(At("2027-03-09T00:00:00"), At("2027-03-09T00:00:00")));

        var clock = Started().Stop(At("2027-03-09T00:01:00"), Calendar).Value;
        var verdict = ClockCompliance.Judge(clock, At("2027-03-20T09:00:00"), Calendar);

        Assert.Equal(ComplianceResult.Late, verdict.Result);
        Assert.Equal(1, verdict.WorkingDaysLate);
        Assert.Equal(At("2027-03-09T00:01:00"), verdict.EndedAt);
    }

    [Fact]
    public void Late_counts_the_working_days_after_the_due_date_through_the_day_it_stopped()
    {
        var limit = FiveDays with { Amount = 9 }; // Tue 2 … Fri 12: due at 24:00 on Friday 2027-03-12
        var late = Started(limit: limit).Stop(At("2027-03-16T10:00:00"), Calendar).Value;
        var onSaturday = Started(limit: limit).Stop(At("2027-03-13T10:00:00"), Calendar).Value;

        Assert.Equal(2, ClockCompliance.Judge(late, At("2027-04-01T09:00:00"), Calendar).WorkingDaysLate); // Mon 15, Tue 16
        // A rest day right after the due date is still late: by 1, the first working day beyond the limit.
        Assert.Equal(1, ClockCompliance.Judge(onSaturday, At("2027-04-01T09:00:00"), Calendar).WorkingDaysLate);
    }

    [Fact]
    public void A_pause_keeps_its_working_days_out_and_is_listed_with_its_reason_and_legal_basis()
    {
        var clock = Started()
            .Pause(At("2027-03-02T10:00:00"), "专家评审", "《中华人民共和国行政许可法》第四十五条", Calendar).Value
            .Resume(At("2027-03-05T10:00:00"), Calendar).Value
            .Stop(At("2027-03-11T18:00:00"), Calendar).Value;

        var verdict = ClockCompliance.Judge(clock, At("2027-03-20T09:00:00"), Calendar);

        // Tue 2, Wed 3 and Thu 4 ended while paused; Fri 5, Mon 8, Tue 9, Wed 10, Thu 11 count: due 24:00 Thursday 11.
        Assert.Equal(ComplianceResult.OnTime, verdict.Result);
        Assert.Equal(At("2027-03-12T00:00:00"), verdict.DueAt);
        var pause = Assert.Single(verdict.Pauses);
        Assert.Equal(3, pause.WorkingDays);
        Assert.Equal("专家评审", pause.Reason);
        Assert.Equal("《中华人民共和国行政许可法》第四十五条", pause.LegalBasis);
        Assert.Equal(At("2027-03-05T10:00:00"), pause.To);
        Assert.Equal(3, verdict.WorkingDaysPaused);
    }

    [Fact]
    public void A_pause_on_the_start_day_does_not_count_that_day_which_never_counts()
    {
        // Monday 1 (the start day) ended inside the pause but never counts; Tuesday 2 ended inside it and would have.
        Assert.Equal(1, ClockCompliance.WorkingDaysPaused(At("2027-03-01T09:00:00"), At("2027-03-01T11:00:00"), At("2027-03-03T11:00:00"),
            At("2027-03-20T09:00:00"), Calendar));
        Assert.Equal(0, ClockCompliance.WorkingDaysPaused(At("2027-03-01T09:00:00"), At("2027-03-01T11:00:00"), At("2027-03-02T11:00:00"),
            At("2027-03-20T09:00:00"), Calendar));
    }

    [Fact]
    public void An_extension_moves_the_due_date_and_names_its_approver()
    {
        var clock = Started().Extend(At("2027-03-05T15:00:00"), 2, "approver.suzhou", "案情复杂", Calendar).Value
            .Stop(At("2027-03-10T16:00:00"), Calendar).Value;

        var verdict = ClockCompliance.Judge(clock, At("2027-03-20T09:00:00"), Calendar);

        Assert.Equal(ComplianceResult.OnTime, verdict.Result); // due 24:00 on Wednesday 10 after 2 more working days
        Assert.Equal(At("2027-03-11T00:00:00"), verdict.DueAt);
        Assert.Equal(2, verdict.ExtensionDays);
        Assert.Equal("approver.suzhou", Assert.Single(verdict.Extensions).Approver);
    }

    [Fact]
    public void A_running_clock_is_running_before_its_due_instant_and_overdue_after_it()
    {
        var clock = Started();

        var before = ClockCompliance.Judge(clock, At("2027-03-05T09:00:00"), Calendar);
        var after = ClockCompliance.Judge(clock, At("2027-03-10T09:00:00"), Calendar);

        Assert.Equal(ComplianceResult.Running, before.Result);
        Assert.Equal(2, before.WorkingDaysLeft); // Tue–Thu used; Fri 5 and Mon 8 left
        Assert.False(before.IsDecided);
        Assert.Equal(ComplianceResult.Overdue, after.Result);
        Assert.Equal(2, after.WorkingDaysLate); // Tue 9 and Wed 10 (today counts: it is past the limit)
        Assert.Null(after.EndedAt);
    }

    [Fact]
    public void A_paused_clock_has_no_due_date_and_a_clock_stopped_while_paused_missed_nothing()
    {
        var paused = Started().Pause(At("2027-03-03T10:00:00"), "申请人补正材料", null, Calendar).Value;

        var now = ClockCompliance.Judge(paused, At("2027-03-20T09:00:00"), Calendar);
        var stopped = ClockCompliance.Judge(paused.Stop(At("2027-03-25T09:00:00"), Calendar).Value, At("2027-03-26T09:00:00"), Calendar);

        Assert.Equal(ComplianceResult.Paused, now.Result);
        Assert.Null(now.DueAt);
        Assert.Equal(4, now.WorkingDaysLeft); // only Tuesday 2 ended while running
        Assert.Equal(ComplianceResult.OnTime, stopped.Result);
        var pause = Assert.Single(stopped.Pauses);
        Assert.Equal(At("2027-03-25T09:00:00"), pause.To); // the pause ends with the clock
        Assert.Equal(16, pause.WorkingDays); // Wed 3 … Wed 24
    }

    [Fact]
    public void A_cancelled_clock_is_not_decided()
    {
        var clock = Started().Cancel(At("2027-03-03T10:00:00"), "申请人撤回申请", Calendar).Value;

        var verdict = ClockCompliance.Judge(clock, At("2027-03-20T09:00:00"), Calendar);

        Assert.Equal(ComplianceResult.Cancelled, verdict.Result);
        Assert.False(verdict.IsDecided);
        Assert.Equal(At("2027-03-03T10:00:00"), verdict.EndedAt);
    }

    [Fact]
    public void The_track_is_fast_while_the_halved_limit_applies_and_fast_ended_after_a_revocation()
    {
        var fast = Started(fastTrack: true);

        Assert.Equal(ClockTrack.Standard, ClockCompliance.TrackOf(Started()));
        Assert.Equal(ClockTrack.Fast, ClockCompliance.TrackOf(fast));
        Assert.Equal(2, ClockCompliance.Judge(fast, At("2027-03-02T09:00:00"), Calendar).WorkingDaysLimit); // 5 halved, rounded down
        Assert.Equal(ClockTrack.FastEnded, ClockCompliance.TrackOf(fast.EndFastTrack(At("2027-03-02T10:00:00"), "苏环撤〔2027〕1号", Calendar).Value));
    }

    [Fact]
    public void Events_after_the_instant_asked_about_are_ignored()
    {
        var clock = Started().Stop(At("2027-03-10T09:00:00"), Calendar).Value;

        var verdict = ClockCompliance.Judge(clock, At("2027-03-05T09:00:00"), Calendar);

        Assert.Equal(ComplianceResult.Running, verdict.Result);
        Assert.Null(verdict.EndedAt);
    }
}
