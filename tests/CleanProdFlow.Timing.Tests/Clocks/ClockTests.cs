using System.Text.Json;
using CleanProdFlow.Timing.Calendars;
using CleanProdFlow.Timing.Clocks;
using CleanProdFlow.Timing.Deadlines;
using static CleanProdFlow.Timing.Tests.ShippedData;

namespace CleanProdFlow.Timing.Tests.Clocks;

public sealed class ClockTests
{
    private static readonly TimeLimit ReportDecision = new(60, PeriodUnit.WorkingDays, Halvable: true)
    {
        RuleId = "eia.decision.report",
        NameZh = "环境影响报告书审批决定",
        NameEn = "Decision on an EIA report",
        LegalBasis = "《环境影响评价法》第二十二条",
    };

    private static readonly TimeLimit FiveDays = new(5, PeriodUnit.WorkingDays);

    private static Clock Started(string at, TimeLimit? limit = null, bool fastTrack = false) =>
        Clock.Start(limit ?? FiveDays, fastTrack, T(at), Mainland).Value;

    [Fact]
    public void Start_computes_the_due_date()
    {
        var clock = Started("2026-09-28T10:00:00+08:00");
        Assert.Equal(ClockState.Running, clock.State);
        Assert.Equal(D("2026-10-10"), clock.DueDate);
        Assert.Equal(T("2026-10-11T00:00:00+08:00"), clock.DueAt);
        Assert.Equal(Mainland.Version, clock.CalendarVersion);
        Assert.Empty(clock.ProvisionalYears);
    }

    [Fact]
    public void Pause_clears_the_due_date_and_resume_moves_it()
    {
        var clock = Started("2026-03-02T10:00:00+08:00");
        var paused = clock.Pause(T("2026-03-04T10:00:00+08:00"), "专家评审", "《行政许可法》第四十五条", Mainland).Value;
        Assert.Equal(ClockState.Paused, paused.State);
        Assert.Null(paused.DueDate);
        Assert.Null(paused.DueAt);

        // Counted before the pause: Mar 3. Resumed Mar 10 09:00: Mar 10, 11, 12, 13 → 5 on Mar 13.
        var resumed = paused.Resume(T("2026-03-10T09:00:00+08:00"), Mainland).Value;
        Assert.Equal(ClockState.Running, resumed.State);
        Assert.Equal(D("2026-03-13"), resumed.DueDate);
    }

    [Fact]
    public void Resumed_at_midnight_the_previous_day_is_not_counted()
    {
        // Mar 3 counted; paused Mar 4 10:00 to Mar 6 00:00 → Mar 4 and Mar 5 not counted; Mar 6, 9, 10, 11 → Mar 11.
        var clock = Started("2026-03-02T10:00:00+08:00")
            .Pause(T("2026-03-04T10:00:00+08:00"), "申请人补正材料", null, Mainland).Value
            .Resume(T("2026-03-06T00:00:00+08:00"), Mainland).Value;
        Assert.Equal(D("2026-03-11"), clock.DueDate);
    }

    [Fact]
    public void Extension_moves_the_due_date()
    {
        var clock = Started("2026-09-28T10:00:00+08:00")
            .Extend(T("2026-10-09T10:00:00+08:00"), 3, "王局长", "需补充现场核查", Mainland).Value;
        Assert.Equal(D("2026-10-14"), clock.DueDate);
    }

    [Fact]
    public void Stop_keeps_the_due_date_for_the_record()
    {
        var clock = Started("2026-09-28T10:00:00+08:00").Stop(T("2026-10-09T16:00:00+08:00"), Mainland).Value;
        Assert.Equal(ClockState.Stopped, clock.State);
        Assert.Equal(D("2026-10-10"), clock.DueDate);
        var progress = clock.ProgressAt(T("2026-11-01T00:00:00+08:00"), Mainland);
        Assert.Equal(3, progress.WorkingDaysUsed); // Sep 29, Sep 30, Oct 8; Oct 9 ended after the stop
        Assert.False(progress.IsOverdue);
    }

