namespace CleanProdFlow.Engine.Model;

/// <summary>
/// One executable BPMN process, as read and validated from one file. <see cref="Key"/> is the process id; the
/// original XML is kept (with its diagram) so the editor and the case page show it as drawn.
/// </summary>
public sealed class ProcessDefinition
{
    private readonly Dictionary<string, FlowNode> _nodes;
    private readonly Dictionary<string, SequenceFlow> _flows;
    private readonly Dictionary<string, List<BoundaryEvent>> _boundaryEvents;

    public ProcessDefinition(string key, string? name, IEnumerable<FlowNode> nodes, IEnumerable<SequenceFlow> flows, string xml)
    {
        Key = key;
        Name = name;
        Xml = xml;
        _nodes = nodes.ToDictionary(n => n.Id, StringComparer.Ordinal);
        _flows = flows.ToDictionary(f => f.Id, StringComparer.Ordinal);
        _boundaryEvents = _nodes.Values.OfType<BoundaryEvent>()
            .GroupBy(b => b.AttachedToId)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        UsesClocks = _nodes.Values.Any(n => n switch
        {
            UserTask task => task.Due?.ClockName is not null,
            StartEvent start => start.Timer?.Binding?.ClockName is not null,
            IntermediateCatchEvent { Trigger: TimerTrigger timer } => timer.Binding?.ClockName is not null,
            BoundaryEvent { Trigger: TimerTrigger timer } => timer.Binding?.ClockName is not null,
            _ => false,
        });
    }

    public string Key { get; }

    public string? Name { get; }

    public string Xml { get; }

    /// <summary>
    /// Whether a due date or a timer of the process is bound to a statutory clock (<c>cpf:clock</c>): only then does a
    /// command need the instance's clocks (a process without one saves that read on every command).
    /// </summary>
    public bool UsesClocks { get; }

    public IEnumerable<FlowNode> Nodes => _nodes.Values;

    public IEnumerable<SequenceFlow> Flows => _flows.Values;

    public FlowNode Node(string id) =>
        _nodes.TryGetValue(id, out var node) ? node : throw new KeyNotFoundException($"Process '{Key}' has no element '{id}'.");

    public bool TryGetNode(string id, out FlowNode node) => _nodes.TryGetValue(id, out node!);

    public SequenceFlow Flow(string id) =>
        _flows.TryGetValue(id, out var flow) ? flow : throw new KeyNotFoundException($"Process '{Key}' has no sequence flow '{id}'.");

    public IEnumerable<SequenceFlow> OutgoingFlows(FlowNode node) => node.Outgoing.Select(Flow);

    public IReadOnlyList<BoundaryEvent> BoundaryEventsOf(string activityId) =>
        _boundaryEvents.TryGetValue(activityId, out var events) ? events : [];

    /// <summary>The none start event of a scope (the process when <paramref name="scopeId"/> is null).</summary>
    public StartEvent NoneStartEvent(string? scopeId) =>
        _nodes.Values.OfType<StartEvent>().FirstOrDefault(s => s.ScopeId == scopeId && s.Timer is null)
        ?? throw new InvalidOperationException($"Scope '{scopeId ?? Key}' has no none start event.");

    public bool HasNoneStartEvent => _nodes.Values.OfType<StartEvent>().Any(s => s.ScopeId is null && s.Timer is null);

    /// <summary>Timer start events of the process level: a published version starts instances on their schedules.</summary>
    public IEnumerable<StartEvent> TimerStartEvents => _nodes.Values.OfType<StartEvent>().Where(s => s.ScopeId is null && s.Timer is not null);

    public IEnumerable<FlowNode> NodesIn(string? scopeId) => _nodes.Values.Where(n => n.ScopeId == scopeId);
}
