using System.Xml.Linq;
using CleanProdFlow.Engine.Model;

namespace CleanProdFlow.Engine.Bpmn;

/// <summary>
/// A flow node as found in the file, before and beside its model record: also the nodes outside the subset, which
/// are refused but kept in the graph so that their neighbours are not reported as unreachable or dead ends too.
/// </summary>
internal sealed class NodeInfo(string id, string kind, string scopeKey, string? scopeId, XElement element)
{
    public string Id { get; } = id;

    /// <summary>The BPMN element name (e.g. "userTask"); "event sub-process" for a sub-process triggered by an event.</summary>
    public string Kind { get; } = kind;

    /// <summary>The process or sub-process id that contains the node (unique per file, unlike the model's ScopeId).</summary>
    public string ScopeKey { get; } = scopeKey;

    /// <summary>The model's ScopeId: null at process level.</summary>
    public string? ScopeId { get; } = scopeId;

    public XElement Element { get; } = element;

    /// <summary>Refused as a whole (outside the subset); its own checks are skipped.</summary>
    public bool Unsupported { get; init; }

    /// <summary>The model record; null when the element is unsupported or could not be read.</summary>
    public FlowNode? Node { get; set; }

    public string? AttachedTo { get; set; }

    public bool CancelActivity { get; set; } = true;

    public bool IsTimerStart { get; set; }

    public string? DefaultFlowId { get; set; }

    public List<FlowInfo> Incoming { get; } = [];

    public List<FlowInfo> Outgoing { get; } = [];

    /// <summary>Boundary events attached to this activity (in the same scope).</summary>
    public List<NodeInfo> Boundaries { get; } = [];

    public bool IsGateway => Kind is "exclusiveGateway" or "parallelGateway" or "inclusiveGateway" or "eventBasedGateway" or "complexGateway";

    public bool IsConditionalGateway => Kind is "exclusiveGateway" or "inclusiveGateway";

    public string Label => $"{Kind} '{Id}'";

    public string LabelZh => $"{BpmnNames.Zh(Kind)}“{Id}”";
}

/// <summary>A sequence flow as found in the file.</summary>
internal sealed class FlowInfo(string id, string? sourceRef, string? targetRef, string scopeKey, XElement element)
{
    public string Id { get; } = id;

    public string? SourceRef { get; } = sourceRef;

    public string? TargetRef { get; } = targetRef;

    public string ScopeKey { get; } = scopeKey;

    public XElement Element { get; } = element;

    public string? Name { get; init; }

    /// <summary>The condition's source text (trimmed), when the flow has one.</summary>
    public string? Condition { get; set; }

    public NodeInfo? Source { get; set; }

    public NodeInfo? Target { get; set; }

    /// <summary>Both ends exist and lie in the flow's own scope.</summary>
    public bool Connected => Source is not null && Target is not null;
}
