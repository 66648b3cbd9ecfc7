using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Nodes;
using CleanProdFlow.Data.Database;
using CleanProdFlow.Engine.Execution;
using CleanProdFlow.Engine.Model;
using CleanProdFlow.Engine.Runtime;
using Dapper;
using Npgsql;

namespace CleanProdFlow.Data.Workflows;

/// <summary>
/// One command of the engine: one open connection and one transaction that every statement of the session uses.
/// <see cref="CommitAsync"/> makes it durable; disposing without committing rolls everything back.
/// On SQLite the transaction takes the write lock when it begins (<c>BEGIN IMMEDIATE</c>): two sessions that both
/// read and then write would otherwise deadlock on the lock upgrade (SQLITE_BUSY); a waiting session waits up to the
/// connection's busy timeout (30 s, set by <see cref="SqliteDialect"/>).
/// On PostgreSQL the writes whose results the command does not need at once are queued and sent together
/// (<see cref="PostgresWriteBatch"/>): a command's effects cost one round trip instead of one per row. SQLite runs
/// statements in-process and SQL Server keeps one statement per call, so there each write runs when it is made.
/// </summary>
public sealed class WorkflowSession : IWorkflowSession
{
    private readonly WriteTransaction _write;
    private readonly PostgresWriteBatch? _batch;
    private readonly Dictionary<Guid, JournalHead> _journalHeads = [];
    private bool _committed;
    private bool _disposed;

    private WorkflowSession(WriteTransaction write)
    {
        _write = write;
        if (write.Connection is NpgsqlConnection postgres)
            _batch = new PostgresWriteBatch(postgres, (NpgsqlTransaction)write.Transaction);
    }


    /// <summary>
    /// The transaction for statements others run in the command (handlers, observers, clock reads). Every session
    /// method that queues writes flushes them before it returns to the runtime, except an instance insert (the effects
    /// that follow flush it) and a claim's journal row (commit flushes it); should writes still be queued here, they
    /// are sent first, synchronously, so that what others read or write comes after them.
    /// </summary>
    public DbTransaction Transaction
    {
        get
        {
            if (!_committed && !_disposed)
                _batch?.Flush();
            return _write.Transaction;
        }
    }

    /// <summary>On SQLite the session first queues in this process's <see cref="SqliteWriteGate"/>, then takes the write lock.</summary>
    public static async Task<WorkflowSession> OpenAsync(CpfDatabase database, CancellationToken cancellationToken = default) =>
        new(await WriteTransaction.BeginAsync(database, cancellationToken));

    // ------------------------------------------------------------------ instances

