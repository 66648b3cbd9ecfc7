namespace CleanProdFlow.Timing.Calendars;

/// <summary>A computation needed a day outside the calendar's supported range (2000-01-01 to 2100-12-31).</summary>
public sealed class CalendarRangeException(DateOnly day)
    : Exception($"{BeijingTime.Format(day)} is outside the supported calendar range {WorkingDayCalendar.FirstYear}–{WorkingDayCalendar.LastYear}.")
{
    public DateOnly Day { get; } = day;
}
