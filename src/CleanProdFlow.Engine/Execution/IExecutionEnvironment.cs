using CleanProdFlow.Engine.Model;

namespace CleanProdFlow.Engine.Execution;

/// <summary>
/// What the interpreter asks of the outside world, so that it stays a function of its inputs: the current instant,
/// new ids, and due dates of statutory time (a time-limit rule or a clock of the instance).
/// </summary>
public interface IExecutionEnvironment
{
    DateTimeOffset Now { get; }

    Guid NewId();

    /// <summary>The due instant of a binding counted from <paramref name="from"/>; null when there is none (a paused clock).</summary>
    DateTimeOffset? DueAt(DueDateBinding binding, InstanceState instance, DateTimeOffset from);
}
