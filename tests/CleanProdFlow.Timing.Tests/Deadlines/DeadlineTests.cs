using CleanProdFlow.Timing.Calendars;
using CleanProdFlow.Timing.Deadlines;
using static CleanProdFlow.Timing.Tests.ShippedData;

namespace CleanProdFlow.Timing.Tests.Deadlines;

public sealed class DeadlineTests
{
    private static Deadline Compute(string start, int limit, PeriodUnit unit = PeriodUnit.WorkingDays, bool fastTrack = false,
        bool halvable = true, HalfRounding rounding = HalfRounding.Down, Pause[]? pauses = null, Extension[]? extensions = null) =>
        Deadline.Compute(Mainland, new DeadlineRequest(T(start), new TimeLimit(limit, unit, halvable, rounding), fastTrack, pauses, extensions));

    [Fact]
    public void The_worked_example_of_the_issue()
    {
        // Sep 29, Sep 30, (Oct 1–7 off), Oct 8, Oct 9, Saturday Oct 10 worked = 5.
        var deadline = Compute("2026-09-28T10:00:00+08:00", 5);
        Assert.Equal(D("2026-10-10"), deadline.DueDate);
        Assert.Equal(T("2026-10-11T00:00:00+08:00"), deadline.DueAt);
        Assert.Equal(5, deadline.LimitApplied);
        Assert.Equal(5, deadline.WorkingDaysCounted);
        Assert.False(deadline.Provisional);
        Assert.Equal(Mainland.Version, deadline.CalendarVersion);
    }

    [Theory]
    // The start day never counts, whatever the hour.
    [InlineData("2026-03-02T00:00:00+08:00", 1, "2026-03-03")]
    [InlineData("2026-03-02T23:59:00+08:00", 1, "2026-03-03")]
    // An instant given in UTC is counted on its Beijing day: 2026-03-01T17:00Z is Monday 01:00 in Beijing.
    [InlineData("2026-03-01T17:00:00+00:00", 1, "2026-03-03")]
    // Starting on a day off: the next working day is the first.
    [InlineData("2026-10-03T09:00:00+08:00", 1, "2026-10-08")]
    [InlineData("2024-02-10T09:00:00+08:00", 1, "2024-02-18")]
    // Across year ends.
    [InlineData("2024-12-27T09:00:00+08:00", 3, "2025-01-02")]
    [InlineData("2025-12-30T09:00:00+08:00", 2, "2026-01-04")]
    // 20 working days across 劳动节 2026 with Saturday May 9 worked.
    [InlineData("2026-04-20T09:00:00+08:00", 20, "2026-05-20")]
    // 2025 春节: Jan 24 (Fri) + 1 is Sunday Jan 26 (make-up), +3 Feb 5.
    [InlineData("2025-01-24T16:00:00+08:00", 3, "2025-02-05")]
    public void Working_day_periods(string start, int limit, string due) =>
        Assert.Equal(D(due), Compute(start, limit).DueDate);

    [Theory]
    // Fast track: 5 halved is 2 rounded down (Sep 29, Sep 30) or 3 rounded up (Oct 8).
    [InlineData(5, HalfRounding.Down, 2, "2026-09-30")]
    [InlineData(5, HalfRounding.Up, 3, "2026-10-08")]
    [InlineData(1, HalfRounding.Down, 1, "2026-09-29")] // never below one day
    [InlineData(4, HalfRounding.Down, 2, "2026-09-30")]
    public void Fast_track_halves_a_halvable_limit(int limit, HalfRounding rounding, int applied, string due)
    {
        var deadline = Compute("2026-09-28T10:00:00+08:00", limit, fastTrack: true, rounding: rounding);
        Assert.True(deadline.Halved);
        Assert.Equal(applied, deadline.LimitApplied);
        Assert.Equal(D(due), deadline.DueDate);
    }

    [Fact]
    public void Fast_track_leaves_a_limit_that_is_not_halvable()
    {
        var deadline = Compute("2026-09-28T10:00:00+08:00", 5, fastTrack: true, halvable: false);
        Assert.False(deadline.Halved);
        Assert.Equal(D("2026-10-10"), deadline.DueDate);
    }

    [Theory]
    // Day 7 = Oct 2 (off) → next working day Oct 8.
    [InlineData("2026-09-25T09:00:00+08:00", 7, "2026-10-02", "2026-10-08")]
    // Day 5 = Saturday Sep 26 (中秋) → Monday Sep 28.
    [InlineData("2026-09-21T09:00:00+08:00", 5, "2026-09-26", "2026-09-28")]
    // Day 9 = Saturday Oct 10, a make-up working day: it stays.
    [InlineData("2026-10-01T09:00:00+08:00", 9, "2026-10-10", "2026-10-10")]
    // Day 5 = an ordinary Saturday → Monday.
    [InlineData("2026-01-05T09:00:00+08:00", 5, "2026-01-10", "2026-01-12")]
    public void Natural_day_periods_move_off_days_off(string start, int limit, string nominal, string due)
    {
        var deadline = Compute(start, limit, PeriodUnit.NaturalDays);
        Assert.Equal(D(nominal), deadline.NominalLastDay);
        Assert.Equal(D(due), deadline.DueDate);
        Assert.Equal(nominal != due, deadline.MovedToNextWorkingDay);
    }

