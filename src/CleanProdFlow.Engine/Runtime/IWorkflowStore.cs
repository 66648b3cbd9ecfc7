using System.Data.Common;
using System.Text.Json.Nodes;
using CleanProdFlow.Engine.Execution;

namespace CleanProdFlow.Engine.Runtime;

public enum DefinitionStatus { Draft, Published, Retired }

/// <summary>A stored version of a definition (its XML is read again into a model when needed).</summary>
public sealed record DefinitionVersion(string Key, int Version, string? Name, DefinitionStatus Status, string Xml, string ContentHash,
    DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? PublishedAt, DateTimeOffset? RetiredAt);

/// <summary>An instance as read in a session, with the row version its update must match.</summary>
public sealed record StoredInstance(InstanceState State, int RowVersion);

public enum TaskStatus { Open, Completed, Cancelled }

/// <summary>A user task row: the inbox's view of a task.</summary>
public sealed record TaskRecord(Guid Id, Guid InstanceId, string DefinitionKey, string? BusinessKey, string ElementId, string Name,
    IReadOnlyList<string> CandidateGroups, string Organisation, string? Assignee, TaskStatus Status, DateTimeOffset CreatedAt,
    DateTimeOffset? DueAt, DateTimeOffset? CompletedAt, string? CompletedBy, string? Outcome, string FormJson, string OutcomesJson);

public enum TimerStatus { Pending, Fired, Cancelled }

/// <summary>A timer row: our table is the truth; the timer pump fires what is due from it.</summary>
public sealed record TimerRecord(Guid Id, Guid? InstanceId, string? DefinitionKey, int? DefinitionVersion, string ElementId,
    DateTimeOffset DueAt, TimerStatus Status, int FiredCount);

/// <summary>
/// A journal row. <paramref name="Position"/> counts the instance's rows from 1 without gaps; <paramref name="Hash"/> chains
/// it to the previous row (<see cref="JournalChain"/>); both are null only on rows written before the chain existed.
/// </summary>
public sealed record JournalRecord(long Sequence, Guid InstanceId, DateTimeOffset At, string Actor, string Kind, string? ElementId, string? Data,
    int? Position = null, string? Hash = null);

public sealed record IncidentRecord(Guid Id, Guid InstanceId, string ElementId, string Message, DateTimeOffset RaisedAt, int Attempts,
    DateTimeOffset? ResolvedAt, string? ResolvedBy);

public sealed record MessageSubscriptionRecord(Guid Id, Guid InstanceId, string MessageName, string CorrelationKey, string ElementId);

/// <summary>The first answer to an idempotent command, replayed for the same key.</summary>
public sealed record IdempotentReply(int Status, string Body);

/// <summary>Instances of a definition, for the definitions page and migration.</summary>
public sealed record InstanceSummary(Guid Id, string DefinitionKey, int Version, string? BusinessKey, string Organisation, InstanceStatus Status,
    DateTimeOffset StartedAt, DateTimeOffset? EndedAt);

/// <summary>
/// The engine's tables. Reads run on their own connection; every command runs in one <see cref="IWorkflowSession"/>
/// (one database transaction), committed or not at all.
/// </summary>
public interface IWorkflowStore
{
    Task<IWorkflowSession> BeginAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Whether a command's failure is the database refusing its transaction transiently (deadlock victim, serialization
    /// failure, busy): nothing of it was committed and the whole command may run again from the start.
    /// </summary>
    bool IsTransientConflict(Exception exception);

    // Definitions
    Task<DefinitionVersion?> FindDefinitionAsync(string key, int version, CancellationToken cancellationToken = default);

    Task<DefinitionVersion?> LatestPublishedAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>The newest version of every key (any status), for the list and for start-up deployment.</summary>
    Task<IReadOnlyList<DefinitionVersion>> ListDefinitionsAsync(CancellationToken cancellationToken = default);

    Task<IReadOnlyList<DefinitionVersion>> VersionsAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Stores a new draft version (version = highest + 1) and returns it.</summary>
    Task<DefinitionVersion> AddVersionAsync(string key, string? name, string xml, string contentHash, string createdBy, DateTimeOffset now,
        CancellationToken cancellationToken = default);

    /// <summary>Draft → published, published → retired; false when the version was not in the expected status.</summary>
    Task<bool> ChangeStatusAsync(string key, int version, DefinitionStatus from, DefinitionStatus to, DateTimeOffset now,
        CancellationToken cancellationToken = default);

