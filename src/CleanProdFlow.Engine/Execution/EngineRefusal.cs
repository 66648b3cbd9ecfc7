namespace CleanProdFlow.Engine.Execution;

public enum RefusalKind
{
    /// <summary>The input is wrong (an outcome not offered, a form value missing): 400.</summary>
    Invalid,

    /// <summary>The thing is not in a state to do this (a task already completed, an instance ended): 409.</summary>
    Conflict,

    /// <summary>No such task, timer, incident in this instance: 404.</summary>
    NotFound,

    /// <summary>The caller may see it but not do this (a task assigned to someone else, not one of the caller's groups): 403.</summary>
    Forbidden,
}

/// <summary>One refused field, in English and Chinese.</summary>
public sealed record RefusalProblem(string Field, string Message, string MessageZh);

/// <summary>A command the interpreter refuses; nothing changes.</summary>
public sealed class EngineRefusal(RefusalKind kind, string message, string messageZh, IReadOnlyList<RefusalProblem>? problems = null)
    : Exception(message)
{
    public RefusalKind Kind { get; } = kind;

    public string MessageZh { get; } = messageZh;

    public IReadOnlyList<RefusalProblem> Problems { get; } = problems ?? [];
}