    public static TheoryData<string, ClockRefusalReason, string> Refusals => new()
    {
        { "resume-running", ClockRefusalReason.NotPaused, "state" },
        { "pause-paused", ClockRefusalReason.AlreadyPaused, "state" },
        { "pause-stopped", ClockRefusalReason.AlreadyFinished, "state" },
        { "extend-cancelled", ClockRefusalReason.AlreadyFinished, "state" },
        { "extend-zero", ClockRefusalReason.InvalidDays, "days" },
        { "extend-negative", ClockRefusalReason.InvalidDays, "days" },
        { "extend-no-approver", ClockRefusalReason.MissingField, "approver" },
        { "pause-no-reason", ClockRefusalReason.MissingField, "reason" },
        { "cancel-no-reason", ClockRefusalReason.MissingField, "reason" },
        { "pause-before-previous", ClockRefusalReason.EventBeforePrevious, "at" },
        { "stop-before-start", ClockRefusalReason.EventBeforePrevious, "at" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Invalid_events_are_refused_and_change_nothing(string scenario, ClockRefusalReason reason, string field)
    {
        var running = Started("2026-03-02T10:00:00+08:00");
        var at = T("2026-03-05T10:00:00+08:00");
        var paused = running.Pause(T("2026-03-03T10:00:00+08:00"), "专家评审", null, Mainland).Value;
        var stopped = running.Stop(T("2026-03-03T10:00:00+08:00"), Mainland).Value;
        var cancelled = running.Cancel(T("2026-03-03T10:00:00+08:00"), "申请人撤回申请", Mainland).Value;
        var resumed = paused.Resume(at, Mainland).Value;

        var (clock, result) = scenario switch
        {
            "resume-running" => (running, running.Resume(at, Mainland)),
            "pause-paused" => (paused, paused.Pause(at, "又一次", null, Mainland)),
            "pause-stopped" => (stopped, stopped.Pause(at, "专家评审", null, Mainland)),
            "extend-cancelled" => (cancelled, cancelled.Extend(at, 5, "局长", "理由", Mainland)),
            "extend-zero" => (running, running.Extend(at, 0, "局长", "理由", Mainland)),
            "extend-negative" => (running, running.Extend(at, -3, "局长", "理由", Mainland)),
            "extend-no-approver" => (running, running.Extend(at, 3, " ", "理由", Mainland)),
            "pause-no-reason" => (running, running.Pause(at, "", null, Mainland)),
            "cancel-no-reason" => (running, running.Cancel(at, "", Mainland)),
            "pause-before-previous" => (resumed, resumed.Pause(T("2026-03-04T10:00:00+08:00"), "专家评审", null, Mainland)),
            "stop-before-start" => (running, running.Stop(T("2026-03-01T10:00:00+08:00"), Mainland)),
            _ => throw new ArgumentOutOfRangeException(nameof(scenario)),
        };

        Assert.False(result.Accepted);
        Assert.Equal(reason, result.Refusal!.Reason);
        Assert.Equal(field, result.Refusal.Field);
        Assert.Same(clock, result.Clock);
        var thrown = Assert.Throws<ClockEventRefusedException>(() => result.Value);
        Assert.Equal(reason, thrown.Refusal.Reason);
    }

    [Theory]
    [InlineData(0, "limit")]
    [InlineData(3651, "limit")]
    public void A_clock_with_a_bad_limit_does_not_start(int limit, string field)
    {
        var result = Clock.Start(new TimeLimit(limit, PeriodUnit.WorkingDays), false, T("2026-03-02T10:00:00+08:00"), Mainland);
        Assert.False(result.Accepted);
        Assert.Equal(ClockRefusalReason.InvalidLimit, result.Refusal!.Reason);
        Assert.Equal(field, result.Refusal.Field);
        Assert.Null(result.Clock);
    }

    [Fact]
    public void A_clock_cannot_start_outside_the_calendar() =>
        Assert.Equal(ClockRefusalReason.OutsideCalendar,
            Clock.Start(FiveDays, false, T("1999-12-31T10:00:00+08:00"), Mainland).Refusal!.Reason);

    [Fact]
    public void Progress_counts_used_and_left_working_days()
    {
        var clock = Started("2026-09-28T10:00:00+08:00");
        // As of Oct 8 12:00: Sep 29, Sep 30 ended while running → 2 used, 3 left.
        var progress = clock.ProgressAt(T("2026-10-08T12:00:00+08:00"), Mainland);
        Assert.Equal(2, progress.WorkingDaysUsed);
        Assert.Equal(3, progress.WorkingDaysLeft);
        Assert.Equal(5, progress.WorkingDaysLimit);
        Assert.False(progress.IsOverdue);

        // As of Oct 13 09:00: Sep 29, 30, Oct 8, 9, 10, 12 → 6 used, one overdue.
        var late = clock.ProgressAt(T("2026-10-13T09:00:00+08:00"), Mainland);
        Assert.Equal(6, late.WorkingDaysUsed);
        Assert.Equal(0, late.WorkingDaysLeft);
        Assert.Equal(1, late.WorkingDaysOverdue);
        Assert.True(late.IsOverdue);
    }

    [Fact]
    public void Progress_while_paused_keeps_the_working_days_left()
    {
        var clock = Started("2026-03-02T10:00:00+08:00").Pause(T("2026-03-04T10:00:00+08:00"), "专家评审", null, Mainland).Value;
        var progress = clock.ProgressAt(T("2026-03-20T10:00:00+08:00"), Mainland);
        Assert.Equal(ClockState.Paused, progress.State);
        Assert.Null(progress.DueDate);
        Assert.Equal(1, progress.WorkingDaysUsed); // Mar 3
        Assert.Equal(4, progress.WorkingDaysLeft);
    }

    [Fact]
    public void Reminders_fall_at_the_end_of_the_working_day_that_reaches_the_share()
    {
        // 60 working days from Mon 2026-03-02: the 30th is Apr 14 (Apr 6 off): 24:00 that day.
        var clock = Started("2026-03-02T10:00:00+08:00", ReportDecision);
        Assert.Equal(T("2026-04-15T00:00:00+08:00"), clock.WhenWorkingDaysUsed(30, Mainland));
        var paused = clock.Pause(T("2026-03-03T10:00:00+08:00"), "专家评审", null, Mainland).Value;
        Assert.Null(paused.WhenWorkingDaysUsed(30, Mainland));
    }

    [Fact]
    public void Explain_in_chinese_gives_the_breakdown()
    {
        var clock = Started("2026-09-21T09:00:00+08:00", ReportDecision, fastTrack: true)
            .Pause(T("2026-09-24T10:00:00+08:00"), "专家评审", "《行政许可法》第四十五条", Mainland).Value
            .Resume(T("2026-10-09T10:00:00+08:00"), Mainland).Value
            .Extend(T("2026-10-12T10:00:00+08:00"), 2, "王局长", "需现场核查", Mainland).Value;
        var lines = clock.Explain(T("2026-10-13T12:00:00+08:00"), Mainland, Language.ZhCn);
        Assert.Contains(lines, l => l.Contains("环境影响报告书审批决定（eia.decision.report）60 个工作日") && l.Contains("《环境影响评价法》第二十二条"));
        Assert.Contains(lines, l => l.Contains("绿色通道时限减半：60 个工作日减为30 个工作日"));
        Assert.Contains(lines, l => l.Contains("暂停 2026-09-24 10:00 至 2026-10-09 10:00：5 个工作日不计入；理由：专家评审；依据：《行政许可法》第四十五条"));
        Assert.Contains(lines, l => l.Contains("延长 2 个工作日；批准人：王局长"));
        Assert.Contains(lines, l => l.Contains("日历版本：" + Mainland.Version));
        Assert.Contains(lines, l => l.Contains("2026 年为正式安排"));
        // Used as of Oct 13 12:00: Sep 22, 23, Oct 9, 10, 12 = 5 of 32 → 27 left.
        Assert.Contains(lines, l => l.Contains("已用 5 个工作日，剩余 27 个工作日"));
    }

    [Fact]
    public void Explain_in_english_says_working_days_left()
    {
        var clock = Started("2026-09-28T10:00:00+08:00");
        var lines = clock.Explain(T("2026-10-08T12:00:00+08:00"), Mainland, Language.En);
        Assert.Contains(lines, l => l.Contains("2 working days used, 3 working days left"));
        Assert.Contains(lines, l => l.Contains("Not halved"));
        Assert.Contains(lines, l => l.Contains("2026 is official"));
    }

    [Fact]
    public void Explain_a_paused_clock_says_why_there_is_no_due_date()
    {
        var clock = Started("2026-03-02T10:00:00+08:00").Pause(T("2026-03-04T10:00:00+08:00"), "申请人补正材料", "《行政许可法》第三十二条", Mainland).Value;
        var lines = clock.Explain(T("2026-03-11T12:00:00+08:00"), Mainland, Language.ZhCn);
        Assert.Contains(lines, l => l.Contains("自 2026-03-04 10:00 起暂停，尚未恢复，至今 5 个工作日不计入；理由：申请人补正材料"));
        Assert.Contains(lines, l => l.Contains("暂停中，暂无截止日"));
    }

    [Fact]
    public void State_round_trips_through_json()
    {
        var clock = Started("2026-09-21T09:00:00+08:00", ReportDecision, fastTrack: true)
            .Pause(T("2026-09-24T10:00:00+08:00"), "专家评审", "《行政许可法》第四十五条", Mainland).Value
            .Resume(T("2026-10-09T10:00:00+08:00"), Mainland).Value
            .Extend(T("2026-10-12T10:00:00+08:00"), 2, "王局长", "需现场核查", Mainland).Value
            .Stop(T("2026-10-20T10:00:00+08:00"), Mainland).Value;
        var json = clock.ToJson();
        var back = Clock.FromJson(json);

        Assert.Equal(json, back.ToJson());
        Assert.Equal(clock.DueDate, back.DueDate);
        Assert.Equal(clock.Events, back.Events); // records compare by value
        Assert.Equal(clock.Limit, back.Limit);
        Assert.Equal(ClockState.Stopped, back.State);
        Assert.Contains("\"kind\":\"paused\"", json);
        Assert.Contains("\"unit\":\"workingDays\"", json);
        Assert.Contains("专家评审", json);
        // The restored clock behaves like the original.
        Assert.Equal(clock.Recompute(Mainland).ToJson(), back.Recompute(Mainland).ToJson());
    }

    [Fact]
    public void A_stored_clock_with_an_impossible_history_is_refused()
    {
        var json = Started("2026-03-02T10:00:00+08:00").ToJson();
        var resumedWithoutPause = json.Replace("\"state\":\"running\"", "\"state\":\"paused\"");
        Assert.Throws<JsonException>(() => Clock.FromJson(resumedWithoutPause));

        var noStart = json.Replace("\"kind\":\"started\"", "\"kind\":\"resumed\"");
        Assert.Throws<JsonException>(() => Clock.FromJson(noStart));
    }
}
