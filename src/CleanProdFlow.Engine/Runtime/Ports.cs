using System.Data.Common;
using System.Text.Json.Nodes;
using CleanProdFlow.Engine.Execution;
using CleanProdFlow.Engine.Model;

namespace CleanProdFlow.Engine.Runtime;

/// <summary>What a service task's handler is given: a copy of the instance's variables and where it runs.</summary>
public sealed record ServiceTaskContext(Guid InstanceId, string DefinitionKey, int Version, string? BusinessKey, string Organisation,
    string ElementId, JsonObject Variables, DateTimeOffset Now)
{
    /// <summary>The task's fixed inputs (<c>cpf:input</c>).</summary>
    public IReadOnlyDictionary<string, string> Inputs { get; init; } = new Dictionary<string, string>();

    /// <summary>The command's transaction: a handler's writes commit or roll back with the step that ran it.</summary>
    public DbTransaction? Transaction { get; init; }

    /// <summary>Clocks of the instance this handler changed, with their new due instants (null: paused or ended).</summary>
    public List<ClockMove> ClockMoves { get; } = [];

    /// <summary>
    /// Tells the engine that a clock of this instance has a new due date: timers and tasks bound to it follow in the
    /// same step, and tasks created after the handler already get the new date.
    /// </summary>
    public void ReportClockMoved(string clockName, ClockTimes times, string reason) => ClockMoves.Add(new ClockMove(clockName, times, reason));

    /// <summary>An input the handler cannot work without; a missing one fails the task with an incident naming it.</summary>
    public string Input(string name) =>
        Inputs.TryGetValue(name, out var value) && value.Length > 0
            ? value
            : throw new InvalidOperationException($"the service task '{ElementId}' needs <cpf:input name=\"{name}\" value=\"…\"/>");
}

/// <summary>
/// A service task's work, found by the name in <c>cpf:handler</c>. Returns variables to set (or null). An exception
/// raises an incident on the task that an administrator can retry; the token is never lost.
/// </summary>
public interface IServiceTaskHandler
{
    string Name { get; }

    Task<JsonObject?> ExecuteAsync(ServiceTaskContext context, CancellationToken cancellationToken);
}

/// <summary>Statutory time as the engine needs it: rule deadlines, and the due dates of an instance's clocks.</summary>
public interface IStatutoryDueDates
{
    bool IsKnownRule(string ruleId);

    /// <summary>The end of a rule's limit counted from <paramref name="from"/> (halved on the fast track when the rule allows).</summary>
    DateTimeOffset RuleDueAt(string ruleId, bool fastTrack, DateTimeOffset from);

    /// <summary>
    /// Each named clock of the instance with its due and reminder instants (all null while paused or ended), read in
    /// <paramref name="transaction"/> when a command runs (no second connection while it holds the write lock).
    /// </summary>
    Task<IReadOnlyDictionary<string, ClockTimes>> ClockTimesAsync(Guid instanceId, System.Data.Common.DbTransaction? transaction,
        CancellationToken cancellationToken);
}

/// <summary>A clock's new instants and why it moved.</summary>
public sealed record ClockMove(string ClockName, ClockTimes Times, string Reason);

/// <summary>
/// What one step of an instance did, as written: the new state, the effects (tasks created, timers fired, journal
/// entries) and the step's transaction, for observers that record follow-up work with the step (an outbox row) and
/// hand it on only after commit.
/// </summary>
public sealed class StepRecord(InstanceState state, ProcessDefinition definition, IReadOnlyList<Effect> effects, DateTimeOffset now, DbTransaction transaction)
{
    internal List<Action> AfterCommitActions { get; } = [];

    public InstanceState State => state;

    public ProcessDefinition Definition => definition;

    public IReadOnlyList<Effect> Effects => effects;

    public DateTimeOffset Now => now;

    /// <summary>The step's transaction: writes commit or roll back with the step.</summary>
    public DbTransaction Transaction => transaction;

    /// <summary>Runs <paramref name="action"/> once the step's transaction committed (never when it rolled back); a failure is logged, not raised.</summary>
    public void AfterCommit(Action action) => AfterCommitActions.Add(action);
}

/// <summary>
/// Sees every step of every instance inside its transaction, after the step's effects were written (e.g. the
/// notifications' outbox). An exception fails the command like any write of the step would.
/// </summary>
public interface IStepObserver
{
    Task StepAppliedAsync(StepRecord step, CancellationToken cancellationToken);
}
