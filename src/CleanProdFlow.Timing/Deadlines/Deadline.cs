using System.Globalization;
using CleanProdFlow.Timing.Calendars;

namespace CleanProdFlow.Timing.Deadlines;

/// <summary>
/// A computed deadline: the due date (the last day of the period) and the instant it expires (24:00 of that
/// day, Beijing time), with everything an explanation needs. Null due date = the clock is paused and has
/// not yet reached its limit.
/// </summary>
public sealed class Deadline
{
    private readonly WorkingDayCalendar _calendar;

    private Deadline(DeadlineRequest request, WorkingDayCalendar calendar)
    {
        Request = request;
        _calendar = calendar;
        CalendarVersion = calendar.Version;
    }

    public DeadlineRequest Request { get; }

    public DateOnly StartDay => BeijingTime.DateOf(Request.Start);

    /// <summary>The limit in force (halved on the fast track when the rule allows).</summary>
    public int LimitApplied { get; private init; }

    public bool Halved => Request.Limit.IsHalved(Request.FastTrack);

    public int ExtensionDays => Request.ExtensionDays;

    /// <summary>For natural-day, month and year periods: the last day before moving off a day that is not worked.</summary>
    public DateOnly? NominalLastDay { get; private init; }

    /// <summary>True when the nominal last day was not a working day and the period moved to the next one (民法典 art. 203).</summary>
    public bool MovedToNextWorkingDay { get; private init; }

    public DateOnly? DueDate { get; private init; }

    /// <summary>24:00 Beijing time of <see cref="DueDate"/>, written as 00:00+08:00 of the next day.</summary>
    public DateTimeOffset? DueAt => DueDate is { } due ? BeijingTime.EndOf(due) : null;

    /// <summary>Working days counted from the start through the due date (through the pause when paused).</summary>
    public int WorkingDaysCounted { get; private init; }

    /// <summary>When the due date is null: the start of the ongoing pause that holds the clock.</summary>
    public Pause? OpenPause => DueDate is null ? Request.PauseList.LastOrDefault(p => p.To is null) : null;

    public string CalendarVersion { get; }

    /// <summary>The years, first to last, whose calendar the result depends on (the start day's year is not among them unless counted).</summary>
    public (int First, int Last) YearsSpanned { get; private init; }

    /// <summary>True when any year the result depends on is provisional: it will be recomputed when that year's notice is loaded.</summary>
    public bool Provisional => ProvisionalYears.Count > 0;

    public IReadOnlyList<int> ProvisionalYears =>
        Enumerable.Range(YearsSpanned.First, Math.Max(0, YearsSpanned.Last - YearsSpanned.First + 1))
            .Where(_calendar.IsProvisional).ToList();

    /// <summary>Computes the deadline; throws <see cref="InvalidInputException"/> for an invalid request and <see cref="CalendarRangeException"/> past 2100.</summary>
    public static Deadline Compute(WorkingDayCalendar calendar, DeadlineRequest request)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentNullException.ThrowIfNull(request);
        var errors = request.Validate();
        if (errors.Count > 0)
        {
            throw new InvalidInputException(errors);
        }

        var startDay = BeijingTime.DateOf(request.Start);
        var applied = request.Limit.AppliedAmount(request.FastTrack);
        var extension = request.ExtensionDays;

        // Without pauses everything is a few index reads: the common case, kept allocation-light.
        var running = request.PauseList.Count == 0 ? null : RunningDays.From(request.Start, request.PauseList);

        DateOnly? nominal = null;
        DateOnly? due;
        var moved = false;
        if (request.Limit.Unit == PeriodUnit.WorkingDays)
        {
            due = running is null
                ? calendar.AddWorkingDays(startDay, applied + extension)
                : running.NthWorkingDay(calendar, startDay, applied + extension);
        }
        else
        {
            var naturalDays = request.Limit.Unit switch
            {
                PeriodUnit.NaturalDays => applied,
                // DateOnly.AddMonths keeps the day or clamps to month end: art. 202's "corresponding date or month end".
                PeriodUnit.Months => startDay.AddMonths(applied).DayNumber - startDay.DayNumber,
                _ => startDay.AddMonths(applied * 12).DayNumber - startDay.DayNumber,
            };
            nominal = running is null ? startDay.AddDays(naturalDays) : running.NthDay(startDay, naturalDays);
            due = null;
            if (nominal is { } last)
            {
                var worked = calendar.NextWorkingDayOnOrAfter(last);
                moved = worked != last;
                due = extension == 0 ? worked
                    : running is null ? calendar.AddWorkingDays(worked, extension)
                    : running.NthWorkingDay(calendar, worked, extension);
            }
        }

