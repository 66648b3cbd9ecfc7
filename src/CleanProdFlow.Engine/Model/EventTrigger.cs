using CleanProdFlow.Engine.Expressions;

namespace CleanProdFlow.Engine.Model;

/// <summary>What an intermediate catch or boundary event waits for.</summary>
public abstract record EventTrigger;

/// <summary>
/// A timer: a BPMN time expression (date, duration, cycle or cron), or a binding to a statutory time limit or
/// clock (then the timer fires when that deadline expires). Exactly one of the two is set.
/// </summary>
public sealed record TimerTrigger(TimerSchedule? Schedule, DueDateBinding? Binding) : EventTrigger
{
    public string Describe() => Schedule is { } s ? $"{s.Kind}: {s.Expression}" : Binding!.Describe();
}

/// <summary>
/// A message: the name it is correlated by, and the expression (over instance variables) that gives the
/// correlation key when the event starts waiting. Without an expression the instance's business key is used.
/// </summary>
public sealed record MessageTrigger(string MessageName) : EventTrigger
{
    public string? CorrelationKeyExpression { get; init; }
}
