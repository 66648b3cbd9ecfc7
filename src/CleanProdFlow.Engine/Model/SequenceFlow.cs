namespace CleanProdFlow.Engine.Model;

/// <summary>A sequence flow; <see cref="Condition"/> is the source text of its condition expression, if any.</summary>
public sealed record SequenceFlow(string Id, string SourceId, string TargetId)
{
    public string? Name { get; init; }

    public string? Condition { get; init; }
}
