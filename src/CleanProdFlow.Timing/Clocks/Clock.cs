using System.Text.Json;
using System.Text.Json.Serialization;
using CleanProdFlow.Timing.Calendars;
using CleanProdFlow.Timing.Deadlines;

namespace CleanProdFlow.Timing.Clocks;

/// <summary>
/// The clock of one statutory time limit of a case (e.g. acceptance → EIA decision). Immutable: every
/// event returns a new clock with its due date recomputed, or a refusal with this clock unchanged.
/// The events are the truth; the due date, calendar version and provisional years record the last
/// computation, for the database and the timers. Serialises with System.Text.Json (<see cref="ToJson"/>).
/// </summary>
public sealed class Clock
{
    [JsonConstructor]
    internal Clock(
        TimeLimit limit,
        bool fastTrack,
        IReadOnlyList<ClockEvent> events,
        ClockState state,
        DateOnly? dueDate,
        string calendarVersion,
        IReadOnlyList<int> provisionalYears,
        int firstYear,
        int lastYear)
    {
        ArgumentNullException.ThrowIfNull(limit);
        ArgumentNullException.ThrowIfNull(events);

        // Stored state is replayed, so a row edited by hand into an impossible sequence is refused on load.
        var replayed = Replay(events);
        if (replayed != state)
        {
            throw new JsonException($"Clock state '{state}' does not match its events, which end '{replayed}'.");
        }

        Limit = limit;
        FastTrack = fastTrack;
        Events = events;
        State = state;
        DueDate = dueDate;
        CalendarVersion = calendarVersion;
        ProvisionalYears = provisionalYears;
        FirstYear = firstYear;
        LastYear = lastYear;
    }

    public TimeLimit Limit { get; }

    public bool FastTrack { get; }

    public IReadOnlyList<ClockEvent> Events { get; }

    public ClockState State { get; }

    /// <summary>The last day of the period; null while paused (the state says why).</summary>
    public DateOnly? DueDate { get; }

    /// <summary>24:00 Beijing time of <see cref="DueDate"/>: when the timer fires.</summary>
    public DateTimeOffset? DueAt => DueDate is { } due ? BeijingTime.EndOf(due) : null;

    public string CalendarVersion { get; }

    /// <summary>Provisional years the due date was computed on: loading one of them recomputes the clock.</summary>
    public IReadOnlyList<int> ProvisionalYears { get; }

    /// <summary>First year whose calendar the computation read.</summary>
    public int FirstYear { get; }

    /// <summary>Last year whose calendar the computation read.</summary>
    public int LastYear { get; }

    [JsonIgnore]
    public DateTimeOffset StartedAt => Events[0].At;

    [JsonIgnore]
    public bool IsFinished => State is ClockState.Stopped or ClockState.Cancelled;

    /// <summary>Starts a clock for <paramref name="limit"/> at <paramref name="at"/>.</summary>
    public static ClockResult Start(TimeLimit limit, bool fastTrack, DateTimeOffset at, WorkingDayCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(limit);
        var limitErrors = limit.Validate();
        if (limitErrors.Count > 0)
        {
            var error = limitErrors[0];
            return ClockResult.Refused(null, new ClockRefusal(ClockRefusalReason.InvalidLimit, error.Field, error.MessageEn, error.MessageZh));
        }

        if (!WorkingDayCalendar.Contains(BeijingTime.DateOf(at)))
        {
            return ClockResult.Refused(null, Refusal(ClockRefusalReason.OutsideCalendar, "at",
                $"a clock must start in {WorkingDayCalendar.FirstYear}–{WorkingDayCalendar.LastYear}",
                $"计时须在 {WorkingDayCalendar.FirstYear}–{WorkingDayCalendar.LastYear} 年之间开始"));
        }

        return Compute(null, limit, fastTrack, [new ClockStarted(at)], ClockState.Running, calendar);
    }

