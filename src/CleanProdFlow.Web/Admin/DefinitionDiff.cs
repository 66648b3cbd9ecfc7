using System.Globalization;
using CleanProdFlow.Engine.Model;

namespace CleanProdFlow.Web.Admin;

/// <summary>An element as the diff names it: id, BPMN type (e.g. userTask) and name.</summary>
public sealed record DiffElement(string Id, string Type, string? Name)
{
    public string Label => string.IsNullOrWhiteSpace(Name) ? Id : $"{Name}（{Id}）";
}

/// <summary>One setting of an element or flow that differs: its XML name (name, type, cpf:candidateGroups, …) and both values.</summary>
public sealed record DiffAttribute(string Attribute, string? Before, string? After);

/// <summary>An element present in both versions whose name, type or settings differ.</summary>
public sealed record DiffElementChange(DiffElement Before, DiffElement After, IReadOnlyList<DiffAttribute> Changes);

public sealed record DiffFlow(string Id, string SourceId, string TargetId, string? Name);

/// <summary>A flow present in both versions whose ends, name or condition differ.</summary>
public sealed record DiffFlowChange(DiffFlow Before, DiffFlow After, IReadOnlyList<DiffAttribute> Changes);

/// <summary>
/// What changed between two versions of a definition, by element id: elements added, removed, or changed in name,
/// type or any setting the engine reads (the cpf: extensions, timers, messages, called element, default flow);
/// sequence flows added, removed or rewired. Computed from the models BpmnReader builds, so layout-only edits
/// (moving a shape) are not changes; the order is by id so the summary reads the same every time.
/// </summary>
public sealed record DefinitionDiff(
    IReadOnlyList<DiffElement> Added,
    IReadOnlyList<DiffElement> Removed,
    IReadOnlyList<DiffElementChange> Changed,
    IReadOnlyList<DiffFlow> FlowsAdded,
    IReadOnlyList<DiffFlow> FlowsRemoved,
    IReadOnlyList<DiffFlowChange> FlowsChanged,
    IReadOnlyList<DiffAttribute> ProcessChanges)
{
    public bool IsEmpty => Added.Count == 0 && Removed.Count == 0 && Changed.Count == 0 && FlowsAdded.Count == 0
                           && FlowsRemoved.Count == 0 && FlowsChanged.Count == 0 && ProcessChanges.Count == 0;

    public static DefinitionDiff Between(ProcessDefinition before, ProcessDefinition after)
    {
        var oldNodes = before.Nodes.ToDictionary(n => n.Id, StringComparer.Ordinal);
        var newNodes = after.Nodes.ToDictionary(n => n.Id, StringComparer.Ordinal);
        var added = newNodes.Values.Where(n => !oldNodes.ContainsKey(n.Id)).Select(ElementOf).OrderBy(e => e.Id, StringComparer.Ordinal).ToList();
        var removed = oldNodes.Values.Where(n => !newNodes.ContainsKey(n.Id)).Select(ElementOf).OrderBy(e => e.Id, StringComparer.Ordinal).ToList();
        var changed = new List<DiffElementChange>();
        foreach (var (id, then) in oldNodes.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!newNodes.TryGetValue(id, out var now))
                continue;
            var changes = Compare(Settings(then), Settings(now));
            if (changes.Count > 0)
                changed.Add(new DiffElementChange(ElementOf(then), ElementOf(now), changes));
        }

        var oldFlows = before.Flows.ToDictionary(f => f.Id, StringComparer.Ordinal);
        var newFlows = after.Flows.ToDictionary(f => f.Id, StringComparer.Ordinal);
        var flowsAdded = newFlows.Values.Where(f => !oldFlows.ContainsKey(f.Id)).Select(FlowOf).OrderBy(f => f.Id, StringComparer.Ordinal).ToList();
        var flowsRemoved = oldFlows.Values.Where(f => !newFlows.ContainsKey(f.Id)).Select(FlowOf).OrderBy(f => f.Id, StringComparer.Ordinal).ToList();
        var flowsChanged = new List<DiffFlowChange>();
        foreach (var (id, then) in oldFlows.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!newFlows.TryGetValue(id, out var now))
                continue;
            var changes = Compare(Settings(then), Settings(now));
            if (changes.Count > 0)
                flowsChanged.Add(new DiffFlowChange(FlowOf(then), FlowOf(now), changes));
        }

        var process = Compare(new() { ["name"] = before.Name, ["id"] = before.Key }, new() { ["name"] = after.Name, ["id"] = after.Key });
        return new DefinitionDiff(added, removed, changed, flowsAdded, flowsRemoved, flowsChanged, process);
    }

    private static DiffElement ElementOf(FlowNode node) => new(node.Id, node.Kind, node.Name);

    private static DiffFlow FlowOf(SequenceFlow flow) => new(flow.Id, flow.SourceId, flow.TargetId, flow.Name);

    private static List<DiffAttribute> Compare(Dictionary<string, string?> before, Dictionary<string, string?> after)
    {
        var changes = new List<DiffAttribute>();
        // Attributes in a fixed order: the element's own first (as Settings lists them), then any only the new one has.
        foreach (var attribute in before.Keys.Concat(after.Keys.Where(k => !before.ContainsKey(k))))
        {
            var then = before.GetValueOrDefault(attribute);
            var now = after.GetValueOrDefault(attribute);
            if (!string.Equals(then, now, StringComparison.Ordinal))
                changes.Add(new DiffAttribute(attribute, then, now));
        }
        return changes;
    }

    private static Dictionary<string, string?> Settings(SequenceFlow flow) => new()
    {
        ["sourceRef"] = flow.SourceId,
        ["targetRef"] = flow.TargetId,
        ["name"] = Blank(flow.Name),
        ["conditionExpression"] = Blank(flow.Condition?.Trim()),
    };

    /// <summary>Everything the engine reads from an element, by its XML name; wiring (incoming/outgoing) is left to the flows.</summary>
    private static Dictionary<string, string?> Settings(FlowNode node)
    {
        var settings = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["type"] = node.Kind,
            ["name"] = Blank(node.Name),
            ["scope"] = node.ScopeId,
        };
        switch (node)
        {
            case UserTask task:
                settings["cpf:candidateGroups"] = Join(task.CandidateGroups);
                settings["cpf:organisationVariable"] = task.OrganisationVariable;
                settings["cpf:outcomes"] = Join(task.Outcomes);
                settings["cpf:form"] = Describe(task.Form);
                AddBinding(settings, task.Due);
                break;
            case ServiceTask service:
                settings["cpf:handler"] = service.Handler;
                settings["cpf:input"] = service.Inputs.Count == 0 ? null
                    : string.Join(", ", service.Inputs.OrderBy(i => i.Key, StringComparer.Ordinal).Select(i => $"{i.Key}={i.Value}"));
                break;
            case CallActivity call:
                settings["calledElement"] = call.CalledElement;
                break;
            case ExclusiveGateway exclusive:
                settings["default"] = exclusive.DefaultFlowId;
                break;
            case InclusiveGateway inclusive:
                settings["default"] = inclusive.DefaultFlowId;
                break;
            case EndEvent end:
                settings["terminate"] = end.Terminate ? "true" : null;
                break;
            case StartEvent start:
                AddTrigger(settings, start.Timer);
                break;
            case IntermediateCatchEvent catchEvent:
                AddTrigger(settings, catchEvent.Trigger);
                break;
            case BoundaryEvent boundary:
                settings["attachedToRef"] = boundary.AttachedToId;
                settings["cancelActivity"] = boundary.CancelActivity ? "true" : "false";
                AddTrigger(settings, boundary.Trigger);
                break;
        }
        return settings;
    }

    private static void AddTrigger(Dictionary<string, string?> settings, EventTrigger? trigger)
    {
        switch (trigger)
        {
            case TimerTrigger timer:
                settings["timer"] = timer.Schedule is { } schedule ? $"{schedule.Kind}: {schedule.Expression}" : null;
                AddBinding(settings, timer.Binding);
                break;
            case MessageTrigger message:
                settings["message"] = message.MessageName;
                settings["cpf:correlationKey"] = message.CorrelationKeyExpression;
                break;
        }
    }

    private static void AddBinding(Dictionary<string, string?> settings, DueDateBinding? binding)
    {
        settings["cpf:timeLimit"] = binding?.TimeLimitRuleId;
        settings["cpf:clock"] = binding?.ClockName;
        settings["cpf:clockPoint"] = binding is { ClockName: not null } ? binding.Point switch
        {
            ClockPoint.HalfUsed => "half",
            ClockPoint.ThreeQuartersUsed => "threeQuarters",
            ClockPoint.DayBeforeDue => "dayBefore",
            _ => null, // "due" is the default, written or not
        } : null;
    }

    private static string? Join(IReadOnlyList<string> values) => values.Count == 0 ? null : string.Join(",", values);

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;

    /// <summary>"opinion: text*「审查意见」; kind: enum(a|b)" — a form in one line, so any field change shows.</summary>
    private static string? Describe(FormDefinition form) => form.Fields.Count == 0
        ? null
        : string.Join("; ", form.Fields.Select(f => string.Create(CultureInfo.InvariantCulture,
            $"{f.Name}: {f.Type.ToString().ToLowerInvariant()}{(f.Options.Count > 0 ? $"({string.Join("|", f.Options)})" : "")}{(f.Required ? "*" : "")}{(f.Label is null ? "" : $"「{f.Label}」")}")));
}
