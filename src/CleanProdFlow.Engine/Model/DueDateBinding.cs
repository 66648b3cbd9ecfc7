namespace CleanProdFlow.Engine.Model;

/// <summary>
/// Binds a task's due date or a timer to statutory time: a time-limit rule (<c>cpf:timeLimit</c>, counted from
/// when the task or timer starts, halved on the fast track when the rule allows) or a named clock of the instance
/// (<c>cpf:clock</c>, the clock's current due date). Exactly one is set.
/// </summary>
public sealed record DueDateBinding(string? TimeLimitRuleId, string? ClockName)
{
    /// <summary>For a timer bound to a clock: which of the clock's instants it waits for.</summary>
    public ClockPoint Point { get; init; } = ClockPoint.Due;

    public static DueDateBinding Rule(string ruleId) => new(ruleId, null);

    public static DueDateBinding Clock(string clockName) => new(null, clockName);

    public string Describe() => TimeLimitRuleId is not null ? $"time limit {TimeLimitRuleId}"
        : Point == ClockPoint.Due ? $"clock {ClockName}" : $"clock {ClockName} ({Point})";
}

/// <summary>The instants of a statutory clock a timer can wait for (DESIGN §4: reminders and the breach).</summary>
public enum ClockPoint { Due, HalfUsed, ThreeQuartersUsed, DayBeforeDue }

/// <summary>
/// Where a clock of an instance stands: its due instant and its reminder instants; all null while it is paused or
/// has ended (then nothing bound to it is armed).
/// </summary>
public sealed record ClockTimes(DateTimeOffset? DueAt, DateTimeOffset? HalfUsedAt = null, DateTimeOffset? ThreeQuartersUsedAt = null,
    DateTimeOffset? DayBeforeDueAt = null)
{
    public static readonly ClockTimes Stopped = new((DateTimeOffset?)null);

    public DateTimeOffset? At(ClockPoint point) => point switch
    {
        ClockPoint.HalfUsed => HalfUsedAt,
        ClockPoint.ThreeQuartersUsed => ThreeQuartersUsedAt,
        ClockPoint.DayBeforeDue => DayBeforeDueAt,
        _ => DueAt,
    };
}