    /// <summary>Pauses the clock: the time until it resumes is not counted.</summary>
    public ClockResult Pause(DateTimeOffset at, string reason, string? legalBasis, WorkingDayCalendar calendar)
    {
        if (Check(at, State == ClockState.Paused ? ClockRefusalReason.AlreadyPaused : null) is { } refused)
        {
            return refused;
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            return Refuse(ClockRefusalReason.MissingField, "reason", "a pause needs its reason", "暂停须说明理由");
        }

        return Apply(new ClockPaused(at, reason.Trim(), string.IsNullOrWhiteSpace(legalBasis) ? null : legalBasis.Trim()), ClockState.Paused, calendar);
    }

    public ClockResult Resume(DateTimeOffset at, WorkingDayCalendar calendar)
    {
        if (Check(at, State == ClockState.Running ? ClockRefusalReason.NotPaused : null) is { } refused)
        {
            return refused;
        }

        return Apply(new ClockResumed(at), ClockState.Running, calendar);
    }

    /// <summary>Extends the limit by <paramref name="days"/> working days, approved by <paramref name="approver"/>.</summary>
    public ClockResult Extend(DateTimeOffset at, int days, string approver, string reason, WorkingDayCalendar calendar)
    {
        if (Check(at, null) is { } refused)
        {
            return refused;
        }

        var total = Events.OfType<ClockExtended>().Sum(e => e.Days) + (long)days;
        if (days < 1 || total > TimeLimit.MaxAmount)
        {
            return Refuse(ClockRefusalReason.InvalidDays, "days",
                $"an extension must be at least 1 working day and all extensions at most {TimeLimit.MaxAmount}",
                $"延长天数须至少 1 个工作日，且累计不超过 {TimeLimit.MaxAmount}");
        }

        if (string.IsNullOrWhiteSpace(approver))
        {
            return Refuse(ClockRefusalReason.MissingField, "approver", "an extension needs its approver", "延长须载明批准人");
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            return Refuse(ClockRefusalReason.MissingField, "reason", "an extension needs its reason", "延长须说明理由");
        }

        return Apply(new ClockExtended(at, days, approver.Trim(), reason.Trim()), State, calendar);
    }

    /// <summary>Stops the clock: the step it times is done. The due date stays, for the compliance record.</summary>
    public ClockResult Stop(DateTimeOffset at, WorkingDayCalendar calendar) =>
        Check(at, null) ?? Apply(new ClockStopped(at), ClockState.Stopped, calendar);

    public ClockResult Cancel(DateTimeOffset at, string reason, WorkingDayCalendar calendar)
    {
        if (Check(at, null) is { } refused)
        {
            return refused;
        }

        return string.IsNullOrWhiteSpace(reason)
            ? Refuse(ClockRefusalReason.MissingField, "reason", "a cancellation needs its reason", "撤销计时须说明理由")
            : Apply(new ClockCancelled(at, reason.Trim()), ClockState.Cancelled, calendar);
    }

    /// <summary>
    /// Leaves the fast track: the full limit applies from <paramref name="at"/> on, counted from the same start with
    /// the same pauses and extensions, so the working days already used stay used.
    /// </summary>
    public ClockResult EndFastTrack(DateTimeOffset at, string reason, WorkingDayCalendar calendar)
    {
        if (Check(at, !IsOnFastTrack(Events) ? ClockRefusalReason.NotFastTrack : null) is { } refused)
        {
            return refused;
        }

        return string.IsNullOrWhiteSpace(reason)
            ? Refuse(ClockRefusalReason.MissingField, "reason", "leaving the fast track needs its reason", "退出绿色通道须说明理由")
            : Apply(new ClockFastTrackEnded(at, reason.Trim()), State, calendar);
    }

    /// <summary>
    /// Changes the limit to <paramref name="limit"/> (e.g. the audit cycle extended to two years): from
    /// <paramref name="at"/> on the new limit applies, counted from the same start with the same pauses and extensions.
    /// </summary>
    public ClockResult ChangeLimit(DateTimeOffset at, TimeLimit limit, string reason, string? legalBasis, WorkingDayCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(limit);
        if (Check(at, null) is { } refused)
        {
            return refused;
        }

        var limitErrors = limit.Validate();
        if (limitErrors.Count > 0)
        {
            var error = limitErrors[0];
            return ClockResult.Refused(this, new ClockRefusal(ClockRefusalReason.InvalidLimit, error.Field, error.MessageEn, error.MessageZh));
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            return Refuse(ClockRefusalReason.MissingField, "reason", "changing the limit needs its reason", "变更期限须说明理由");
        }

        var current = EffectiveLimit;
        if (current.Amount == limit.Amount && current.Unit == limit.Unit && current.RuleId == limit.RuleId)
        {
            return Refuse(ClockRefusalReason.SameLimit, "limit", $"the clock already counts {limit.Name(Language.En)}", $"该计时已按{limit.Name(Language.ZhCn)}计算");
        }

        return Apply(new ClockLimitChanged(at, limit, reason.Trim(), string.IsNullOrWhiteSpace(legalBasis) ? null : legalBasis.Trim()), State, calendar);
    }

