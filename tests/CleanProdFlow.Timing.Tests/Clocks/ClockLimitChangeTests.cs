using CleanProdFlow.Timing.Clocks;
using CleanProdFlow.Timing.Deadlines;
using static CleanProdFlow.Timing.Tests.ShippedData;

namespace CleanProdFlow.Timing.Tests.Clocks;

/// <summary>
/// Changing a clock's limit to another rule (measure 7: the audit cycle extended from one year to two): counted from the
/// same start with the same pauses, used everywhere the limit is read, stored as an event that survives JSON.
/// </summary>
public sealed class ClockLimitChangeTests
{
    private static readonly TimeLimit Cycle = new(1, PeriodUnit.Years)
    {
        RuleId = "audit.cycle", NameZh = "清洁生产审核周期（完成本轮审核）", NameEn = "Clean-production audit cycle (complete the round)",
    };

    private static readonly TimeLimit Extended = new(2, PeriodUnit.Years)
    {
        RuleId = "audit.cycle.extended", NameZh = "延长后的清洁生产审核周期", NameEn = "Extended clean-production audit cycle",
        LegalBasis = "苏环办〔2023〕332号 第二部分第7项",
    };

    private const string Basis = "苏环办〔2023〕332号 第二部分第7项";

    // Listed on Tuesday 2026-03-10 (00:00 Beijing): the year ends on the corresponding date, Wednesday 2027-03-10
    // (2027 is provisional: weekends and the fixed statutory dates, none in March).
    private static Clock Listed() => Clock.Start(Cycle, false, T("2026-03-10T00:00:00+08:00"), Mainland).Value;

    [Fact]
    public void A_one_year_cycle_from_the_list_publication_ends_on_the_corresponding_date()
    {
        var clock = Listed();
        Assert.Equal(D("2027-03-10"), clock.DueDate);
        Assert.Equal(T("2027-03-11T00:00:00+08:00"), clock.DueAt);
        Assert.Same(clock.Limit, clock.EffectiveLimit);
    }

    [Fact]
    public void Changing_to_the_extended_cycle_counts_two_years_from_the_same_start()
    {
        var changed = Listed().ChangeLimit(T("2026-06-01T10:00:00+08:00"), Extended, "中/高费方案需环评批复", Basis, Mainland).Value;

        // 2028-03-10 is a Friday: no move to a later working day.
        Assert.Equal(D("2028-03-10"), changed.DueDate);
        Assert.Equal("audit.cycle.extended", changed.EffectiveLimit.RuleId);
        Assert.Equal("audit.cycle", changed.Limit.RuleId);
        Assert.Equal(ClockState.Running, changed.State);
        var limitChanged = Assert.IsType<ClockLimitChanged>(changed.Events[^1]);
        Assert.Equal(Basis, limitChanged.LegalBasis);

        // Progress, reminders and the explanation read the limit in force.
        var progress = changed.ProgressAt(T("2026-06-02T00:00:00+08:00"), Mainland);
        Assert.Equal(D("2028-03-10"), progress.DueDate);
        Assert.False(progress.IsOverdue);
        // The working day before 2028-03-10 (Friday) is Thursday 2028-03-09: its 24:00.
        Assert.Equal(T("2028-03-10T00:00:00+08:00"), changed.Reminders(Mainland).DayBeforeDueAt);
        var zh = changed.Explain(T("2026-06-02T00:00:00+08:00"), Mainland, Language.ZhCn);
        Assert.StartsWith("计时：延长后的清洁生产审核周期；", zh[0]);
        Assert.Contains("（2026-06-01 起改按延长后的清洁生产审核周期计算；理由：中/高费方案需环评批复；依据：苏环办〔2023〕332号 第二部分第7项。）", zh);
        Assert.Contains(zh, line => line.StartsWith("期限：延长后的清洁生产审核周期（audit.cycle.extended）2 年", StringComparison.Ordinal));
        var en = changed.Explain(T("2026-06-02T00:00:00+08:00"), Mainland, Language.En);
        Assert.Contains(en, line => line.StartsWith("(From 2026-06-01 counted as Extended clean-production audit cycle; reason:", StringComparison.Ordinal));

        // Before the change, progress still reads the one-year limit.
        Assert.Equal(D("2027-03-10"), changed.ProgressAt(T("2026-05-01T00:00:00+08:00"), Mainland).DueDate);
    }

