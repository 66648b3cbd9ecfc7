namespace CleanProdFlow.Engine.Bpmn;

/// <summary>
/// What the reader checks beyond the file itself. Every lookup is optional: when it is null the corresponding
/// reference (handler, time-limit rule, candidate group) is only checked for form, not for existence.
/// </summary>
public sealed record BpmnReadOptions
{
    /// <summary>Whether a service-task handler name (<c>cpf:handler</c>) is registered.</summary>
    public Func<string, bool>? IsKnownHandler { get; init; }

    /// <summary>Whether a time-limit rule id (<c>cpf:timeLimit</c>) exists.</summary>
    public Func<string, bool>? IsKnownTimeLimitRule { get; init; }

    /// <summary>The candidate groups (roles) a user task may name in <c>cpf:candidateGroups</c>.</summary>
    public IReadOnlySet<string>? KnownCandidateGroups { get; init; }

    /// <summary>The largest file accepted, counted in UTF-8 bytes; a larger one is refused before it is parsed.</summary>
    public int MaxBytes { get; init; } = 5 * 1024 * 1024;
}
