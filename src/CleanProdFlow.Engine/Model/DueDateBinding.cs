namespace CleanProdFlow.Engine.Model;

/// <summary>
/// Binds a task's due date or a timer to statutory time: a time-limit rule (<c>cpf:timeLimit</c>, counted from
/// when the task or timer starts, halved on the fast track when the rule allows) or a named clock of the instance
/// (<c>cpf:clock</c>, the clock's current due date). Exactly one is set.
/// </summary>
public sealed record DueDateBinding(string? TimeLimitRuleId, string? ClockName)
{
    public static DueDateBinding Rule(string ruleId) => new(ruleId, null);

    public static DueDateBinding Clock(string clockName) => new(null, clockName);

    public string Describe() => TimeLimitRuleId is not null ? $"time limit {TimeLimitRuleId}" : $"clock {ClockName}";
}
