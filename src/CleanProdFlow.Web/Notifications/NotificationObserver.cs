using System.Text.Json.Nodes;
using CleanProdFlow.Data.Notifications;
using CleanProdFlow.Domain.Common;
using CleanProdFlow.Domain.Notifications;
using CleanProdFlow.Engine.Execution;
using CleanProdFlow.Engine.Model;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.Timing;

namespace CleanProdFlow.Web.Notifications;

/// <summary>
/// Sees every workflow step and records, in the step's transaction, the events people must hear of (the outbox);
/// after commit it signals the outbox's delivery. Nothing here sends or waits: a step costs one insert for all
/// its events. The events come from what the step did — the tasks it created, the clock-point timers that fired (the
/// reminders of DESIGN §4 armed by the BPMN's own <c>cpf:clockPoint</c> timers, no second scheduler), the breach
/// <c>clock.breach</c> recorded.
/// </summary>
public sealed class NotificationObserver(NotificationStore store, NotificationOutbox outbox) : IStepObserver
{
    public async Task StepAppliedAsync(StepRecord step, CancellationToken cancellationToken)
    {
        var events = NotificationEvents.Of(step.State, step.Definition, step.Effects, step.Now)
            .DistinctBy(e => e.SourceKey, StringComparer.Ordinal).ToList();
        // None new: an earlier delivery of the same step recorded them.
        if (events.Count > 0 && await store.RecordEventsAsync(step.Transaction, events, cancellationToken) > 0)
            step.AfterCommit(outbox.Signal);
    }
}

/// <summary>Which notification events one step's effects make (pure: the same step gives the same events and keys).</summary>
public static class NotificationEvents
{
    private sealed record FiredPoint(Guid TimerId, string Clock, ClockPoint Point);

    public static IReadOnlyList<NotificationEvent> Of(InstanceState state, ProcessDefinition definition, IReadOnlyList<Effect> effects, DateTimeOffset now)
    {
        var journal = effects.OfType<JournalEntry>().ToList();
        var fired = new List<FiredPoint>();
        foreach (var entry in journal.Where(j => j.Kind == "timer.fired" && j.ElementId is not null))
        {
            if (!definition.TryGetNode(entry.ElementId!, out var node))
                continue;
            var trigger = node switch
            {
                BoundaryEvent b => b.Trigger,
                IntermediateCatchEvent c => c.Trigger,
                _ => null,
            };
            if (trigger is TimerTrigger { Binding: { ClockName: { } clock } binding }
                && Guid.TryParse(entry.Data?["timerId"]?.GetValue<string>(), out var timerId))
                fired.Add(new FiredPoint(timerId, clock, binding.Point));
        }
        var breaches = journal.Where(j => j.Kind == "variables.changed" && j.Data?["lastBreach"] is JsonObject)
            .Select(j => (JsonObject)j.Data!["lastBreach"]!).ToList();
        var reminder = fired.FirstOrDefault(f => f.Point != ClockPoint.Due);
        var escalating = breaches.Count > 0;

        var events = new List<NotificationEvent>();
        var created = effects.OfType<TaskCreated>().ToList();
        foreach (var task in created)
        {
            // A task created by a reminder's or a breach's path is that reminder or the escalation (one notification, not two).
            var kind = escalating ? NotificationKind.Escalation : reminder is not null ? ReminderKind(reminder.Point) : NotificationKind.Task;
            events.Add(new NotificationEvent($"task:{task.TaskId:D}", kind, state.Id, task.TaskId, task.Organisation, task.Element.CandidateGroups,
                NotificationEvent.TitleOf(kind, task.Element.DisplayName, state.BusinessKey),
                TaskBody(definition, task.Element.DisplayName, task.DueAt), $"/tasks/{task.TaskId:D}", now));
        }

        // A reminder whose path creates no task reaches those who hold the clock's open tasks.
        foreach (var point in fired.Where(f => f.Point != ClockPoint.Due && created.Count == 0))
        {
            var kind = ReminderKind(point.Point);
            foreach (var (organisation, groups) in HoldersOf(state, definition, point.Clock, created))
                events.Add(new NotificationEvent($"reminder:{point.TimerId:D}/{organisation}", kind, state.Id, null, organisation, groups,
                    NotificationEvent.TitleOf(kind, definition.Name ?? definition.Key, state.BusinessKey),
                    ReminderBody(kind, point.Clock), $"/cases/{state.Id:D}", now));
        }

        foreach (var breach in breaches)
        {
            var clock = breach["clock"]?.GetValue<string>() ?? "";
            var dueAt = Instant(breach["dueAt"]);
            var overdue = breach["workingDaysOverdue"]?.GetValue<int>() ?? 0;
            foreach (var (organisation, groups) in HoldersOf(state, definition, clock, created))
                events.Add(new NotificationEvent($"breach:{state.Id:D}/{clock}/{dueAt?.UtcTicks}/{organisation}", NotificationKind.Breach, state.Id, null,
                    organisation, groups, NotificationEvent.TitleOf(NotificationKind.Breach, definition.Name ?? definition.Key, state.BusinessKey),
                    new($"法定时限（{clock}）已于 {Day(dueAt)} 届满未办结，已逾期 {overdue} 个工作日",
                        $"The statutory time limit ({clock}) ended on {Day(dueAt)} before the work was done; {overdue} working days overdue"),
                    $"/cases/{state.Id:D}", now));
        }
        return events;
    }