    [Theory]
    [InlineData("2026-01-31T09:00:00+08:00", 1, PeriodUnit.Months, "2026-02-28")] // month end; Sat Feb 28 is worked
    [InlineData("2024-01-31T09:00:00+08:00", 1, PeriodUnit.Months, "2024-02-29")] // leap year month end
    [InlineData("2025-08-31T09:00:00+08:00", 1, PeriodUnit.Months, "2025-09-30")]
    [InlineData("2025-09-01T09:00:00+08:00", 1, PeriodUnit.Months, "2025-10-09")] // Oct 1 off → after 国庆+中秋
    [InlineData("2025-10-01T09:00:00+08:00", 1, PeriodUnit.Years, "2026-10-08")] // audit cycle ending in 国庆
    [InlineData("2024-02-29T09:00:00+08:00", 1, PeriodUnit.Years, "2025-02-28")] // no Feb 29 → month end
    [InlineData("2024-02-29T09:00:00+08:00", 2, PeriodUnit.Years, "2026-02-28")] // a Saturday, but worked
    [InlineData("2025-12-31T09:00:00+08:00", 6, PeriodUnit.Months, "2026-06-30")] // finance pool: first half-year
    public void Month_and_year_periods_end_on_the_corresponding_date(string start, int limit, PeriodUnit unit, string due) =>
        Assert.Equal(D(due), Compute(start, limit, unit).DueDate);

    [Fact]
    public void A_pause_spanning_the_october_holidays()
    {
        // Without the pause: Sep 22, 23, 24, 28, 29, 30, Oct 8, 9, 10 (Sat, worked), 12 → Oct 12.
        Assert.Equal(D("2026-10-12"), Compute("2026-09-21T09:00:00+08:00", 10).DueDate);

        // Paused Sep 24 10:00 to Oct 9 10:00: Sep 22, 23 count; Sep 24 does not (paused at its end);
        // Oct 9 counts (running at its end), then Oct 10, 12–16, 19 → Oct 19.
        var pause = new Pause(T("2026-09-24T10:00:00+08:00"), T("2026-10-09T10:00:00+08:00"), "专家评审", "《行政许可法》第四十五条");
        var deadline = Compute("2026-09-21T09:00:00+08:00", 10, pauses: [pause]);
        Assert.Equal(D("2026-10-19"), deadline.DueDate);
        Assert.Equal(5, deadline.WorkingDaysPaused(pause)); // Sep 24, 28, 29, 30 and Oct 8
    }

    [Theory]
    // Resumed exactly at 00:00 Mar 5: the clock was paused at 24:00 of Mar 4, so Mar 4 does not count.
    [InlineData("2026-03-03T10:00:00+08:00", "2026-03-05T00:00:00+08:00", "2026-03-09")]
    // Resumed one minute earlier: it runs at 24:00 of Mar 4, which counts.
    [InlineData("2026-03-03T10:00:00+08:00", "2026-03-04T23:59:00+08:00", "2026-03-06")]
    // Paused from 00:00 Mar 4: it ran to 24:00 of Mar 3, which counts; Mar 4 does not.
    [InlineData("2026-03-04T00:00:00+08:00", "2026-03-05T00:00:00+08:00", "2026-03-06")]
    // A pause within one day changes nothing.
    [InlineData("2026-03-03T10:00:00+08:00", "2026-03-03T15:00:00+08:00", "2026-03-05")]
    public void A_working_day_counts_when_the_clock_runs_at_its_end(string from, string to, string due)
    {
        // Start Monday Mar 2, 3 working days: unpaused Mar 3, 4, 5.
        var deadline = Compute("2026-03-02T10:00:00+08:00", 3, pauses: [new Pause(T(from), T(to))]);
        Assert.Equal(D(due), deadline.DueDate);
    }

    [Fact]
    public void An_open_pause_leaves_no_due_date()
    {
        var pause = new Pause(T("2026-03-04T10:00:00+08:00"), null, "申请人补正材料", "《行政许可法》第三十二条");
        var deadline = Compute("2026-03-02T10:00:00+08:00", 5, pauses: [pause]);
        Assert.Null(deadline.DueDate);
        Assert.Null(deadline.DueAt);
        Assert.Equal(pause, deadline.OpenPause);
        Assert.Equal(1, deadline.WorkingDaysCounted); // Mar 3 only
        var summary = deadline.Summarize(Language.En);
        Assert.Contains("not yet resumed", summary.PausedReason);
        Assert.Contains("申请人补正材料", deadline.Summarize(Language.ZhCn).PausedReason);
    }

    [Fact]
    public void A_pause_after_the_due_date_leaves_the_due_date()
    {
        var pause = new Pause(T("2026-03-20T10:00:00+08:00"), null);
        Assert.Equal(D("2026-03-05"), Compute("2026-03-02T10:00:00+08:00", 3, pauses: [pause]).DueDate);
    }

