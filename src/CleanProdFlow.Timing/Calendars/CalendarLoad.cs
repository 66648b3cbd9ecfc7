namespace CleanProdFlow.Timing.Calendars;

/// <summary>
/// What loading an official year changed: the calendar before and after, the year it replaced
/// (provisional or an earlier notice) and the days whose working status moved.
/// </summary>
public sealed record CalendarLoad(
    WorkingDayCalendar Before,
    WorkingDayCalendar After,
    CalendarYear Replaced,
    CalendarYear Loaded,
    IReadOnlyList<DateOnly> ChangedDays)
{
    public int Year => Loaded.Year;

    public bool ReplacedProvisional => Replaced.Provisional;
}