    // Instances and their projections
    Task<StoredInstance?> FindInstanceAsync(Guid id, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<InstanceSummary>> RunningInstancesAsync(string definitionKey, int version, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<IncidentRecord>> OpenIncidentsAsync(Guid instanceId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<JournalRecord>> JournalAsync(Guid instanceId, CancellationToken cancellationToken = default);

    Task<TaskRecord?> FindTaskAsync(Guid taskId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Tasks visible to someone of <paramref name="organisations"/> with one of <paramref name="groups"/> (or assigned to
    /// <paramref name="assignee"/>), filtered, ordered by due date (nulls last) then id, keyset paged after the given task.
    /// </summary>
    Task<IReadOnlyList<TaskRecord>> ListTasksAsync(TaskQuery query, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<MessageSubscriptionRecord>> SubscriptionsAsync(string messageName, string correlationKey, CancellationToken cancellationToken = default);

    // Timers
    /// <summary>Pending timers due at or before <paramref name="upTo"/>, earliest first.</summary>
    Task<IReadOnlyList<TimerRecord>> DueTimersAsync(DateTimeOffset upTo, int limit, CancellationToken cancellationToken = default);

    Task<TimerRecord?> FindTimerAsync(Guid timerId, CancellationToken cancellationToken = default);

    /// <summary>The due instant of the earliest pending timer; null when none is pending.</summary>
    Task<DateTimeOffset?> NextTimerDueAtAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Up to <paramref name="limit"/> pending timers due at or before <paramref name="upTo"/>, earliest first, read in
    /// the command's <paramref name="transaction"/> and locked for it where the database can: rows another node's
    /// transaction holds are skipped, not waited for (PostgreSQL <c>FOR UPDATE SKIP LOCKED</c>, SQL Server
    /// <c>UPDLOCK, READPAST</c>; SQLite's transaction already holds the only write lock).
    /// </summary>
    Task<IReadOnlyList<TimerRecord>> ClaimDueTimersAsync(DbTransaction transaction, DateTimeOffset upTo, int limit,
        CancellationToken cancellationToken = default);
}

/// <summary>Which tasks to list. Null filters are not applied; organisations/groups null means no visibility restriction (auditors).</summary>
public sealed record TaskQuery
{
    public IReadOnlyList<string>? Organisations { get; init; }
    public IReadOnlyList<string>? Groups { get; init; }
    public string? CandidateGroup { get; init; }
    public string? Assignee { get; init; }
    public TaskStatus? Status { get; init; }
    public Guid? InstanceId { get; init; }
    public string? DefinitionKey { get; init; }
    public string? BusinessKey { get; init; }
    public int Limit { get; init; } = 50;
    /// <summary>Keyset: the last task of the previous page (its due date and id).</summary>
    public (DateTimeOffset? DueAt, Guid Id)? After { get; init; }
}

/// <summary>One command's transaction. Dispose without <see cref="CommitAsync"/> rolls everything back.</summary>
public interface IWorkflowSession : IAsyncDisposable
{
    /// <summary>
    /// The command's transaction, for work that must commit or roll back with it: a service handler's writes, a
    /// statutory clock changed by staff. (On SQLite a second connection would wait for this one's write lock.)
    /// </summary>
    DbTransaction Transaction { get; }

    Task<StoredInstance?> LoadInstanceAsync(Guid id, CancellationToken cancellationToken = default);

    Task InsertInstanceAsync(InstanceState state, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Writes the state if the row is still at <paramref name="expectedRowVersion"/>; false when another command won.</summary>
    Task<bool> UpdateInstanceAsync(InstanceState state, int expectedRowVersion, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes the projections of one step's effects: task rows (created, completed, cancelled, moved), timer rows
    /// (armed pending, cancelled; a fired timer is already marked), subscriptions, incidents, journal rows.
    /// </summary>
    Task ApplyEffectsAsync(InstanceState state, IReadOnlyList<Effect> effects, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Pending → fired, only if still pending: the guard that makes a duplicate delivery do nothing.</summary>
    Task<bool> MarkTimerFiredAsync(Guid timerId, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>A timer that belongs to a definition's timer start event (no instance yet).</summary>
    Task InsertStartTimerAsync(Guid timerId, string definitionKey, int version, string elementId, DateTimeOffset dueAt, int firedCount,
        DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Cancels the pending start timers of a definition version (retired, or replaced by a newer published one).</summary>
    Task CancelStartTimersAsync(string definitionKey, int version, CancellationToken cancellationToken = default);

    /// <summary>Claim (assignee null → user) or unclaim (assignee user → null) an open task; false when it was not in that state.</summary>
    Task<bool> SetAssigneeAsync(Guid taskId, string? expectedAssignee, string? newAssignee, CancellationToken cancellationToken = default);

    /// <summary>Appends one row to the instance's journal, chained to its last row (the instance row is locked first).</summary>
    Task AppendJournalAsync(Guid instanceId, string kind, string? elementId, string actor, JsonObject? data, DateTimeOffset at,
        CancellationToken cancellationToken = default);

    Task<IdempotentReply?> FindReplyAsync(string scope, string key, CancellationToken cancellationToken = default);

    Task SaveReplyAsync(string scope, string key, IdempotentReply reply, DateTimeOffset now, CancellationToken cancellationToken = default);

    Task CommitAsync(CancellationToken cancellationToken = default);
}

/// <summary>Told of timers after commit (the timer pump in the product, a list in tests).</summary>
public interface ITimerScheduler
{
    /// <summary>A timer committed as pending with this due instant: wake whatever fires timers if it is earlier than planned.</summary>
    void Schedule(Guid timerId, DateTimeOffset dueAt);
}
