using System.Text.Json.Nodes;

namespace CleanProdFlow.Engine.Execution;

/// <summary>What starting an instance needs. A call activity's child names its parent.</summary>
public sealed record NewInstance(Guid Id, int Version, string? BusinessKey, string Organisation, JsonObject Variables, string Actor)
{
    /// <summary>A timer start event that started it; the none start event when null.</summary>
    public string? StartEventId { get; init; }

    public Guid? ParentInstanceId { get; init; }

    public Guid? ParentTokenId { get; init; }
}

/// <summary>The instance after a step and what the runtime must do about it, in order.</summary>
public sealed record StepResult(InstanceState State, IReadOnlyList<Effect> Effects);