    /// <summary>The limit in force: the last <see cref="ClockLimitChanged"/>'s, else the one the clock started with.</summary>
    [JsonIgnore]
    public TimeLimit EffectiveLimit => EffectiveLimitOf(Limit, Events);

    private static TimeLimit EffectiveLimitOf(TimeLimit limit, IReadOnlyList<ClockEvent> events) =>
        events.OfType<ClockLimitChanged>().LastOrDefault()?.Limit ?? limit;

    /// <summary>Whether the halved limit still applies: started on the fast track and not ended since.</summary>
    [JsonIgnore]
    public bool IsFastTrackInForce => IsOnFastTrack(Events);

    private bool IsOnFastTrack(IReadOnlyList<ClockEvent> events) => FastTrack && !events.OfType<ClockFastTrackEnded>().Any();

    /// <summary>The same events computed on another calendar (e.g. after an official year was loaded).</summary>
    public Clock Recompute(WorkingDayCalendar calendar) => Compute(this, Limit, FastTrack, Events, State, calendar).Value;

    /// <summary>True when the recorded computation read <paramref name="year"/> of the calendar.</summary>
    public bool DependsOn(int year) => year >= FirstYear && year <= LastYear;

    /// <summary>The deadline request the events amount to: the start, the pauses (the last may be open) and the extensions.</summary>
    public DeadlineRequest ToDeadlineRequest() => ToDeadlineRequest(Events);

    /// <summary>The deadline on <paramref name="calendar"/>, with its explanation.</summary>
    public Deadline Deadline(WorkingDayCalendar calendar) => Deadlines.Deadline.Compute(calendar, ToDeadlineRequest());

    /// <summary>Where the clock stands at <paramref name="asOf"/>: working days used and left, overdue or not. Events after <paramref name="asOf"/> are ignored.</summary>
    public ClockProgress ProgressAt(DateTimeOffset asOf, WorkingDayCalendar calendar)
    {
        var events = Events.Where(e => e.At <= asOf).ToList();
        if (events.Count == 0)
        {
            return new ClockProgress(asOf, ClockState.Running, null, 0, null, null, 0, false);
        }

        var state = Replay(events);
        var request = ToDeadlineRequest(events);
        var deadline = Deadlines.Deadline.Compute(calendar, request);
        var end = events[^1] is ClockStopped or ClockCancelled ? events[^1].At : asOf;
        var running = RunningDays.From(request.Start, request.PauseList, end);
        var used = running.LastCountableDay is { } last ? running.CountWorkingDays(calendar, deadline.StartDay, last) : 0;

        // The working days the whole period holds: known for a working-day limit even while paused.
        int? total = deadline.DueDate is not null ? deadline.WorkingDaysCounted
            : EffectiveLimitOf(Limit, events).Unit == PeriodUnit.WorkingDays ? deadline.LimitApplied + deadline.ExtensionDays
            : null;
        int? left = total is { } t ? Math.Max(0, t - used) : null;
        var overdueDays = total is { } limit ? Math.Max(0, used - limit) : 0;
        var overdue = deadline.DueAt is { } dueAt && end > dueAt;
        return new ClockProgress(asOf, state, deadline.DueDate, used, total, left, overdueDays, overdue);
    }

