namespace CleanProdFlow.Timing.Clocks;

/// <summary>
/// Where a clock stands at an instant. <see cref="WorkingDaysLimit"/> is the working days the whole period
/// holds (limit + extensions for a working-day limit); left is null only for a paused natural-day, month or
/// year clock, whose remaining working days depend on when it resumes.
/// </summary>
public sealed record ClockProgress(
    DateTimeOffset AsOf,
    ClockState State,
    DateOnly? DueDate,
    int WorkingDaysUsed,
    int? WorkingDaysLimit,
    int? WorkingDaysLeft,
    int WorkingDaysOverdue,
    bool IsOverdue)
{
    /// <summary>Share of the limit used (0–1+), for the 50 % and 75 % reminders; null when the limit is not yet known.</summary>
    public double? FractionUsed => WorkingDaysLimit is > 0 and var limit ? (double)WorkingDaysUsed / limit : null;
}

/// <summary>When a running clock's reminders fall due: half and three quarters of the limit used, one working day before due.</summary>
public sealed record ClockReminders(DateTimeOffset? HalfUsedAt, DateTimeOffset? ThreeQuartersUsedAt, DateTimeOffset? DayBeforeDueAt)
{
    public static readonly ClockReminders None = new(null, null, null);
}