    [Fact]
    public void A_pause_before_the_change_still_counts_after_it()
    {
        // Paused 10 days in April (natural-day periods skip the paused days), then extended: both due dates move by the pause.
        var paused = Listed().Pause(T("2026-04-01T00:00:00+08:00"), "停产整治", null, Mainland).Value
            .Resume(T("2026-04-11T00:00:00+08:00"), Mainland).Value;
        var changed = paused.ChangeLimit(T("2026-05-01T00:00:00+08:00"), Extended, "技术改造项目实施期一年以上", Basis, Mainland).Value;
        var fresh = Clock.Start(Extended, false, T("2026-03-10T00:00:00+08:00"), Mainland).Value
            .Pause(T("2026-04-01T00:00:00+08:00"), "停产整治", null, Mainland).Value
            .Resume(T("2026-04-11T00:00:00+08:00"), Mainland).Value;
        Assert.Equal(fresh.DueDate, changed.DueDate);
        Assert.True(changed.DueDate > D("2028-03-10"));
    }

    [Fact]
    public void The_change_survives_json_and_recomputes_to_the_same_due_date()
    {
        var changed = Listed().ChangeLimit(T("2026-06-01T10:00:00+08:00"), Extended, "受到行政处罚需整改", Basis, Mainland).Value;
        var json = changed.ToJson();
        Assert.Contains("\"kind\":\"limitChanged\"", json);
        var read = Clock.FromJson(json);
        Assert.Equal(changed.DueDate, read.DueDate);
        Assert.Equal("audit.cycle.extended", read.EffectiveLimit.RuleId);
        Assert.Equal(changed.DueDate, read.Recompute(Mainland).DueDate);
        Assert.Equal(changed.Deadline(Mainland).DueDate, read.Recompute(Mainland).Deadline(Mainland).DueDate);

        // A clock stored before the event existed still reads.
        var old = Listed().ToJson();
        Assert.DoesNotContain("limitChanged", old);
        Assert.Equal(D("2027-03-10"), Clock.FromJson(old).DueDate);
    }

    [Fact]
    public void Refusals_name_the_field_and_change_nothing()
    {
        var clock = Listed();
        var at = T("2026-06-01T10:00:00+08:00");

        var blank = clock.ChangeLimit(at, Extended, " ", Basis, Mainland);
        Assert.Equal((ClockRefusalReason.MissingField, "reason"), (blank.Refusal!.Reason, blank.Refusal.Field));
        Assert.Same(clock, blank.Clock);

        var invalid = clock.ChangeLimit(at, new TimeLimit(0, PeriodUnit.Years), "x", null, Mainland);
        Assert.Equal((ClockRefusalReason.InvalidLimit, "limit"), (invalid.Refusal!.Reason, invalid.Refusal.Field));

        var same = clock.ChangeLimit(at, Cycle, "x", null, Mainland);
        Assert.Equal((ClockRefusalReason.SameLimit, "limit"), (same.Refusal!.Reason, same.Refusal.Field));
        var changed = clock.ChangeLimit(at, Extended, "x", null, Mainland).Value;
        Assert.Equal(ClockRefusalReason.SameLimit, changed.ChangeLimit(at.AddDays(1), Extended, "again", null, Mainland).Refusal!.Reason);

        var stopped = clock.Stop(at, Mainland).Value;
        Assert.Equal((ClockRefusalReason.AlreadyFinished, "state"), (stopped.ChangeLimit(at.AddDays(1), Extended, "x", null, Mainland).Refusal!.Reason,
            stopped.ChangeLimit(at.AddDays(1), Extended, "x", null, Mainland).Refusal!.Field));

        Assert.Equal(ClockRefusalReason.EventBeforePrevious, clock.ChangeLimit(T("2026-03-01T00:00:00+08:00"), Extended, "x", null, Mainland).Refusal!.Reason);
        Assert.Throws<ClockEventRefusedException>(() => blank.Value);
    }
}
