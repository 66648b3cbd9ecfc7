using CleanProdFlow.Engine.Expressions;
using CleanProdFlow.Engine.Model;

namespace CleanProdFlow.Engine.Tests.Execution;

/// <summary>Builds process models directly (no XML), so the interpreter's tests do not depend on the reader.</summary>
internal sealed class ProcessBuilder(string key = "test")
{
    private readonly List<FlowNode> _nodes = [];
    private readonly List<SequenceFlow> _flows = [];

    public ProcessBuilder Node(FlowNode node)
    {
        _nodes.Add(node);
        return this;
    }

    public ProcessBuilder Start(string id = "start", string? scope = null) => Node(new StartEvent(id, null) { ScopeId = scope });

    public ProcessBuilder End(string id = "end", string? scope = null, bool terminate = false) =>
        Node(new EndEvent(id, null) { ScopeId = scope, Terminate = terminate });

    public ProcessBuilder Task(string id, string? scope = null, string[]? outcomes = null, FormDefinition? form = null, DueDateBinding? due = null) =>
        Node(new UserTask(id, id) { ScopeId = scope, CandidateGroups = ["review"], Outcomes = outcomes ?? [], Form = form ?? FormDefinition.Empty, Due = due });

    public ProcessBuilder Flow(string from, string to, string? condition = null, string? id = null)
    {
        _flows.Add(new SequenceFlow(id ?? $"{from}->{to}", from, to) { Condition = condition });
        return this;
    }

    /// <summary>Flows from each node to the next: Chain("start", "a", "end").</summary>
    public ProcessBuilder Chain(params string[] ids)
    {
        for (var i = 0; i + 1 < ids.Length; i++)
            Flow(ids[i], ids[i + 1]);
        return this;
    }

    public ProcessDefinition Build()
    {
        var nodes = _nodes.Select(n => n with
        {
            Incoming = _flows.Where(f => f.TargetId == n.Id).Select(f => f.Id).ToList(),
            Outgoing = _flows.Where(f => f.SourceId == n.Id).Select(f => f.Id).ToList(),
        });
        return new ProcessDefinition(key, key, nodes, _flows, "<definitions/>");
    }

    public static TimerTrigger Timer(TimerKind kind, string expression) =>
        new(TimerSchedule.TryParse(kind, expression, out var error) ?? throw new ArgumentException(error?.Message), null);
}
