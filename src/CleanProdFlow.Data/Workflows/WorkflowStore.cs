using System.Data.Common;
using CleanProdFlow.Data.Database;
using CleanProdFlow.Engine.Runtime;
using Dapper;

namespace CleanProdFlow.Data.Workflows;

/// <summary>
/// The engine's tables (db/*/0006_workflow_engine.sql) on every provider. Reads run on their own connection; commands
/// run in a <see cref="WorkflowSession"/> (one connection, one transaction). The instance row's state JSON is the
/// truth; tasks, timers, subscriptions and incidents are projections written by
/// <see cref="WorkflowSession.ApplyEffectsAsync"/> in the same transaction.
/// </summary>
public sealed class WorkflowStore(CpfDatabase database) : IWorkflowStore
{
    /// <summary>How often a new definition version is tried again after another upload took the same number.</summary>
    private const int AddVersionAttempts = 10;

    public async Task<IWorkflowSession> BeginAsync(CancellationToken cancellationToken = default) =>
        await WorkflowSession.OpenAsync(database, cancellationToken);

    public bool IsTransientConflict(Exception exception) =>
        exception is System.Data.Common.DbException db && database.Dialect.IsTransientConflict(db);

    // ------------------------------------------------------------------ definitions

    public async Task<DefinitionVersion?> FindDefinitionAsync(string key, int version, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<DefinitionRow>(new CommandDefinition(
            $"{DefinitionRow.Select} WHERE definition_key = @key AND version = @version",
            new { key, version }, cancellationToken: cancellationToken));
        return row?.ToRecord();
    }

    public async Task<DefinitionVersion?> LatestPublishedAsync(string key, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<DefinitionRow>(new CommandDefinition(
            database.Dialect.Limit($"{DefinitionRow.Select} WHERE definition_key = @key AND status = 'published' ORDER BY version DESC", "@limit"),
            new { key, limit = 1 }, cancellationToken: cancellationToken));
        return row?.ToRecord();
    }

