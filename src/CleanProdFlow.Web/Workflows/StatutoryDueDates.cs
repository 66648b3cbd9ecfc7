using CleanProdFlow.Data.Database;
using CleanProdFlow.Engine.Model;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.Timing.Calendars;
using CleanProdFlow.Timing.Clocks;
using CleanProdFlow.Timing.Deadlines;
using CleanProdFlow.Web.Timing;
using Dapper;

namespace CleanProdFlow.Web.Workflows;

/// <summary>
/// Statutory time for the engine: a <c>cpf:timeLimit</c> rule's deadline from the rules and the working-day calendar
/// in force (with 调休; halved on the fast track when the rule allows), and the due dates of an instance's stored
/// clocks, whose subjects are <c>instance:{id}/{clock name}</c>.
/// </summary>
public sealed class StatutoryDueDates(StatutoryTime statutory, CpfDatabase database) : IStatutoryDueDates
{
    public static string ClockSubject(Guid instanceId, string clockName) => $"{SubjectPrefix(instanceId)}{clockName}";

    private static string SubjectPrefix(Guid instanceId) => $"instance:{instanceId:D}/";

    public bool IsKnownRule(string ruleId) => statutory.Rules.Contains(ruleId);

    public DateTimeOffset RuleDueAt(string ruleId, bool fastTrack, DateTimeOffset from)
    {
        var rule = statutory.Rules[ruleId];
        var deadline = Deadline.Compute(statutory.Calendar, new DeadlineRequest(from, rule.ToTimeLimit(), fastTrack));
        // Without pauses a deadline always has a due date.
        return deadline.DueAt ?? throw new InvalidOperationException($"rule {ruleId} gave no due date from {from:O}");
    }

    private sealed class ClockRow
    {
        public string Subject { get; init; } = "";
        public string Clock { get; init; } = "";
    }

    /// <summary>The instants of a stored clock: due and reminders while it runs, none while paused or ended.</summary>
    public static ClockTimes TimesOf(Clock clock, WorkingDayCalendar calendar)
    {
        if (clock.State != ClockState.Running)
            return ClockTimes.Stopped;
        var reminders = clock.Reminders(calendar);
        return new ClockTimes(clock.DueAt, reminders.HalfUsedAt, reminders.ThreeQuartersUsedAt, reminders.DayBeforeDueAt);
    }

    public async Task<IReadOnlyDictionary<string, ClockTimes>> ClockTimesAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        var prefix = SubjectPrefix(instanceId);
        await using var connection = await database.OpenAsync(cancellationToken);
        // The prefix holds no LIKE wildcard (a Guid, ':' and '/'); the exact prefix is checked again below.
        var rows = await connection.QueryAsync<ClockRow>(new CommandDefinition(
            "SELECT subject AS Subject, clock AS Clock FROM clocks WHERE subject LIKE @pattern",
            new { pattern = prefix + "%" }, cancellationToken: cancellationToken));
        var clocks = new Dictionary<string, ClockTimes>(StringComparer.Ordinal);
        foreach (var row in rows.Where(r => r.Subject.StartsWith(prefix, StringComparison.Ordinal)))
            clocks[row.Subject[prefix.Length..]] = TimesOf(Clock.FromJson(row.Clock), statutory.Calendar);
        return clocks;
    }
}
