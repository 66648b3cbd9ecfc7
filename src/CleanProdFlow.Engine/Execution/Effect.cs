using System.Text.Json.Nodes;
using CleanProdFlow.Engine.Model;

namespace CleanProdFlow.Engine.Execution;

/// <summary>
/// What a step of the interpreter asks the runtime to do, in order. The list is closed: the runner handles every
/// kind in the same transaction as the new state, and arms timers only after commit.
/// </summary>
public abstract record Effect;

public sealed record TaskCreated(Guid TaskId, Guid TokenId, UserTask Element, string Organisation, DateTimeOffset? DueAt) : Effect;

public sealed record TaskCancelled(Guid TaskId, string Reason) : Effect;

public sealed record TaskCompleted(Guid TaskId, string Actor, string? Outcome) : Effect;

public sealed record TimerArmed(Guid TimerId, Guid TokenId, string EventId, DateTimeOffset DueAt) : Effect;

public sealed record TimerCancelled(Guid TimerId) : Effect;

/// <summary>A timer that has fired; a repeating one is armed again with a new <see cref="TimerArmed"/>.</summary>
public sealed record TimerFired(Guid TimerId) : Effect;

public sealed record MessageSubscribed(Guid SubscriptionId, Guid TokenId, string EventId, string MessageName, string CorrelationKey) : Effect;

public sealed record MessageUnsubscribed(Guid SubscriptionId) : Effect;

/// <summary>Run a service task's handler; its answer comes back as HandlerSucceeded or HandlerFailed.</summary>
public sealed record HandlerRequested(Guid TokenId, string ElementId, string Handler) : Effect;

public sealed record ChildInstanceRequested(Guid ChildInstanceId, Guid TokenId, string ElementId, string CalledElement, JsonObject Variables) : Effect;

public sealed record ChildInstanceCancelled(Guid ChildInstanceId) : Effect;

public sealed record IncidentRaised(Incident Incident) : Effect;

public sealed record IncidentResolved(Guid IncidentId, string Actor) : Effect;

/// <summary>The instance ended (completed or terminated); a parent waiting in a call activity is told.</summary>
public sealed record InstanceEnded(InstanceStatus Status) : Effect;

/// <summary>An append-only journal row: what happened, where, and details as JSON.</summary>
public sealed record JournalEntry(string Kind, string? ElementId, string Actor, JsonObject? Data = null) : Effect;

/// <summary>A migrated instance's task now belongs to another element of the new version.</summary>
public sealed record TaskMoved(Guid TaskId, UserTask Element) : Effect;

/// <summary>The instance moved to another version of its definition.</summary>
public sealed record InstanceMigrated(int FromVersion, int ToVersion) : Effect;

/// <summary>A task's due date moved with the clock it is bound to (a pause, an extension, a calendar change).</summary>
public sealed record TaskDueChanged(Guid TaskId, DateTimeOffset? DueAt) : Effect;