    public async Task<IReadOnlyList<DefinitionVersion>> ListDefinitionsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<DefinitionRow>(new CommandDefinition(
            $"{DefinitionRow.Select} WHERE version = (SELECT MAX(v.version) FROM workflow_definitions v " +
            "WHERE v.definition_key = workflow_definitions.definition_key) ORDER BY definition_key",
            cancellationToken: cancellationToken));
        return rows.Select(r => r.ToRecord()).ToList();
    }

    public async Task<IReadOnlyList<DefinitionVersion>> VersionsAsync(string key, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<DefinitionRow>(new CommandDefinition(
            $"{DefinitionRow.Select} WHERE definition_key = @key ORDER BY version", new { key }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToRecord()).ToList();
    }

    /// <summary>
    /// Stores version highest + 1 as a draft. Two uploads of the same key at once cannot get the same number: SQLite
    /// serialises writers (the transaction takes the write lock at its start), SQL Server holds a key-range update
    /// lock from the MAX to the INSERT, and on PostgreSQL the loser's INSERT hits the primary key and is tried again.
    /// </summary>
    public async Task<DefinitionVersion> AddVersionAsync(string key, string? name, string xml, string contentHash, string createdBy,
        DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        now = Instants.ForStorage(now);
        var lockHint = database.Provider == DatabaseProvider.SqlServer ? " WITH (UPDLOCK, HOLDLOCK)" : "";
        for (var attempt = 1; ; attempt++)
        {
            await using var write = await WriteTransaction.BeginAsync(database, cancellationToken);
            var (connection, transaction) = (write.Connection, write.Transaction);
            try
            {
                var version = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
                    $"SELECT COALESCE(MAX(version), 0) + 1 FROM workflow_definitions{lockHint} WHERE definition_key = @key",
                    new { key }, transaction, cancellationToken: cancellationToken));
                await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO workflow_definitions (definition_key, version, name, status, xml, content_hash, created_at, created_by) " +
                    "VALUES (@key, @version, @name, 'draft', @xml, @contentHash, @now, @createdBy)",
                    new { key, version, name, xml, contentHash, now, createdBy }, transaction, cancellationToken: cancellationToken));
                await transaction.CommitAsync(cancellationToken);
                return new DefinitionVersion(key, version, name, DefinitionStatus.Draft, xml, contentHash, now, createdBy, null, null);
            }
            catch (DbException e) when (database.Dialect.IsUniqueViolation(e) && attempt < AddVersionAttempts)
            {
                // Another upload took this number between our MAX and our INSERT; count again.
            }
        }
    }

    /// <summary>
    /// Moves a version from <paramref name="from"/> to <paramref name="to"/> and stamps published_at or retired_at;
    /// false when the version does not exist or is not in <paramref name="from"/>. Which moves are allowed is the
    /// runtime's decision (draft → published, published → retired).
    /// </summary>
    public async Task<bool> ChangeStatusAsync(string key, int version, DefinitionStatus from, DefinitionStatus to, DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        var stamps = to switch
        {
            DefinitionStatus.Published => ", published_at = @now",
            DefinitionStatus.Retired => ", retired_at = @now",
            _ => "",
        };
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            $"UPDATE workflow_definitions SET status = @to{stamps} WHERE definition_key = @key AND version = @version AND status = @from",
            new { key, version, from = WorkflowText.Of(from), to = WorkflowText.Of(to), now = Instants.ForStorage(now) },
            cancellationToken: cancellationToken)) == 1;
    }

    // ------------------------------------------------------------------ instances and their projections

    public async Task<StoredInstance?> FindInstanceAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<InstanceRow>(new CommandDefinition(
            $"{InstanceRow.Select} WHERE id = @id", new { id }, cancellationToken: cancellationToken));
        return row?.ToStored();
    }

    public async Task<IReadOnlyList<InstanceSummary>> RunningInstancesAsync(string definitionKey, int version,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<InstanceSummaryRow>(new CommandDefinition(
            $"{InstanceSummaryRow.Select} WHERE definition_key = @definitionKey AND version = @version AND status = 'running' ORDER BY started_at, id",
            new { definitionKey, version }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToRecord()).ToList();
    }

    public async Task<IReadOnlyList<IncidentRecord>> OpenIncidentsAsync(Guid instanceId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<IncidentRow>(new CommandDefinition(
            $"{IncidentRow.Select} WHERE instance_id = @instanceId AND resolved_at IS NULL ORDER BY raised_at, id",
            new { instanceId }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToRecord()).ToList();
    }

    public async Task<IReadOnlyList<JournalRecord>> JournalAsync(Guid instanceId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<JournalRow>(new CommandDefinition(
            $"{JournalRow.Select} WHERE instance_id = @instanceId ORDER BY sequence", new { instanceId }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToRecord()).ToList();
    }

    public async Task<TaskRecord?> FindTaskAsync(Guid taskId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<TaskRow>(new CommandDefinition(
            $"SELECT {TaskRow.Columns}, g.group_name AS GroupName FROM workflow_tasks t " +
            "LEFT JOIN workflow_task_candidate_groups g ON g.task_id = t.id WHERE t.id = @taskId",
            new { taskId }, cancellationToken: cancellationToken));
        return TaskRow.ToRecords(rows).SingleOrDefault();
    }

    /// <summary>
    /// A page of tasks. Visibility: with <see cref="TaskQuery.Organisations"/> only tasks of those organisations; with
    /// <see cref="TaskQuery.Groups"/> only tasks that have one of those candidate groups (an indexed EXISTS on the
    /// candidate-group table). <see cref="TaskQuery.Assignee"/> is a filter like the others (assignee equals it), it
    /// does not widen visibility. Ordered by due date with tasks without one last, then id; the next page starts
    /// after <see cref="TaskQuery.After"/> (keyset, no OFFSET), so pages have no duplicates and no gaps.
    /// </summary>
    public Task<IReadOnlyList<TaskRecord>> ListTasksAsync(TaskQuery query, CancellationToken cancellationToken = default) =>
        // One query for both: the inbox's adds its own filters to exactly this one.
        new InboxStore(database).ListTasksAsync(new InboxQuery { Tasks = query }, cancellationToken);

    public async Task<IReadOnlyList<MessageSubscriptionRecord>> SubscriptionsAsync(string messageName, string correlationKey,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<SubscriptionRow>(new CommandDefinition(
            $"{SubscriptionRow.Select} WHERE message_name = @messageName AND correlation_key = @correlationKey ORDER BY created_at, id",
            new { messageName, correlationKey }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToRecord()).ToList();
    }

    // ------------------------------------------------------------------ timers

    public async Task<IReadOnlyList<TimerRecord>> DueTimersAsync(DateTimeOffset upTo, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<TimerRow>(new CommandDefinition(
            database.Dialect.Limit($"{TimerRow.Select} WHERE status = 'pending' AND due_at <= @upTo ORDER BY due_at, id", "@limit"),
            new { upTo = Instants.ForStorage(upTo), limit }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToRecord()).ToList();
    }

    public async Task<DateTimeOffset?> NextTimerDueAtAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // ORDER BY … LIMIT 1 rather than MIN(): the (status, due_at) index answers it, and the row type reads the instant.
        var row = await connection.QuerySingleOrDefaultAsync<TimerRow>(new CommandDefinition(
            database.Dialect.Limit($"{TimerRow.Select} WHERE status = 'pending' ORDER BY due_at", "@limit"),
            new { limit = 1 }, cancellationToken: cancellationToken));
        return row?.DueAt;
    }

    public async Task<IReadOnlyList<TimerRecord>> ClaimDueTimersAsync(DbTransaction transaction, DateTimeOffset upTo, int limit,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var connection = transaction.Connection ?? throw new InvalidOperationException("the transaction has no connection");
        var sql = database.Provider switch
        {
            // Several nodes fire timers: each takes rows no other transaction holds, so none waits for another's batch.
            DatabaseProvider.Postgres =>
                $"{TimerRow.Select} WHERE status = 'pending' AND due_at <= @upTo ORDER BY due_at, id LIMIT @limit FOR UPDATE SKIP LOCKED",
            DatabaseProvider.SqlServer =>
                TimerRow.Select.Replace("SELECT ", "SELECT TOP (@limit) ", StringComparison.Ordinal)
                    .Replace(" FROM workflow_timers", " FROM workflow_timers WITH (UPDLOCK, READPAST, ROWLOCK)", StringComparison.Ordinal)
                + " WHERE status = 'pending' AND due_at <= @upTo ORDER BY due_at, id",
            _ => database.Dialect.Limit($"{TimerRow.Select} WHERE status = 'pending' AND due_at <= @upTo ORDER BY due_at, id", "@limit"),
        };
        var rows = await connection.QueryAsync<TimerRow>(new CommandDefinition(sql,
            new { upTo = Instants.ForStorage(upTo), limit }, transaction, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToRecord()).ToList();
    }

    public async Task<TimerRecord?> FindTimerAsync(Guid timerId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<TimerRow>(new CommandDefinition(
            $"{TimerRow.Select} WHERE id = @timerId", new { timerId }, cancellationToken: cancellationToken));
        return row?.ToRecord();
    }
}
