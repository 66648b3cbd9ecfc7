using CleanProdFlow.Timing;
using CleanProdFlow.Timing.Calendars;
using CleanProdFlow.Timing.Clocks;

namespace CleanProdFlow.Domain.Compliance;

/// <summary>Where a statutory clock stands for an auditor (时限合规).</summary>
public enum ComplianceResult
{
    /// <summary>Stopped on or before its due instant (or stopped while paused: there was no due date left to miss).</summary>
    OnTime,

    /// <summary>Stopped after its due instant.</summary>
    Late,

    /// <summary>Still counting and not yet due.</summary>
    Running,

    /// <summary>Still counting past its due instant.</summary>
    Overdue,

    /// <summary>Paused (time not counted): no due date until it resumes.</summary>
    Paused,

    /// <summary>Cancelled (e.g. the application was withdrawn): not part of any on-time rate.</summary>
    Cancelled,
}

/// <summary>The track a clock ran on: halved on the fast track, the full limit on the standard track, or left the fast track.</summary>
public enum ClockTrack
{
    Standard,
    Fast,
    FastEnded,
}

/// <summary>A pause of a clock with the working days it kept out of the count.</summary>
public sealed record PausePeriod(DateTimeOffset From, DateTimeOffset? To, string Reason, string? LegalBasis, int WorkingDays);

/// <summary>
/// The auditor's view of one clock as of an instant: the result, the working days used, the limit, how late, the
/// pauses with their working days, the extensions and when it ended.
/// </summary>
public sealed record ClockVerdict(
    ComplianceResult Result,
    ClockTrack Track,
    DateTimeOffset StartedAt,
    DateTimeOffset? DueAt,
    DateTimeOffset? EndedAt,
    int WorkingDaysUsed,
    int? WorkingDaysLimit,
    int WorkingDaysLate,
    int? WorkingDaysLeft,
    IReadOnlyList<PausePeriod> Pauses,
    IReadOnlyList<ClockExtended> Extensions)
{
    public int WorkingDaysPaused => Pauses.Sum(p => p.WorkingDays);

    public int ExtensionDays => Extensions.Sum(e => e.Days);

    /// <summary>True for the results an on-time rate counts (stopped clocks); running, paused and cancelled ones are not decided yet.</summary>
    public bool IsDecided => Result is ComplianceResult.OnTime or ComplianceResult.Late;
}

/// <summary>
/// What counts as meeting a statutory time limit (DESIGN §4): a clock is on time when it stopped on or before its due
/// instant, 24:00 Beijing time of the period's last day — a decision at 23:59 of that day is on time, one at 00:00
/// the next day is late. A clock stopped while paused had no due date left to miss and is on time. Late is counted
/// in working days after the due date up to and including the day it stopped; a stop on a rest day right after the
/// due date is late by 1 (it came after the limit, before the next working day ended). Pauses count the working days
/// whose end (24:00) fell inside them, the day the clock started excepted (it never counts).
/// </summary>
public static class ClockCompliance
{
    /// <summary>The rule itself: stopped at or before the due instant.</summary>
    public static bool IsOnTime(DateTimeOffset stoppedAt, DateTimeOffset? dueAt) => dueAt is not { } due || stoppedAt <= due;

    /// <summary>Working days late of a clock stopped at <paramref name="stoppedAt"/> with its due instant <paramref name="dueAt"/>; 0 when on time.</summary>
    public static int WorkingDaysLate(DateTimeOffset stoppedAt, DateTimeOffset? dueAt, WorkingDayCalendar calendar)
    {
        if (IsOnTime(stoppedAt, dueAt))
            return 0;
        // The due instant is 24:00 of the last day, i.e. 00:00 of the next: the last day is the day before it.
        var lastDay = BeijingTime.DateOf(dueAt!.Value.AddTicks(-1));
        return Math.Max(1, calendar.WorkingDaysBetween(lastDay, BeijingTime.DateOf(stoppedAt)));
    }

    /// <summary>Working days a pause kept out of the count: those whose end fell after it began and before it ended.</summary>
    public static int WorkingDaysPaused(DateTimeOffset clockStart, DateTimeOffset from, DateTimeOffset? to, DateTimeOffset asOf, WorkingDayCalendar calendar)
    {
        var end = to ?? asOf;
        if (end <= from)
            return 0;
        // Days from the pause's own day through the day before it ended; the start day of the clock never counts.
        var first = BeijingTime.DateOf(from);
        var startDay = BeijingTime.DateOf(clockStart);
        var after = first > startDay ? first.AddDays(-1) : startDay;
        var through = BeijingTime.DateOf(end).AddDays(-1);
        return calendar.WorkingDaysBetween(after, through);
    }

    public static ClockTrack TrackOf(Clock clock) =>
        !clock.FastTrack ? ClockTrack.Standard : clock.IsFastTrackInForce ? ClockTrack.Fast : ClockTrack.FastEnded;

    /// <summary>Judges <paramref name="clock"/> as of <paramref name="asOf"/> (events after it are in the future and ignored).</summary>
    public static ClockVerdict Judge(Clock clock, DateTimeOffset asOf, WorkingDayCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(clock);
        var progress = clock.ProgressAt(asOf, calendar);
        var events = clock.Events.Where(e => e.At <= asOf).ToList();
        var last = events.Count > 0 ? events[^1] : clock.Events[0];
        var ended = last is ClockStopped or ClockCancelled ? last.At : (DateTimeOffset?)null;
        var due = progress.DueDate is { } day ? BeijingTime.EndOf(day) : (DateTimeOffset?)null;

        var result = last switch
        {
            ClockStopped stopped => IsOnTime(stopped.At, due) ? ComplianceResult.OnTime : ComplianceResult.Late,
            ClockCancelled => ComplianceResult.Cancelled,
            _ when progress.State == ClockState.Paused => ComplianceResult.Paused,
            _ when due is { } d && asOf > d => ComplianceResult.Overdue,
            _ => ComplianceResult.Running,
        };
        var late = result switch
        {
            ComplianceResult.Late => WorkingDaysLate(ended!.Value, due, calendar),
            ComplianceResult.Overdue => WorkingDaysLate(asOf, due, calendar),
            _ => 0,
        };

        var pauses = new List<PausePeriod>();
        ClockPaused? open = null;
        foreach (var @event in events)
        {
            switch (@event)
            {
                case ClockPaused paused:
                    open = paused;
                    break;
                case ClockResumed resumed when open is not null:
                    pauses.Add(new PausePeriod(open.At, resumed.At, open.Reason, open.LegalBasis,
                        WorkingDaysPaused(clock.StartedAt, open.At, resumed.At, asOf, calendar)));
                    open = null;
                    break;
            }
        }
        if (open is not null)
        {
            // Still paused, or stopped while paused: the pause ends with the clock (or counts up to now).
            var until = ended ?? asOf;
            pauses.Add(new PausePeriod(open.At, ended, open.Reason, open.LegalBasis,
                WorkingDaysPaused(clock.StartedAt, open.At, until, asOf, calendar)));
        }

        return new ClockVerdict(result, TrackOf(clock), clock.StartedAt, due, ended, progress.WorkingDaysUsed, progress.WorkingDaysLimit, late,
            result is ComplianceResult.Running or ComplianceResult.Paused ? progress.WorkingDaysLeft : null, pauses,
            events.OfType<ClockExtended>().ToList());
    }
}
