using CleanProdFlow.Timing.Calendars;

namespace CleanProdFlow.Timing.Clocks;

/// <summary>
/// Recomputes stored clocks after a calendar year was loaded. Only clocks whose last computation read that
/// year are recomputed; each result carries the old and the new due date, so the runtime can re-arm timers
/// and journal the change. A recomputed clock equals one replayed from scratch on the new calendar.
/// </summary>
public static class CalendarChange
{
    public static IReadOnlyList<RecomputedClock<TKey>> Recompute<TKey>(CalendarLoad load, IEnumerable<KeyValuePair<TKey, Clock>> clocks)
    {
        ArgumentNullException.ThrowIfNull(load);
        ArgumentNullException.ThrowIfNull(clocks);
        return clocks
            .Where(c => c.Value.DependsOn(load.Year))
            .Select(c => new RecomputedClock<TKey>(c.Key, c.Value, c.Value.Recompute(load.After)))
            .ToList();
    }
}

/// <summary>One clock before and after a calendar change.</summary>
public sealed record RecomputedClock<TKey>(TKey Key, Clock Before, Clock After)
{
    public DateOnly? OldDueDate => Before.DueDate;

    public DateOnly? NewDueDate => After.DueDate;

    public DateTimeOffset? OldDueAt => Before.DueAt;

    public DateTimeOffset? NewDueAt => After.DueAt;

    public bool DueDateChanged => OldDueDate != NewDueDate;

    /// <summary>Running clocks have timers to re-arm; finished ones only get a journal entry.</summary>
    public bool NeedsTimer => After.State == ClockState.Running && After.DueAt is not null;
}