    [Fact]
    public void Extensions_add_working_days()
    {
        // Oct 10 + 3 working days: Oct 12, 13, 14.
        var deadline = Compute("2026-09-28T10:00:00+08:00", 5, extensions: [new Extension(3, "局长", "案情复杂")]);
        Assert.Equal(D("2026-10-14"), deadline.DueDate);
        Assert.Equal(8, deadline.WorkingDaysCounted);

        // A natural-day period ending Sep 28 (moved off the 中秋 Saturday) + 2 working days → Sep 30.
        var natural = Compute("2026-09-21T09:00:00+08:00", 5, PeriodUnit.NaturalDays, extensions: [new Extension(2)]);
        Assert.Equal(D("2026-09-30"), natural.DueDate);
    }

    [Fact]
    public void EIA_report_decision_on_the_fast_track_across_the_spring_festival()
    {
        // 60 halved to 30, accepted Mon 2026-01-26: Jan 27–30 (4), Feb 2–6 (9), Feb 9–13 (14), Sat Feb 14 (15),
        // Feb 15–23 off, Feb 24–27 (19), Sat Feb 28 (20), Mar 2–6 (25), Mar 9–13 (30) → Mar 13.
        var deadline = Compute("2026-01-26T15:00:00+08:00", 60, fastTrack: true);
        Assert.Equal(30, deadline.LimitApplied);
        Assert.Equal(D("2026-03-13"), deadline.DueDate);
    }

    [Fact]
    public void A_deadline_in_a_provisional_year_says_so()
    {
        var deadline = Compute("2026-12-28T09:00:00+08:00", 5);
        // Dec 29, 30, 31, (Jan 1 off provisionally), Jan 4, Jan 5.
        Assert.Equal(D("2027-01-05"), deadline.DueDate);
        Assert.True(deadline.Provisional);
        Assert.Equal([2027], deadline.ProvisionalYears);
        Assert.Contains(deadline.Explain(Language.ZhCn), l => l.Contains("2027 年为暂定安排"));
        Assert.Contains(deadline.Explain(Language.En), l => l.Contains("2027 is provisional"));
    }

    [Fact]
    public void The_explanation_names_rule_counting_and_due_date()
    {
        var limit = new TimeLimit(5, PeriodUnit.WorkingDays) { RuleId = "eia.publicity.form", NameZh = "环境影响报告表受理公示期", NameEn = "Acceptance publicity period, EIA form", LegalBasis = "环办〔2013〕103号" };
        var deadline = Deadline.Compute(Mainland, new DeadlineRequest(T("2026-09-28T10:00:00+08:00"), limit));
        var zh = deadline.Explain(Language.ZhCn);
        Assert.Contains(zh, l => l.Contains("环境影响报告表受理公示期（eia.publicity.form）5 个工作日") && l.Contains("环办〔2013〕103号"));
        Assert.Contains(zh, l => l.Contains("《行政许可法》第八十二条"));
        Assert.Contains(zh, l => l.Contains("截止日：2026-10-10（星期六，调休上班日）"));
        Assert.Contains(zh, l => l.Contains("2026 年为正式安排") && l.Contains("国办发明电〔2025〕7号"));
        var en = deadline.Explain(Language.En);
        Assert.Contains(en, l => l.Contains("Due date: 2026-10-10 (Saturday, a make-up working day)"));
    }

    [Fact]
    public void A_period_past_2100_is_refused_as_a_field_error()
    {
        var request = new DeadlineRequest(T("2100-12-20T09:00:00+08:00"), new TimeLimit(60, PeriodUnit.WorkingDays));
        Assert.Throws<CalendarRangeException>(() => Deadline.Compute(Mainland, request));
        var result = Deadline.Evaluate(Mainland, request);
        Assert.False(result.IsValid);
        Assert.Equal("start", Assert.Single(result.Errors).Field);
    }

    [Fact]
    public void A_moved_natural_day_period_is_explained_with_article_203()
    {
        var zh = Compute("2026-09-21T09:00:00+08:00", 5, PeriodUnit.NaturalDays).Explain(Language.ZhCn);
        Assert.Contains(zh, l => l.Contains("期限最后一日 2026-09-26 为法定节假日，顺延至其后第一个工作日 2026-09-28（《民法典》第二百零三条）"));
    }

    [Fact]
    public void The_summary_serialises_in_the_api_shape()
    {
        var json = System.Text.Json.JsonSerializer.Serialize(Compute("2026-09-28T10:00:00+08:00", 5).Summarize(Language.En), TimingJson.Options);
        Assert.Contains("\"dueDate\":\"2026-10-10\"", json);
        Assert.Contains("\"dueAt\":\"2026-10-11T00:00:00+08:00\"", json);
        Assert.Contains("\"limitApplied\":5", json);
        Assert.Contains("\"workingDaysCounted\":5", json);
        Assert.Contains("\"provisional\":false", json);
        Assert.Contains("\"explanation\":[", json);
    }
}