        var lastDay = due ?? running?.LastCountableDay ?? startDay;
        var counted = due is not null && request.Limit.Unit == PeriodUnit.WorkingDays
            ? applied + extension
            : running is null ? calendar.WorkingDaysBetween(startDay, lastDay) : running.CountWorkingDays(calendar, startDay, lastDay);
        var firstYear = Math.Min(startDay.AddDays(1).Year, lastDay.Year);

        return new Deadline(request, calendar)
        {
            LimitApplied = applied,
            NominalLastDay = nominal,
            MovedToNextWorkingDay = moved,
            DueDate = due,
            WorkingDaysCounted = counted,
            YearsSpanned = (firstYear, lastDay.Year),
        };
    }

    /// <summary>
    /// Like <see cref="Compute"/>, but reports an invalid request, or a period running past the calendar's
    /// last day (2100-12-31), as field errors for the API instead of throwing.
    /// </summary>
    public static Validated<Deadline> Evaluate(WorkingDayCalendar calendar, DeadlineRequest request)
    {
        var errors = request.Validate();
        if (errors.Count > 0)
        {
            return Validated<Deadline>.Fail(errors);
        }

        try
        {
            return Validated<Deadline>.Ok(Compute(calendar, request));
        }
        catch (CalendarRangeException e)
        {
            return Validated<Deadline>.Fail(new FieldError("start", "outOfCalendarRange",
                $"the period runs past {BeijingTime.Format(WorkingDayCalendar.LastDay)}, the end of the supported calendar",
                $"期限超出日历支持范围（至 {BeijingTime.Format(WorkingDayCalendar.LastDay)}）：{BeijingTime.Format(e.Day)}"));
        }
    }

    /// <summary>Working days a pause kept from counting (days whose 24:00 fell inside it, after the start day); null while it is open.</summary>
    public int? WorkingDaysPaused(Pause pause)
    {
        if (pause.To is null)
        {
            return null;
        }

        var first = BeijingTime.DateOf(pause.From);
        var after = first.AddDays(-1) > StartDay ? first.AddDays(-1) : StartDay;
        var through = BeijingTime.DateOf(pause.To.Value).AddDays(-1);
        return _calendar.WorkingDaysBetween(after, through);
    }

    /// <summary>The breakdown a person checks, one sentence per line.</summary>
    /// <remarks>With <paramref name="asOf"/>, an open pause also says how many working days it has kept from counting so far.</remarks>
    public IReadOnlyList<string> Explain(Language language, DateTimeOffset? asOf = null)
    {
        var zh = language == Language.ZhCn;
        var lines = new List<string>();
        var limit = Request.Limit;
        lines.Add(zh
            ? $"起算：{BeijingTime.Format(Request.Start)}（北京时间）；起算当日不计入，自次日起算（《民法典》第二百零一条）。"
            : $"Start: {BeijingTime.Format(Request.Start)} Beijing time; the start day is not counted, counting begins the next day (Civil Code art. 201).");

        var ruleName = limit.RuleId is null ? "" : zh ? $"{limit.Name(language)}（{limit.RuleId}）" : $"{limit.Name(language)} ({limit.RuleId})";
        var basis = limit.LegalBasis is null ? "" : zh ? $"；依据：{limit.LegalBasis}" : $"; legal basis: {limit.LegalBasis}";
        lines.Add(zh
            ? $"期限：{ruleName}{limit.Unit.Describe(limit.Amount, language)}{basis}。"
            : $"Time limit: {ruleName}{(ruleName.Length > 0 ? ", " : "")}{limit.Unit.Describe(limit.Amount, language)}{basis}.");
        lines.Add(CountingRule(limit.Unit, language));

        if (Request.FastTrack)
        {
            var rounding = limit.Rounding == HalfRounding.Down ? (zh ? "奇数向下取整" : "odd limits round down") : (zh ? "奇数向上取整" : "odd limits round up");
            lines.Add(Halved
                ? zh
                    ? $"绿色通道时限减半：{limit.Unit.Describe(limit.Amount, language)}减为{limit.Unit.Describe(LimitApplied, language)}（{rounding}）。"
                    : $"Fast track halves the limit: {limit.Unit.Describe(limit.Amount, language)} → {limit.Unit.Describe(LimitApplied, language)} ({rounding})."
                : zh ? "适用绿色通道，但该期限不减半。" : "Fast track applies, but this limit is not halved.");
        }
        else
        {
            lines.Add(zh ? "未适用绿色通道减半。" : "Not halved (no fast track).");
        }

        foreach (var pause in Request.PauseList)
        {
            var paused = WorkingDaysPaused(pause)
                ?? (asOf is { } now ? WorkingDaysPaused(pause with { To = now > pause.From ? now : pause.From }) : null);
            lines.Add(DescribePause(pause, paused, language));
        }

        foreach (var extension in Request.ExtensionList)
        {
            lines.Add(DescribeExtension(extension, language));
        }

        if (MovedToNextWorkingDay && NominalLastDay is { } nominal && DueDate is not null)
        {
            var moved = _calendar.NextWorkingDayOnOrAfter(nominal);
            lines.Add(zh
                ? $"期限最后一日 {BeijingTime.Format(nominal)} 为{_calendar.KindOf(nominal).Describe(language)}，顺延至其后第一个工作日 {BeijingTime.Format(moved)}（《民法典》第二百零三条）。"
                : $"The last day {BeijingTime.Format(nominal)} is a {_calendar.KindOf(nominal).Describe(language)}; the period ends on the next working day, {BeijingTime.Format(moved)} (Civil Code art. 203).");
        }

        if (DueDate is { } due)
        {
            var kind = _calendar.KindOf(due) == DayKind.MakeUpWorkday ? (zh ? "，调休上班日" : ", a make-up working day") : "";
            lines.Add(zh
                ? $"截止日：{BeijingTime.Format(due)}（{WeekdayName(due, language)}{kind}），于 {BeijingTime.Format(due)} 24:00（北京时间）届满；共计 {WorkingDaysCounted} 个工作日。"
                : $"Due date: {BeijingTime.Format(due)} ({WeekdayName(due, language)}{kind}); the period ends at 24:00 Beijing time that day; {WorkingDaysCounted} working days counted.");
        }
        else
        {
            lines.Add(zh
                ? $"暂停中，暂无截止日：恢复计时后重新计算；已计 {WorkingDaysCounted} 个工作日。"
                : $"Paused: no due date until the clock resumes; {WorkingDaysCounted} working days counted so far.");
        }

        lines.Add(zh ? $"日历版本：{CalendarVersion}。" : $"Calendar version: {CalendarVersion}.");
        for (var year = YearsSpanned.First; year <= YearsSpanned.Last; year++)
        {
            lines.Add(DescribeYear(_calendar.Year(year), language));
        }

        return lines;
    }

    /// <summary>The response shape of <c>POST /api/v1/timing/deadline</c>.</summary>
    public DeadlineSummary Summarize(Language language) => new(
        DueDate,
        DueAt,
        LimitApplied,
        Halved,
        ExtensionDays,
        WorkingDaysCounted,
        CalendarVersion,
        Provisional,
        ProvisionalYears,
        OpenPause is { } open ? DescribePause(open, null, language) : null,
        Explain(language));

    internal static string CountingRule(PeriodUnit unit, Language language) => (unit, language) switch
    {
        (PeriodUnit.WorkingDays, Language.ZhCn) =>
            "计算规则：按工作日计算，不含法定节假日，含调休上班日；期限于第 N 个工作日 24:00 届满（《行政许可法》第八十二条）。",
        (PeriodUnit.NaturalDays, Language.ZhCn) =>
            "计算规则：按自然日计算；最后一日为法定休假日的，以休假日结束的次日为最后一日（《民法典》第二百零一条、第二百零三条）。",
        (_, Language.ZhCn) =>
            "计算规则：到期月的对应日为最后一日，没有对应日的以月末日为最后一日；最后一日为法定休假日的顺延至其后第一个工作日（《民法典》第二百零二条、第二百零三条）。",
        (PeriodUnit.WorkingDays, _) =>
            "Counting: working days, excluding public holidays and including make-up working days; the period ends at 24:00 of the N-th working day (Administrative Licensing Law art. 82).",
        (PeriodUnit.NaturalDays, _) =>
            "Counting: natural days; a last day that is not a working day moves to the next working day (Civil Code arts. 201, 203).",
        _ =>
            "Counting: the period ends on the corresponding date of the final month, or that month's last day when there is none; a last day that is not a working day moves to the next working day (Civil Code arts. 202, 203).",
    };

    internal static string DescribePause(Pause pause, int? workingDays, Language language)
    {
        var zh = language == Language.ZhCn;
        var reason = pause.Reason is null ? "" : zh ? $"；理由：{pause.Reason}" : $"; reason: {pause.Reason}";
        var basis = pause.LegalBasis is null ? "" : zh ? $"；依据：{pause.LegalBasis}" : $"; legal basis: {pause.LegalBasis}";
        if (pause.To is { } to)
        {
            return zh
                ? $"暂停 {BeijingTime.Format(pause.From)} 至 {BeijingTime.Format(to)}：{workingDays} 个工作日不计入{reason}{basis}。"
                : $"Paused {BeijingTime.Format(pause.From)} to {BeijingTime.Format(to)}: {workingDays} working days not counted{reason}{basis}.";
        }

        return zh
            ? $"自 {BeijingTime.Format(pause.From)} 起暂停，尚未恢复{(workingDays is null ? "" : $"，至今 {workingDays} 个工作日不计入")}{reason}{basis}。"
            : $"Paused since {BeijingTime.Format(pause.From)}, not yet resumed{(workingDays is null ? "" : $"; {workingDays} working days not counted so far")}{reason}{basis}.";
    }

    internal static string DescribeExtension(Extension extension, Language language)
    {
        var zh = language == Language.ZhCn;
        var approver = extension.Approver is null ? "" : zh ? $"；批准人：{extension.Approver}" : $"; approved by {extension.Approver}";
        var reason = extension.Reason is null ? "" : zh ? $"；理由：{extension.Reason}" : $"; reason: {extension.Reason}";
        return zh
            ? $"延长 {extension.Days} 个工作日{approver}{reason}（《行政许可法》第四十二条）。"
            : $"Extended by {extension.Days} working days{approver}{reason} (Administrative Licensing Law art. 42).";
    }

    internal static string DescribeYear(CalendarYear year, Language language)
    {
        var zh = language == Language.ZhCn;
        return year.Provisional
            ? zh
                ? $"{year.Year} 年为暂定安排：按{year.Source.Title}（{year.Source.DocumentNumber}）推算法定节假日，未含调休；国务院办公厅通知公布后将重新计算。"
                : $"{year.Year} is provisional: statutory holidays computed from {year.Source.Title} ({year.Source.DocumentNumber}), no make-up days; recomputed once the State Council notice is loaded."
            : zh
                ? $"{year.Year} 年为正式安排：{year.Source.Title}（{year.Source.DocumentNumber}）。"
                : $"{year.Year} is official: {year.Source.Title} ({year.Source.DocumentNumber}).";
    }

    internal static string WeekdayName(DateOnly day, Language language) =>
        language == Language.ZhCn
            ? "星期" + "日一二三四五六"[(int)day.DayOfWeek]
            : day.DayOfWeek.ToString();

    public override string ToString() =>
        DueDate is { } due ? string.Create(CultureInfo.InvariantCulture, $"due {BeijingTime.Format(due)} ({CalendarVersion})") : "paused";
}

/// <summary>The deadline as the API returns it; <see cref="PausedReason"/> says why <see cref="DueDate"/> is null.</summary>
public sealed record DeadlineSummary(
    DateOnly? DueDate,
    DateTimeOffset? DueAt,
    int LimitApplied,
    bool Halved,
    int ExtensionDays,
    int WorkingDaysCounted,
    string CalendarVersion,
    bool Provisional,
    IReadOnlyList<int> ProvisionalYears,
    string? PausedReason,
    IReadOnlyList<string> Explanation);
