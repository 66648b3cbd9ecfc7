using CleanProdFlow.Data.Timing;
using CleanProdFlow.Engine.Model;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.Timing.Calendars;
using CleanProdFlow.Timing.Clocks;
using CleanProdFlow.Timing.Deadlines;
using CleanProdFlow.Web.Timing;

namespace CleanProdFlow.Web.Workflows;

/// <summary>
/// Statutory time for the engine: a <c>cpf:timeLimit</c> rule's deadline from the rules and the working-day calendar
/// in force (with 调休; halved on the fast track when the rule allows), and the due dates of an instance's stored
/// clocks, whose subjects are <c>instance:{id}/{clock name}</c>.
/// </summary>
public sealed class StatutoryDueDates(StatutoryTime statutory, ClockStore clocks) : IStatutoryDueDates
{
    public bool IsKnownRule(string ruleId) => statutory.Rules.Contains(ruleId);

    public DateTimeOffset RuleDueAt(string ruleId, bool fastTrack, DateTimeOffset from)
    {
        var rule = statutory.Rules[ruleId];
        var deadline = Deadline.Compute(statutory.Calendar, new DeadlineRequest(from, rule.ToTimeLimit(), fastTrack));
        // Without pauses a deadline always has a due date.
        return deadline.DueAt ?? throw new InvalidOperationException($"rule {ruleId} gave no due date from {from:O}");
    }

    /// <summary>The instants of a stored clock: due and reminders while it runs, none while paused or ended.</summary>
    public static ClockTimes TimesOf(Clock clock, WorkingDayCalendar calendar)
    {
        if (clock.State != ClockState.Running)
            return ClockTimes.Stopped;
        var reminders = clock.Reminders(calendar);
        return new ClockTimes(clock.DueAt, reminders.HalfUsedAt, reminders.ThreeQuartersUsedAt, reminders.DayBeforeDueAt);
    }

    public async Task<IReadOnlyDictionary<string, ClockTimes>> ClockTimesAsync(Guid instanceId, System.Data.Common.DbTransaction? transaction,
        CancellationToken cancellationToken)
    {
        var prefix = WorkflowRuntime.ClockSubject(instanceId, "");
        var stored = await clocks.ListBySubjectPrefixAsync(prefix, cancellationToken, transaction);
        return stored.ToDictionary(c => c.Subject[prefix.Length..], c => TimesOf(c.Clock, statutory.Calendar), StringComparer.Ordinal);
    }
}
