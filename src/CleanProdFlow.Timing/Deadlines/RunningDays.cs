using CleanProdFlow.Timing.Calendars;

namespace CleanProdFlow.Timing.Deadlines;

/// <summary>
/// The days a clock counts, as ranges of dates. Day d counts when the clock runs up to its 24:00: a running
/// span [a, b) counts the days date(a) … date(b) − 1 (Beijing time). The start day never counts.
/// Walking the ranges costs O(number of pauses); each range is counted in O(1) on the calendar's index.
/// </summary>
internal sealed class RunningDays
{
    private readonly List<(DateOnly From, DateOnly Through)> _ranges = [];

    private RunningDays(DateOnly startDay)
    {
        StartDay = startDay;
    }

    public DateOnly StartDay { get; }

    /// <summary>False when the clock is paused (or ended) with no running span after: nothing past the last range counts.</summary>
    public bool OpenEnded { get; private set; }

    /// <summary>The days counted from <paramref name="start"/>, given valid pauses in order and, optionally, the instant counting ends.</summary>
    public static RunningDays From(DateTimeOffset start, IReadOnlyList<Pause> pauses, DateTimeOffset? end = null)
    {
        var startDay = BeijingTime.DateOf(start);
        var days = new RunningDays(startDay);
        var from = startDay.AddDays(1);
        foreach (var pause in pauses)
        {
            if (end is not null && pause.From >= end)
            {
                break;
            }

            days.Add(from, BeijingTime.DateOf(pause.From).AddDays(-1));
            if (pause.To is null || (end is not null && pause.To >= end))
            {
                return days;
            }

            from = Later(BeijingTime.DateOf(pause.To.Value), startDay.AddDays(1));
        }

        if (end is null)
        {
            days.OpenEnded = true;
            days._ranges.Add((from, DateOnly.MaxValue));
        }
        else
        {
            days.Add(from, BeijingTime.DateOf(end.Value).AddDays(-1));
        }

        return days;
    }

    /// <summary>The <paramref name="n"/>-th counted working day strictly after <paramref name="after"/>; null when counting stops first.</summary>
    public DateOnly? NthWorkingDay(WorkingDayCalendar calendar, DateOnly after, int n)
    {
        foreach (var (from, through) in _ranges)
        {
            var first = Later(from, after.AddDays(1));
            if (first > through)
            {
                continue;
            }

            if (through == DateOnly.MaxValue)
            {
                return calendar.AddWorkingDays(first.AddDays(-1), n);
            }

            var available = calendar.WorkingDaysBetween(first.AddDays(-1), through);
            if (n <= available)
            {
                return calendar.AddWorkingDays(first.AddDays(-1), n);
            }

            n -= available;
        }

        return null;
    }

    /// <summary>The <paramref name="n"/>-th counted natural day strictly after <paramref name="after"/>; null when counting stops first.</summary>
    public DateOnly? NthDay(DateOnly after, int n)
    {
        foreach (var (from, through) in _ranges)
        {
            var first = Later(from, after.AddDays(1));
            if (first > through)
            {
                continue;
            }

            if (through == DateOnly.MaxValue)
            {
                return first.AddDays(n - 1);
            }

            var available = through.DayNumber - first.DayNumber + 1;
            if (n <= available)
            {
                return first.AddDays(n - 1);
            }

            n -= available;
        }

        return null;
    }

    /// <summary>Counted working days in (<paramref name="after"/>, <paramref name="through"/>].</summary>
    public int CountWorkingDays(WorkingDayCalendar calendar, DateOnly after, DateOnly through)
    {
        var count = 0;
        foreach (var (from, to) in _ranges)
        {
            var first = Later(from, after.AddDays(1));
            var last = to < through ? to : through;
            if (first <= last)
            {
                count += calendar.WorkingDaysBetween(first.AddDays(-1), last);
            }
        }

        return count;
    }

    /// <summary>The last day that can count, or null when the clock runs on without end.</summary>
    public DateOnly? LastCountableDay =>
        OpenEnded ? null : _ranges.Count == 0 ? StartDay : _ranges[^1].Through;

    private void Add(DateOnly from, DateOnly through)
    {
        if (from <= through)
        {
            _ranges.Add((from, through));
        }
    }

    private static DateOnly Later(DateOnly a, DateOnly b) => a > b ? a : b;
}