    /// <summary>
    /// The instance with the head of its journal in the same statement (one snapshot): when this command's update of
    /// the row succeeds at the version read here, no other writer appended since (every appender moves the version),
    /// so the rows this command appends follow that head.
    /// </summary>
    public async Task<StoredInstance?> LoadInstanceAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await FlushAsync(cancellationToken);
        var row = await _write.Connection.QuerySingleOrDefaultAsync<InstanceWithJournalHead>(Command(
            "SELECT i.state AS State, i.row_version AS RowVersion, j.position AS JournalPosition, j.hash AS JournalHash " +
            "FROM workflow_instances i LEFT JOIN workflow_journal j ON j.instance_id = i.id " +
            "AND j.position = (SELECT MAX(position) FROM workflow_journal WHERE instance_id = i.id) WHERE i.id = @id",
            new { id }, cancellationToken));
        if (row is null)
            return null;
        _journalHeads[id] = new JournalHead { Position = row.JournalPosition, Hash = row.JournalHash };
        return new StoredInstance(InstanceState.FromJson(row.State), row.RowVersion);
    }

    private sealed class InstanceWithJournalHead
    {
        public string State { get; init; } = "";
        public int RowVersion { get; init; }
        public long? JournalPosition { get; init; }
        public string? JournalHash { get; init; }
    }

    public async Task InsertInstanceAsync(InstanceState state, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        _journalHeads[state.Id] = new JournalHead(); // a new instance's journal is empty
        now = Instants.ForStorage(now);
        await WriteAsync(
            "INSERT INTO workflow_instances (id, definition_key, version, business_key, organisation, status, state, parent_instance_id, " +
            "started_at, ended_at, updated_at, row_version) " +
            "VALUES (@id, @definitionKey, @version, @businessKey, @organisation, @status, @state, @parentInstanceId, @now, @endedAt, @now, 1)",
            new
            {
                id = state.Id, definitionKey = state.DefinitionKey, version = state.Version, businessKey = state.BusinessKey,
                organisation = state.Organisation, status = WorkflowText.Of(state.Status), state = state.ToJson(),
                parentInstanceId = state.ParentInstanceId, now, endedAt = state.IsEnded ? now : (DateTimeOffset?)null,
            }, cancellationToken);
    }

    /// <summary>
    /// Writes state, status, version, business key and organisation from <paramref name="state"/>, ended_at when it has
    /// ended (kept if already set), and bumps the row version, only if the row is still at
    /// <paramref name="expectedRowVersion"/>.
    /// </summary>
    public async Task<bool> UpdateInstanceAsync(InstanceState state, int expectedRowVersion, DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        var endedAt = state.IsEnded ? "COALESCE(ended_at, @now)" : "NULL";
        return await CountAsync(
            "UPDATE workflow_instances SET version = @version, business_key = @businessKey, organisation = @organisation, status = @status, " +
            $"state = @state, ended_at = {endedAt}, updated_at = @now, row_version = row_version + 1 " +
            "WHERE id = @id AND row_version = @expectedRowVersion",
            new
            {
                id = state.Id, version = state.Version, businessKey = state.BusinessKey, organisation = state.Organisation,
                status = WorkflowText.Of(state.Status), state = state.ToJson(), now = Instants.ForStorage(now), expectedRowVersion,
            }, cancellationToken) == 1;
    }

    // ------------------------------------------------------------------ projections of effects

    public async Task ApplyEffectsAsync(InstanceState state, IReadOnlyList<Effect> effects, DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        now = Instants.ForStorage(now);
        List<JournalEntry>? journal = null;
        foreach (var effect in effects)
        {
            switch (effect)
            {
                case TaskCreated created:
                    await InsertTaskAsync(state, created, now, cancellationToken);
                    break;
                case TaskCompleted completed:
                    await WriteAsync(
                        "UPDATE workflow_tasks SET status = 'completed', completed_at = @now, completed_by = @actor, outcome = @outcome " +
                        "WHERE id = @id AND status = 'open'",
                        new { id = completed.TaskId, now, actor = completed.Actor, outcome = completed.Outcome }, cancellationToken);
                    break;
                case TaskCancelled cancelled:
                    await WriteAsync(
                        "UPDATE workflow_tasks SET status = 'cancelled', cancelled_at = @now, cancel_reason = @reason WHERE id = @id AND status = 'open'",
                        new { id = cancelled.TaskId, now, reason = cancelled.Reason }, cancellationToken);
                    break;
                case TaskMoved moved:
                    await WriteAsync(
                        "UPDATE workflow_tasks SET element_id = @elementId, name = @name, form = @form, outcomes = @outcomes WHERE id = @id",
                        new
                        {
                            id = moved.TaskId, elementId = moved.Element.Id, name = moved.Element.DisplayName,
                            form = FormJson(moved.Element), outcomes = OutcomesJson(moved.Element),
                        }, cancellationToken);
                    await WriteAsync("DELETE FROM workflow_task_candidate_groups WHERE task_id = @id", new { id = moved.TaskId }, cancellationToken);
                    await InsertCandidateGroupsAsync(moved.TaskId, moved.Element, cancellationToken);
                    break;
                case TaskDueChanged dueChanged:
                    await WriteAsync("UPDATE workflow_tasks SET due_at = @dueAt WHERE id = @id AND status = 'open'",
                        new { id = dueChanged.TaskId, dueAt = Instants.ForStorage(dueChanged.DueAt) }, cancellationToken);
                    break;
                case TimerArmed armed:
                    await ArmTimerAsync(state, armed, now, cancellationToken);
                    break;
                case TimerCancelled timer:
                    await WriteAsync("UPDATE workflow_timers SET status = 'cancelled' WHERE id = @id AND status = 'pending'",
                        new { id = timer.TimerId }, cancellationToken);
                    break;
                case MessageSubscribed subscribed:
                    await WriteAsync(
                        "INSERT INTO workflow_message_subscriptions (id, instance_id, message_name, correlation_key, element_id, created_at) " +
                        "VALUES (@id, @instanceId, @messageName, @correlationKey, @elementId, @now)",
                        new
                        {
                            id = subscribed.SubscriptionId, instanceId = state.Id, messageName = subscribed.MessageName,
                            correlationKey = subscribed.CorrelationKey, elementId = subscribed.EventId, now,
                        }, cancellationToken);
                    break;
                case MessageUnsubscribed unsubscribed:
                    await WriteAsync("DELETE FROM workflow_message_subscriptions WHERE id = @id", new { id = unsubscribed.SubscriptionId },
                        cancellationToken);
                    break;
                case IncidentRaised raised:
                    await RaiseIncidentAsync(state, raised.Incident, cancellationToken);
                    break;
                case IncidentResolved resolved:
                    await WriteAsync(
                        "UPDATE workflow_incidents SET resolved_at = @now, resolved_by = @actor WHERE id = @id AND resolved_at IS NULL",
                        new { id = resolved.IncidentId, now, actor = resolved.Actor }, cancellationToken);
                    break;
                case JournalEntry entry:
                    (journal ??= []).Add(entry); // written together at the end: one statement, one chain
                    break;
                case InstanceEnded ended:
                    await WriteAsync("UPDATE workflow_instances SET status = @status, ended_at = COALESCE(ended_at, @now) WHERE id = @id",
                        new { id = state.Id, status = WorkflowText.Of(ended.Status), now }, cancellationToken);
                    break;
                case InstanceMigrated migrated:
                    await WriteAsync("UPDATE workflow_instances SET version = @version WHERE id = @id",
                        new { id = state.Id, version = migrated.ToVersion }, cancellationToken);
                    await WriteAsync("UPDATE workflow_timers SET definition_version = @version WHERE instance_id = @id AND status = 'pending'",
                        new { id = state.Id, version = migrated.ToVersion }, cancellationToken);
                    break;
                case TimerFired:               // the runner marked it with MarkTimerFiredAsync before the step
                case HandlerRequested:         // the runner runs the handler
                case ChildInstanceRequested:   // the runner starts the child (its own instance row)
                case ChildInstanceCancelled:   // the runner cancels the child
                    break;
                default:
                    throw new NotSupportedException($"The workflow store does not know the effect {effect.GetType().Name}.");
            }
        }
        if (journal is not null)
            await AppendJournalRowsAsync(state.Id, journal.Select(e => (e.Kind, e.ElementId, e.Actor, e.Data)).ToList(), now, cancellationToken);
        // One round trip for the whole step; observers and handlers then use the transaction with nothing queued.
        await FlushAsync(cancellationToken);
    }

    private async Task InsertTaskAsync(InstanceState state, TaskCreated created, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await WriteAsync(
            "INSERT INTO workflow_tasks (id, instance_id, definition_key, business_key, element_id, name, organisation, assignee, status, " +
            "created_at, due_at, form, outcomes) " +
            "VALUES (@id, @instanceId, @definitionKey, @businessKey, @elementId, @name, @organisation, NULL, 'open', @now, @dueAt, @form, @outcomes)",
            new
            {
                id = created.TaskId, instanceId = state.Id, definitionKey = state.DefinitionKey, businessKey = state.BusinessKey,
                elementId = created.Element.Id, name = created.Element.DisplayName, organisation = created.Organisation, now,
                dueAt = Instants.ForStorage(created.DueAt), form = FormJson(created.Element), outcomes = OutcomesJson(created.Element),
            }, cancellationToken);
        await InsertCandidateGroupsAsync(created.TaskId, created.Element, cancellationToken);
    }

    /// <summary>All of a task's groups in one statement (a task usually has one or two).</summary>
    private async Task InsertCandidateGroupsAsync(Guid taskId, UserTask element, CancellationToken cancellationToken)
    {
        var groups = element.CandidateGroups.Distinct(StringComparer.Ordinal).ToList();
        if (groups.Count == 0)
            return;
        var parameters = new DynamicParameters();
        parameters.Add("taskId", taskId);
        var values = new List<string>(groups.Count);
        for (var i = 0; i < groups.Count; i++)
        {
            parameters.Add($"g{i}", groups[i]);
            values.Add($"(@taskId, @g{i})");
        }
        await WriteAsync($"INSERT INTO workflow_task_candidate_groups (task_id, group_name) VALUES {string.Join(", ", values)}",
            parameters, cancellationToken);
    }

    /// <summary>A pending timer row; a timer id armed again (a repeating timer) makes its row pending again with the new due date.</summary>
    private async Task ArmTimerAsync(InstanceState state, TimerArmed armed, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var dueAt = Instants.ForStorage(armed.DueAt);
        var firedCount = state.Tokens.SelectMany(t => t.Waits).FirstOrDefault(w => w.Id == armed.TimerId)?.FiredCount ?? 0;
        var parameters = new
        {
            id = armed.TimerId, instanceId = state.Id, definitionKey = state.DefinitionKey, version = state.Version,
            elementId = armed.EventId, dueAt, firedCount, now,
        };
        const string insert =
            "INSERT INTO workflow_timers (id, instance_id, definition_key, definition_version, element_id, due_at, status, fired_count, created_at) " +
            "VALUES (@id, @instanceId, @definitionKey, @version, @elementId, @dueAt, 'pending', @firedCount, @now)";
        if (_batch is not null)
        {
            // Both cases in one statement, so that it can wait in the batch (no row count to look at).
            await WriteAsync(insert + " ON CONFLICT (id) DO UPDATE SET status = 'pending', due_at = EXCLUDED.due_at, " +
                "element_id = EXCLUDED.element_id, definition_version = EXCLUDED.definition_version", parameters, cancellationToken);
            return;
        }
        var rearmed = await CountAsync(
            "UPDATE workflow_timers SET status = 'pending', due_at = @dueAt, element_id = @elementId, definition_version = @version WHERE id = @id",
            new { id = armed.TimerId, dueAt, elementId = armed.EventId, version = state.Version }, cancellationToken);
        if (rearmed == 0)
            await WriteAsync(insert, parameters, cancellationToken);
    }

    /// <summary>Inserts the incident, or updates it when its id exists (another attempt; a resolved one is open again).</summary>
    private async Task RaiseIncidentAsync(InstanceState state, Incident incident, CancellationToken cancellationToken)
    {
        var parameters = new
        {
            id = incident.Id, instanceId = state.Id, elementId = incident.ElementId, message = incident.Message,
            raisedAt = Instants.ForStorage(incident.RaisedAt), attempts = incident.Attempts,
        };
        const string insert =
            "INSERT INTO workflow_incidents (id, instance_id, element_id, message, raised_at, attempts) " +
            "VALUES (@id, @instanceId, @elementId, @message, @raisedAt, @attempts)";
        if (_batch is not null)
        {
            await WriteAsync(insert + " ON CONFLICT (id) DO UPDATE SET element_id = EXCLUDED.element_id, message = EXCLUDED.message, " +
                "raised_at = EXCLUDED.raised_at, attempts = EXCLUDED.attempts, resolved_at = NULL, resolved_by = NULL", parameters, cancellationToken);
            return;
        }
        var updated = await CountAsync(
            "UPDATE workflow_incidents SET element_id = @elementId, message = @message, raised_at = @raisedAt, attempts = @attempts, " +
            "resolved_at = NULL, resolved_by = NULL WHERE id = @id",
            parameters, cancellationToken);
        if (updated == 0)
            await WriteAsync(insert, parameters, cancellationToken);
    }

    private static string FormJson(UserTask element) => JsonSerializer.Serialize(element.Form, WorkflowText.Json);

    private static string OutcomesJson(UserTask element) => JsonSerializer.Serialize(element.Outcomes, WorkflowText.Json);

    // ------------------------------------------------------------------ timers

    public async Task<bool> MarkTimerFiredAsync(Guid timerId, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        await CountAsync(
            "UPDATE workflow_timers SET status = 'fired', fired_at = @now, fired_count = fired_count + 1 WHERE id = @timerId AND status = 'pending'",
            new { timerId, now = Instants.ForStorage(now) }, cancellationToken) == 1;

    public Task InsertStartTimerAsync(Guid timerId, string definitionKey, int version, string elementId, DateTimeOffset dueAt, int firedCount,
        DateTimeOffset now, CancellationToken cancellationToken = default) =>
        CountAsync(
            "INSERT INTO workflow_timers (id, instance_id, definition_key, definition_version, element_id, due_at, status, fired_count, created_at) " +
            "VALUES (@timerId, NULL, @definitionKey, @version, @elementId, @dueAt, 'pending', @firedCount, @now)",
            new { timerId, definitionKey, version, elementId, dueAt = Instants.ForStorage(dueAt), firedCount, now = Instants.ForStorage(now) },
            cancellationToken);

    public Task CancelStartTimersAsync(string definitionKey, int version, CancellationToken cancellationToken = default) =>
        CountAsync(
            "UPDATE workflow_timers SET status = 'cancelled' " +
            "WHERE instance_id IS NULL AND definition_key = @definitionKey AND definition_version = @version AND status = 'pending'",
            new { definitionKey, version }, cancellationToken);

    // ------------------------------------------------------------------ tasks, journal, replies

    public async Task<bool> SetAssigneeAsync(Guid taskId, string? expectedAssignee, string? newAssignee, CancellationToken cancellationToken = default)
    {
        var expected = expectedAssignee is null ? "assignee IS NULL" : "assignee = @expectedAssignee";
        return await CountAsync(
            $"UPDATE workflow_tasks SET assignee = @newAssignee WHERE id = @taskId AND status = 'open' AND {expected}",
            new { taskId, expectedAssignee, newAssignee }, cancellationToken) == 1;
    }

    /// <summary>
    /// One row outside a step (a claim): the instance row is locked first (its row version moves on), so a concurrent
    /// command on the instance cannot read the same last position.
    /// </summary>
    public async Task AppendJournalAsync(Guid instanceId, string kind, string? elementId, string actor, JsonObject? data, DateTimeOffset at,
        CancellationToken cancellationToken = default)
    {
        await WriteAsync("UPDATE workflow_instances SET row_version = row_version + 1 WHERE id = @instanceId", new { instanceId }, cancellationToken);
        await AppendJournalRowsAsync(instanceId, [(kind, elementId, actor, data)], Instants.ForStorage(at), cancellationToken);
    }

    /// <summary>
    /// Appends rows to the instance's journal in one statement, each with the next position and its link in the chain
    /// (<see cref="JournalChain"/>). Callers hold the instance row (a step updated it; a claim locked it), so the last
    /// position read here is still the last when the rows are written; the unique (instance, position) index is the guard.
    /// </summary>
    private async Task AppendJournalRowsAsync(Guid instanceId, IReadOnlyList<(string Kind, string? ElementId, string Actor, JsonObject? Data)> entries,
        DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (!_journalHeads.ContainsKey(instanceId))
            await FlushAsync(cancellationToken);
        var last = _journalHeads.TryGetValue(instanceId, out var known) ? known : await _write.Connection.QuerySingleOrDefaultAsync<JournalHead>(Command(
            "SELECT position AS Position, hash AS Hash FROM workflow_journal " +
            "WHERE instance_id = @instanceId AND position = (SELECT MAX(position) FROM workflow_journal WHERE instance_id = @instanceId)",
            new { instanceId }, cancellationToken));
        var position = (int)(last?.Position ?? 0);
        var previous = last?.Hash?.Trim() ?? JournalChain.Genesis;
        var parameters = new DynamicParameters();
        parameters.Add("instanceId", instanceId);
        parameters.Add("at", at);
        var values = new List<string>(entries.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            var (kind, elementId, actor, data) = entries[i];
            var json = data?.ToJsonString();
            position++;
            previous = JournalChain.HashOf(previous, position, instanceId, at, actor, kind, elementId, json);
            parameters.Add($"p{i}", position);
            parameters.Add($"h{i}", previous);
            parameters.Add($"a{i}", actor);
            parameters.Add($"k{i}", kind);
            parameters.Add($"e{i}", elementId);
            parameters.Add($"d{i}", json);
            values.Add($"(@instanceId, @p{i}, @h{i}, @at, @a{i}, @k{i}, @e{i}, @d{i})");
        }
        await WriteAsync(
            $"INSERT INTO workflow_journal (instance_id, position, hash, at, actor, kind, element_id, data) VALUES {string.Join(", ", values)}",
            parameters, cancellationToken);
        _journalHeads[instanceId] = new JournalHead { Position = position, Hash = previous };
    }

    /// <summary>Properties, not a positional record: the position column is a 64-bit integer on SQLite and 32-bit elsewhere.</summary>
    private sealed class JournalHead
    {
        public long? Position { get; init; }
        public string? Hash { get; init; }
    }

    public async Task<IdempotentReply?> FindReplyAsync(string scope, string key, CancellationToken cancellationToken = default)
    {
        await FlushAsync(cancellationToken);
        var row = await _write.Connection.QuerySingleOrDefaultAsync<ReplyRow>(Command(
            "SELECT status AS Status, body AS Body FROM idempotency_replies WHERE scope = @scope AND idempotency_key = @key",
            new { scope, key }, cancellationToken));
        return row is null ? null : new IdempotentReply(row.Status, row.Body);
    }

    /// <summary>
    /// Stores the first reply for the key; a second save of the same key is a unique violation (the command is rolled
    /// back), thrown here: the insert is sent at once (with what is queued), not held for the commit.
    /// </summary>
    public Task SaveReplyAsync(string scope, string key, IdempotentReply reply, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        CountAsync(
            "INSERT INTO idempotency_replies (scope, idempotency_key, status, body, created_at) VALUES (@scope, @key, @status, @body, @now)",
            new { scope, key, status = reply.Status, body = reply.Body, now = Instants.ForStorage(now) }, cancellationToken);

    // ------------------------------------------------------------------ the transaction

    public async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        EnsureOpen();
        // Queued writes and the COMMIT in one round trip; Npgsql sees the transaction end and completes it.
        if (_batch is { IsEmpty: false })
            await _batch.FlushWithCommitAsync(cancellationToken);
        else
            await _write.Transaction.CommitAsync(cancellationToken);
        _committed = true;
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
            return;
        _disposed = true;
        try
        {
            if (!_committed)
                await _write.Transaction.RollbackAsync();
        }
        catch (Exception e) when (e is DbException or InvalidOperationException)
        {
            // The connection broke or the database already ended the transaction: nothing was committed either way.
        }
        finally
        {
            await _write.DisposeAsync();
        }
    }

    /// <summary>A write whose row count nobody looks at: queued on PostgreSQL, run at once elsewhere.</summary>
    private Task WriteAsync(string sql, object parameters, CancellationToken cancellationToken)
    {
        if (_batch is null)
            return _write.Connection.ExecuteAsync(Command(sql, parameters, cancellationToken));
        EnsureOpen();
        _batch.Add(sql, parameters);
        return Task.CompletedTask;
    }

    /// <summary>A write whose row count decides something: on PostgreSQL it goes last in one round trip with what is queued.</summary>
    private Task<int> CountAsync(string sql, object parameters, CancellationToken cancellationToken)
    {
        if (_batch is null)
            return _write.Connection.ExecuteAsync(Command(sql, parameters, cancellationToken));
        EnsureOpen();
        return _batch.FlushWithAsync(sql, parameters, cancellationToken);
    }

    /// <summary>Sends the queued writes, before a read or a commit (and at the end of a step's effects).</summary>
    private Task FlushAsync(CancellationToken cancellationToken)
    {
        EnsureOpen();
        return _batch?.FlushAsync(cancellationToken) ?? Task.CompletedTask;
    }

    private CommandDefinition Command(string sql, object parameters, CancellationToken cancellationToken)
    {
        EnsureOpen();
        return new CommandDefinition(sql, parameters, _write.Transaction, cancellationToken: cancellationToken);
    }

    private void EnsureOpen()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_committed)
            throw new InvalidOperationException("This workflow session is committed; begin a new one for further work.");
    }
}