    private static string ReminderKind(ClockPoint point) => point switch
    {
        ClockPoint.HalfUsed => NotificationKind.ReminderHalf,
        ClockPoint.ThreeQuartersUsed => NotificationKind.ReminderThreeQuarters,
        _ => NotificationKind.ReminderDayBefore,
    };

    private static LocalizedText ReminderBody(string kind, string clock) => kind switch
    {
        NotificationKind.ReminderHalf => new($"法定时限（{clock}）已用一半", $"Half of the statutory time limit ({clock}) is used"),
        NotificationKind.ReminderThreeQuarters => new($"法定时限（{clock}）已用四分之三", $"Three quarters of the statutory time limit ({clock}) are used"),
        _ => new($"法定时限（{clock}）明日到期", $"The statutory time limit ({clock}) ends tomorrow"),
    };

    private static LocalizedText TaskBody(ProcessDefinition definition, string task, DateTimeOffset? dueAt)
    {
        var process = definition.Name ?? definition.Key;
        return dueAt is null
            ? new($"{process}：{task}", $"{process}: {task}")
            : new($"{process}：{task}，办理期限 {Day(dueAt)}", $"{process}: {task}, due {Day(dueAt)}");
    }

    /// <summary>The last day of a period that ends at <paramref name="dueAt"/> (24:00 of that day), Beijing time.</summary>
    private static string Day(DateTimeOffset? dueAt) => dueAt is { } due ? BeijingTime.Format(BeijingTime.DateOf(due.AddTicks(-1))) : "—";

    private static DateTimeOffset? Instant(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<DateTimeOffset>(out var at) ? at
        : node is JsonValue text && text.TryGetValue<string>(out var s) && DateTimeOffset.TryParse(s, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.None, out var parsed) ? parsed : null;

    /// <summary>
    /// The groups, per organisation, of the instance's open tasks bound to <paramref name="clock"/> (cpf:clock): the
    /// people whose work the clock times. Tasks created in this very step are left out (they notify as themselves).
    /// </summary>
    private static IEnumerable<(string Organisation, IReadOnlyList<string> Groups)> HoldersOf(InstanceState state, ProcessDefinition definition, string clock,
        IReadOnlyList<TaskCreated> created)
    {
        var createdIds = created.Select(c => c.TaskId).ToHashSet();
        return state.Tokens
            .Where(t => t.TaskId is { } id && !createdIds.Contains(id))
            .Select(t => definition.TryGetNode(t.ElementId, out var node) ? node as UserTask : null)
            .OfType<UserTask>()
            .Where(task => task.Due?.ClockName == clock)
            .GroupBy(task => OrganisationOf(state, task))
            .Select(g => (g.Key, (IReadOnlyList<string>)g.SelectMany(task => task.CandidateGroups).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList()))
            .Where(g => g.Item2.Count > 0)
            .OrderBy(g => g.Key, StringComparer.Ordinal);
    }

    /// <summary>As the engine decides a task's organisation: the variable named by cpf:organisationVariable, else the instance's.</summary>
    private static string OrganisationOf(InstanceState state, UserTask task) =>
        task.OrganisationVariable is { } name && state.Variables[name] is JsonValue value && value.TryGetValue<string>(out var organisation)
            && !string.IsNullOrWhiteSpace(organisation)
            ? organisation
            : state.Organisation;
}
