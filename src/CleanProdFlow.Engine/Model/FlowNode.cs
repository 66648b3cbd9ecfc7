namespace CleanProdFlow.Engine.Model;

/// <summary>
/// A node of a process graph: an event, activity or gateway. <see cref="ScopeId"/> is the id of the embedded
/// sub-process that contains it (null at process level); flows never cross a scope boundary.
/// </summary>
public abstract record FlowNode(string Id, string? Name)
{
    public string? ScopeId { get; init; }

    public IReadOnlyList<string> Incoming { get; init; } = [];

    public IReadOnlyList<string> Outgoing { get; init; } = [];

    /// <summary>The BPMN element name as written in XML (e.g. "userTask"), for messages and the journal.</summary>
    public abstract string Kind { get; }

    public string DisplayName => string.IsNullOrWhiteSpace(Name) ? Id : Name!;
}

/// <summary>A node a token can wait in, and so carry boundary events (tasks, sub-processes, call activities).</summary>
public abstract record Activity(string Id, string? Name) : FlowNode(Id, Name);

public sealed record StartEvent(string Id, string? Name) : FlowNode(Id, Name)
{
    /// <summary>A timer start event starts instances on its schedule; only allowed at process level.</summary>
    public TimerTrigger? Timer { get; init; }

    public override string Kind => "startEvent";
}

public sealed record EndEvent(string Id, string? Name) : FlowNode(Id, Name)
{
    /// <summary>A terminate end event ends the whole instance (in a sub-process: the sub-process), cancelling every other token.</summary>
    public bool Terminate { get; init; }

    public override string Kind => "endEvent";
}

public sealed record UserTask(string Id, string? Name) : Activity(Id, Name)
{
    public IReadOnlyList<string> CandidateGroups { get; init; } = [];

    /// <summary>The instance variable naming the organisation the task belongs to; the instance's organisation when null.</summary>
    public string? OrganisationVariable { get; init; }

    public FormDefinition Form { get; init; } = FormDefinition.Empty;

    /// <summary>Allowed outcomes of completing the task (e.g. approve, reject); any outcome when empty.</summary>
    public IReadOnlyList<string> Outcomes { get; init; } = [];

    /// <summary>Where the due date comes from; no due date when null.</summary>
    public DueDateBinding? Due { get; init; }

    public override string Kind => "userTask";
}

public sealed record ServiceTask(string Id, string? Name, string Handler) : Activity(Id, Name)
{
    /// <summary>Fixed inputs for the handler (<c>cpf:input</c>), e.g. which clock and which rule.</summary>
    public IReadOnlyDictionary<string, string> Inputs { get; init; } = new Dictionary<string, string>();

    public override string Kind => "serviceTask";
}

public sealed record SubProcess(string Id, string? Name) : Activity(Id, Name)
{
    public override string Kind => "subProcess";
}

/// <summary>Starts the latest published version of another definition and waits for it to end; variables are copied in and back.</summary>
public sealed record CallActivity(string Id, string? Name, string CalledElement) : Activity(Id, Name)
{
    public override string Kind => "callActivity";
}

public sealed record ExclusiveGateway(string Id, string? Name) : FlowNode(Id, Name)
{
    public string? DefaultFlowId { get; init; }

    public override string Kind => "exclusiveGateway";
}

public sealed record InclusiveGateway(string Id, string? Name) : FlowNode(Id, Name)
{
    public string? DefaultFlowId { get; init; }

    public override string Kind => "inclusiveGateway";
}

public sealed record ParallelGateway(string Id, string? Name) : FlowNode(Id, Name)
{
    public override string Kind => "parallelGateway";
}

public sealed record IntermediateCatchEvent(string Id, string? Name, EventTrigger Trigger) : FlowNode(Id, Name)
{
    public override string Kind => "intermediateCatchEvent";
}

public sealed record BoundaryEvent(string Id, string? Name, string AttachedToId, EventTrigger Trigger) : FlowNode(Id, Name)
{
    /// <summary>Interrupting (the default in BPMN): the activity is cancelled when the event occurs.</summary>
    public bool CancelActivity { get; init; } = true;

    public override string Kind => "boundaryEvent";
}