    /// <summary>
    /// The instant the clock will have used <paramref name="workingDays"/> working days (24:00 of that day), if it
    /// keeps running — for reminders at 50 % and 75 % of the limit; null while paused.
    /// </summary>
    public DateTimeOffset? WhenWorkingDaysUsed(int workingDays, WorkingDayCalendar calendar)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workingDays, 1);
        var request = ToDeadlineRequest();
        var day = RunningDays.From(request.Start, request.PauseList).NthWorkingDay(calendar, BeijingTime.DateOf(request.Start), workingDays);
        return day is { } d ? BeijingTime.EndOf(d) : null;
    }

    /// <summary>
    /// When the reminders of DESIGN §4 fall due if the clock keeps running: 50 % and 75 % of the limit used and one
    /// working day before the due date (24:00 of that working day). All null while the clock is paused or finished.
    /// For limits in natural days, months or years the shares are of the time between start and due instant.
    /// </summary>
    public ClockReminders Reminders(WorkingDayCalendar calendar)
    {
        if (State != ClockState.Running || DueAt is not { } due)
        {
            return ClockReminders.None;
        }

        if (EffectiveLimit.Unit == PeriodUnit.WorkingDays)
        {
            var deadline = Deadline(calendar);
            var total = deadline.WorkingDaysCounted;
            DateTimeOffset? Used(int days) => days >= 1 && days <= total ? WhenWorkingDaysUsed(days, calendar) : null;
            return new ClockReminders(Used((total + 1) / 2), Used((3 * total + 3) / 4), total > 1 ? Used(total - 1) : null);
        }

        var span = due - StartedAt;
        // The last day of the period is the day before the due instant (24:00); the reminder is the working day before it.
        var day = BeijingTime.DateOf(due.AddTicks(-1)).AddDays(-1);
        while (day > WorkingDayCalendar.FirstDay && !calendar.IsWorkingDay(day))
        {
            day = day.AddDays(-1);
        }

        var dayBefore = BeijingTime.EndOf(day);
        return new ClockReminders(StartedAt + span / 2, StartedAt + span * 3 / 4, dayBefore > StartedAt ? dayBefore : null);
    }

    /// <summary>The breakdown a person needs, as of <paramref name="asOf"/>, in zh-CN or en.</summary>
    public IReadOnlyList<string> Explain(DateTimeOffset asOf, WorkingDayCalendar calendar, Language language)
    {
        var zh = language == Language.ZhCn;
        var deadline = Deadline(calendar);
        var progress = ProgressAt(asOf, calendar);
        var lines = new List<string>
        {
            zh ? $"计时：{EffectiveLimit.Name(language)}；状态：{StateName(State, language)}。" : $"Clock: {EffectiveLimit.Name(language)}; state: {StateName(State, language)}.",
        };
        lines.AddRange(deadline.Explain(language, asOf));

        foreach (var ended in Events.OfType<ClockFastTrackEnded>())
        {
            lines.Add(zh
                ? $"（{BeijingTime.Format(ended.At)} 起退出绿色通道，适用完整时限；理由：{ended.Reason}。）"
                : $"(Left the fast track {BeijingTime.Format(ended.At)}: the full limit applies; reason: {ended.Reason}.)");
        }

        foreach (var changed in Events.OfType<ClockLimitChanged>())
        {
            var basis = changed.LegalBasis is null ? "" : zh ? $"；依据：{changed.LegalBasis}" : $"; legal basis: {changed.LegalBasis}";
            lines.Add(zh
                ? $"（{BeijingTime.Format(BeijingTime.DateOf(changed.At))} 起改按{changed.Limit.Name(language)}计算；理由：{changed.Reason}{basis}。）"
                : $"(From {BeijingTime.Format(BeijingTime.DateOf(changed.At))} counted as {changed.Limit.Name(language)}; reason: {changed.Reason}{basis}.)");
        }

        foreach (var extension in Events.OfType<ClockExtended>())
        {
            lines.Add(zh ? $"（延长于 {BeijingTime.Format(extension.At)} 批准。）" : $"(Extension approved {BeijingTime.Format(extension.At)}.)");
        }

        var asOfText = BeijingTime.Format(asOf);
        switch (Events[^1])
        {
            case ClockStopped stopped:
                var late = DueAt is { } dueAt && stopped.At > dueAt;
                lines.Add(zh
                    ? $"已于 {BeijingTime.Format(stopped.At)} 停止，用时 {progress.WorkingDaysUsed} 个工作日，{(late ? $"超过期限 {progress.WorkingDaysOverdue} 个工作日" : "在期限内")}。"
                    : $"Stopped {BeijingTime.Format(stopped.At)} after {progress.WorkingDaysUsed} working days, {(late ? $"{progress.WorkingDaysOverdue} working days late" : "within the limit")}.");
                break;
            case ClockCancelled cancelled:
                lines.Add(zh
                    ? $"已于 {BeijingTime.Format(cancelled.At)} 撤销计时；理由：{cancelled.Reason}。"
                    : $"Cancelled {BeijingTime.Format(cancelled.At)}; reason: {cancelled.Reason}.");
                break;
            default:
                if (progress.IsOverdue)
                {
                    lines.Add(zh
                        ? $"截至 {asOfText}：已用 {progress.WorkingDaysUsed} 个工作日，已超期 {progress.WorkingDaysOverdue} 个工作日。"
                        : $"As of {asOfText}: {progress.WorkingDaysUsed} working days used, {progress.WorkingDaysOverdue} working days overdue.");
                }
                else if (progress.WorkingDaysLeft is { } left)
                {
                    lines.Add(zh
                        ? $"截至 {asOfText}：已用 {progress.WorkingDaysUsed} 个工作日，剩余 {left} 个工作日。"
                        : $"As of {asOfText}: {progress.WorkingDaysUsed} working days used, {left} working days left.");
                }
                else
                {
                    lines.Add(zh
                        ? $"截至 {asOfText}：已用 {progress.WorkingDaysUsed} 个工作日；暂停中，剩余时间待恢复后确定。"
                        : $"As of {asOfText}: {progress.WorkingDaysUsed} working days used; paused, the time left is known once it resumes.");
                }

                break;
        }

        return lines;
    }

    public string ToJson() => JsonSerializer.Serialize(this, TimingJson.Options);

    /// <summary>Reads a stored clock; throws <see cref="JsonException"/> when the JSON or its event sequence is invalid.</summary>
    public static Clock FromJson(string json) =>
        JsonSerializer.Deserialize<Clock>(json, TimingJson.Options) ?? throw new JsonException("A clock cannot be null.");

    public override string ToString() => $"{EffectiveLimit.RuleId ?? EffectiveLimit.Unit.ToString()} {State} due {DueDate?.ToString("yyyy-MM-dd") ?? "-"}";

    private static ClockResult Compute(Clock? before, TimeLimit limit, bool fastTrack, IReadOnlyList<ClockEvent> events, ClockState state, WorkingDayCalendar calendar)
    {
        Deadline deadline;
        try
        {
            deadline = Deadlines.Deadline.Compute(calendar, ToDeadlineRequest(limit, fastTrack, events));
        }
        catch (CalendarRangeException)
        {
            return ClockResult.Refused(before, Refusal(ClockRefusalReason.OutsideCalendar, "at",
                $"the due date would fall after {BeijingTime.Format(WorkingDayCalendar.LastDay)}",
                $"截止日将晚于 {BeijingTime.Format(WorkingDayCalendar.LastDay)}"));
        }

        return ClockResult.Ok(new Clock(limit, fastTrack, events, state, deadline.DueDate, deadline.CalendarVersion,
            deadline.ProvisionalYears, deadline.YearsSpanned.First, deadline.YearsSpanned.Last));
    }

    private ClockResult Apply(ClockEvent @event, ClockState state, WorkingDayCalendar calendar) =>
        Compute(this, Limit, FastTrack, [.. Events, @event], state, calendar);

    // The checks every event shares: not after stop/cancel, not earlier than the previous event.
    private ClockResult? Check(DateTimeOffset at, ClockRefusalReason? stateRefusal)
    {
        if (IsFinished)
        {
            return Refuse(ClockRefusalReason.AlreadyFinished, "state", $"the clock is {StateName(State, Language.En)}", $"计时{StateName(State, Language.ZhCn)}");
        }

        if (at < Events[^1].At)
        {
            return Refuse(ClockRefusalReason.EventBeforePrevious, "at",
                $"{BeijingTime.Format(at)} is earlier than the previous event at {BeijingTime.Format(Events[^1].At)}",
                $"{BeijingTime.Format(at)} 早于上一事件时间 {BeijingTime.Format(Events[^1].At)}");
        }

        return stateRefusal switch
        {
            ClockRefusalReason.AlreadyPaused => Refuse(ClockRefusalReason.AlreadyPaused, "state", "the clock is already paused", "计时已暂停"),
            ClockRefusalReason.NotPaused => Refuse(ClockRefusalReason.NotPaused, "state", "the clock is not paused", "计时未暂停，无需恢复"),
            ClockRefusalReason.NotFastTrack => Refuse(ClockRefusalReason.NotFastTrack, "state", "the clock is not on the fast track", "该计时不适用绿色通道（或已退出）"),
            _ => null,
        };
    }

    private ClockResult Refuse(ClockRefusalReason reason, string field, string en, string zh) =>
        ClockResult.Refused(this, Refusal(reason, field, en, zh));

    private static ClockRefusal Refusal(ClockRefusalReason reason, string field, string en, string zh) => new(reason, field, en, zh);

    private DeadlineRequest ToDeadlineRequest(IReadOnlyList<ClockEvent> events) => ToDeadlineRequest(Limit, FastTrack, events);

    private static DeadlineRequest ToDeadlineRequest(TimeLimit limit, bool fastTrack, IReadOnlyList<ClockEvent> events)
    {
        var pauses = new List<Pause>();
        var extensions = new List<Extension>();
        ClockPaused? open = null;
        foreach (var @event in events)
        {
            switch (@event)
            {
                case ClockPaused paused:
                    open = paused;
                    break;
                case ClockResumed resumed when open is not null:
                    pauses.Add(new Pause(open.At, resumed.At, open.Reason, open.LegalBasis));
                    open = null;
                    break;
                case ClockExtended extended:
                    extensions.Add(new Extension(extended.Days, extended.Approver, extended.Reason));
                    break;
            }
        }

        // Stopped or cancelled while paused: the pause stays open, so there is no due date to meet.
        if (open is not null)
        {
            pauses.Add(new Pause(open.At, null, open.Reason, open.LegalBasis));
        }

        // Once the fast track ended, the full limit counts (from the same start: used days stay used).
        var halved = fastTrack && !events.OfType<ClockFastTrackEnded>().Any();
        // A changed limit counts from the same start, with the same pauses and extensions.
        return new DeadlineRequest(events[0].At, EffectiveLimitOf(limit, events), halved, pauses, extensions);
    }

    // The state machine, without a calendar: used to check stored clocks and to find the state at a past instant.
    private static ClockState Replay(IReadOnlyList<ClockEvent> events)
    {
        if (events.Count == 0 || events[0] is not ClockStarted)
        {
            throw new JsonException("A clock's events must begin with 'started'.");
        }

        var state = ClockState.Running;
        for (var i = 1; i < events.Count; i++)
        {
            var @event = events[i];
            if (@event.At < events[i - 1].At)
            {
                throw new JsonException($"Event {i} ({@event.GetType().Name}) is earlier than the event before it.");
            }

            state = (state, @event) switch
            {
                (ClockState.Running, ClockPaused) => ClockState.Paused,
                (ClockState.Paused, ClockResumed) => ClockState.Running,
                (ClockState.Running or ClockState.Paused, ClockExtended or ClockFastTrackEnded or ClockLimitChanged) => state,
                (ClockState.Running or ClockState.Paused, ClockStopped) => ClockState.Stopped,
                (ClockState.Running or ClockState.Paused, ClockCancelled) => ClockState.Cancelled,
                _ => throw new JsonException($"Event {i} ({@event.GetType().Name}) cannot follow state {state}."),
            };
        }

        return state;
    }

    private static string StateName(ClockState state, Language language) => (state, language) switch
    {
        (ClockState.Running, Language.ZhCn) => "计时中",
        (ClockState.Paused, Language.ZhCn) => "暂停中",
        (ClockState.Stopped, Language.ZhCn) => "已停止",
        (ClockState.Cancelled, Language.ZhCn) => "已撤销",
        (ClockState.Running, _) => "running",
        (ClockState.Paused, _) => "paused",
        (ClockState.Stopped, _) => "stopped",
        _ => "cancelled",
    };
}
