using System.Text.Json;
using System.Text.Json.Nodes;
using CleanProdFlow.Data.Compliance;
using CleanProdFlow.Data.Timing;
using CleanProdFlow.Domain.Compliance;
using CleanProdFlow.Engine.Execution;
using CleanProdFlow.Engine.Model;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.Timing;
using CleanProdFlow.Timing.Clocks;
using CleanProdFlow.Web.Pages;
using CleanProdFlow.Web.Timing;

namespace CleanProdFlow.Web.Compliance;

/// <summary>
/// One event of a clock as evidence: when, what, who (a user, or the workflow step that did it), why, under which
/// law, how many working days (paused or extended), and the due date after it.
/// </summary>
public sealed record EvidenceEvent(DateTimeOffset At, string Kind, string? Actor, string? Step, string? Reason, string? LegalBasis, int? Days,
    DateOnly? DueDateAfter);

/// <summary>The evidence of one clock: the rule and its legal basis, the limit applied, every event, the result, the explanation.</summary>
public sealed record ClockEvidence(string Name, Clock Clock, ClockVerdict Verdict, IReadOnlyList<EvidenceEvent> Events,
    IReadOnlyList<string> Explanation, IReadOnlyList<RecomputationRow> Recomputations);

/// <summary>The timing evidence of a case (the printable page of an auditor's file).</summary>
public sealed record CaseEvidence(InstanceState Instance, string WorkflowName, string? EnterpriseName, string? CreditCode,
    IReadOnlyList<ClockEvidence> Clocks, IReadOnlyList<BreachRow> Breaches, DateTimeOffset AsOf);

/// <summary>
/// Builds the evidence from the stored clocks (the events are the truth), the instance's journal (who did it: the
/// staff action's user, or the workflow step that ran the clock handler) and the breach records with their
/// escalation's answer. A staff pause or resumption that moved no timer or task left no journal line; its actor is
/// then shown as not recorded rather than guessed.
/// </summary>
public sealed class TimingEvidence(IWorkflowStore store, WorkflowRuntime runtime, ClockStore clocks, ComplianceStore compliance, StatutoryTime statutory)
{
    /// <summary>How far apart a clock event and the journal lines of the same command may be (both are read from the clock within one step).</summary>
    private static readonly TimeSpan SameCommand = TimeSpan.FromMinutes(2);

    public async Task<CaseEvidence> BuildAsync(InstanceState instance, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var definition = await runtime.DefinitionAsync(instance.DefinitionKey, instance.Version, cancellationToken);
        var journal = (await store.JournalAsync(instance.Id, cancellationToken)).OrderBy(j => j.Sequence).ToList();
        var prefix = WorkflowRuntime.ClockSubject(instance.Id, "");
        var stored = await clocks.ListBySubjectPrefixAsync(prefix, cancellationToken);
        var recomputations = await compliance.RecomputationsAsync(instance.Id, cancellationToken);
        var language = Ui.IsEnglish ? Language.En : Language.ZhCn;
        var used = new HashSet<long>();

        var evidence = stored.Select(c =>
        {
            var name = c.Subject[prefix.Length..];
            var clock = c.Clock;
            var verdict = ClockCompliance.Judge(clock, now, statutory.Calendar);
            var events = clock.Events.Select(e => EventOf(e, name, clock, verdict, definition, journal, used)).ToList();
            return new ClockEvidence(name, clock, verdict, events,
                clock.Explain(now, statutory.Calendar, language), recomputations.Where(r => r.Subject == c.Subject).ToList());
        }).ToList();

        return new CaseEvidence(instance, definition.Name ?? definition.Key, Text(instance.Variables, "enterpriseName"),
            Text(instance.Variables, "creditCode"), evidence, await compliance.BreachesOfInstanceAsync(instance.Id, cancellationToken), now);
    }

    private static string? Text(JsonObject variables, string name) =>
        variables[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    private EvidenceEvent EventOf(ClockEvent @event, string clockName, Clock clock, ClockVerdict verdict, ProcessDefinition definition,
        IReadOnlyList<JournalRecord> journal, HashSet<long> used)
    {
        var (kind, handler, reasonPrefix) = @event switch
        {
            ClockStarted => ("started", "clock.start", "started"),
            ClockPaused => ("paused", "clock.pause", "paused"),
            ClockResumed => ("resumed", "clock.resume", "resumed"),
            ClockExtended => ("extended", null, "extended"),
            ClockFastTrackEnded => ("fastTrackEnded", "clock.end-fast-track", "left the fast track"),
            ClockStopped => ("stopped", "clock.stop", "stopped"),
            _ => ("cancelled", null, "cancelled"),
        };

        // The workflow step whose handler made the event (same command: just after the event's instant).
        // A start may be dated back to the receipt (clock.start's startAt), so its step can come any time after it.
        var step = handler is null ? null : journal.FirstOrDefault(j => j.Kind == "handler.succeeded" && j.ElementId is not null
            && j.At >= @event.At && (@event is ClockStarted || j.At - @event.At <= SameCommand)
            && definition.Nodes.FirstOrDefault(n => n.Id == j.ElementId) is ServiceTask task && task.Handler == handler
            && task.Inputs.GetValueOrDefault("clock") == clockName);
        // A staff action is journaled where it moved a bound timer or task, with the user and the reason.
        var moved = journal.FirstOrDefault(j => !used.Contains(j.Sequence) && j.Kind is "timer.rescheduled" or "task.due-changed"
            && (j.At - @event.At).Duration() <= SameCommand && ReasonOf(j, clockName) is { } reason && Says(reason, reasonPrefix));
        if (moved is not null)
            used.UnionWith(journal.Where(j => j.At == moved.At && j.Kind is "timer.rescheduled" or "task.due-changed").Select(j => j.Sequence));

        string? actor = @event is ClockExtended extended ? extended.Approver
            : step is not null ? step.Actor
            : moved?.Actor;
        string? stepName = step?.ElementId is { } id ? NameOf(definition, id) : null;

        var (reasonText, legalBasis, days) = @event switch
        {
            ClockPaused paused => (paused.Reason, paused.LegalBasis, (int?)null),
            ClockExtended x => (x.Reason, (string?)Ui.T("《中华人民共和国行政许可法》第四十二条", "Administrative Licensing Law art. 42"), x.Days),
            ClockFastTrackEnded ended => (ended.Reason, null, null),
            ClockCancelled cancelled => (cancelled.Reason, null, null),
            _ => ((string?)null, (string?)null, (int?)null),
        };
        if (@event is ClockPaused)
            days = verdict.Pauses.FirstOrDefault(p => p.From == @event.At)?.WorkingDays;
        var dueAfter = clock.ProgressAt(@event.At, statutory.Calendar).DueDate;
        return new EvidenceEvent(@event.At, kind, actor, stepName, reasonText, legalBasis, days, dueAfter);
    }

    /// <summary>The journaled reason names the event in English, alone ("paused: …") or after the Chinese ("暂停计时 / paused: …").</summary>
    private static bool Says(string reason, string keyword) =>
        reason.StartsWith(keyword, StringComparison.Ordinal) || reason.Contains("/ " + keyword, StringComparison.Ordinal);

    private static string? ReasonOf(JournalRecord entry, string clockName)
    {
        if (string.IsNullOrEmpty(entry.Data))
            return null;
        try
        {
            return JsonNode.Parse(entry.Data) is JsonObject data && Text(data, "clock") == clockName ? Text(data, "reason") : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string NameOf(ProcessDefinition definition, string elementId) =>
        definition.Nodes.FirstOrDefault(n => n.Id == elementId) is { } node && !string.IsNullOrWhiteSpace(node.Name) ? node.Name! : elementId;
}
