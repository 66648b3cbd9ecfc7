using System.Collections.Concurrent;
using System.Data;
using System.Reflection;
using Dapper;
using Npgsql;

namespace CleanProdFlow.Data.Workflows;

/// <summary>
/// The writes of one <see cref="WorkflowSession"/> on PostgreSQL whose results the command does not need at once,
/// queued in order and sent as one <see cref="NpgsqlBatch"/>: one network round trip (and one Sync) for what were a
/// dozen statements each waiting for its answer. The session flushes before every read, before every statement whose
/// row count decides something (that statement goes last in the same batch) and before commit, so nothing it or the
/// engine reads can miss a queued write. A failing statement fails the batch with its own
/// <see cref="PostgresException"/> (SQL state, table and constraint as before; Npgsql names the batch command only
/// with "Include Failed Batched Command"), PostgreSQL skips the rest, and the transaction is aborted: the command
/// rolls back whole, as when each statement went alone.
/// </summary>
internal sealed class PostgresWriteBatch(NpgsqlConnection connection, NpgsqlTransaction transaction)
{
    private static readonly ConcurrentDictionary<Type, PropertyInfo[]> PropertiesByType = new();

    private List<NpgsqlBatchCommand> _queued = [];

    public bool IsEmpty => _queued.Count == 0;

    public void Add(string sql, object parameters) => _queued.Add(CommandOf(sql, parameters));

    /// <summary>Sends the queued writes, then <paramref name="sql"/> last in the same round trip; its row count.</summary>
    public async Task<int> FlushWithAsync(string sql, object parameters, CancellationToken cancellationToken)
    {
        _queued.Add(CommandOf(sql, parameters));
        var last = _queued[^1];
        await FlushAsync(cancellationToken);
        return last.RecordsAffected;
    }

    /// <summary>
    /// Sends the queued writes with <c>COMMIT</c> last. A failing write makes PostgreSQL skip the COMMIT (the
    /// transaction stays open and aborted; the session rolls it back); a COMMIT that fails has ended the transaction.
    /// </summary>
    public Task FlushWithCommitAsync(CancellationToken cancellationToken)
    {
        _queued.Add(new NpgsqlBatchCommand("COMMIT"));
        return FlushAsync(cancellationToken);
    }

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_queued.Count == 0)
            return;
        await using var batch = Take();
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>For the rare read of the transaction handed out while writes are queued (see <see cref="WorkflowSession.Transaction"/>).</summary>
    public void Flush()
    {
        if (_queued.Count == 0)
            return;
        using var batch = Take();
        batch.ExecuteNonQuery();
    }

    /// <summary>The queue is emptied before the batch runs: a failed batch is not sent again (its transaction is aborted anyway).</summary>
    private NpgsqlBatch Take()
    {
        var batch = new NpgsqlBatch(connection, transaction);
        foreach (var command in _queued)
            batch.BatchCommands.Add(command);
        _queued = [];
        return batch;
    }

    private static NpgsqlBatchCommand CommandOf(string sql, object parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        if (parameters is DynamicParameters dynamic)
        {
            foreach (var name in dynamic.ParameterNames)
                command.Parameters.Add(ParameterOf(name, typeof(object), dynamic.Get<object?>(name)));
        }
        else
        {
            foreach (var property in PropertiesByType.GetOrAdd(parameters.GetType(), t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance)))
                command.Parameters.Add(ParameterOf(property.Name, property.PropertyType, property.GetValue(parameters)));
        }
        return command;
    }

    /// <summary>
    /// As Dapper passes them to Npgsql: values as they are (instants are already UTC at storage precision, Guids are
    /// uuid), a null typed by its declared type so that PostgreSQL need not guess.
    /// </summary>
    private static NpgsqlParameter ParameterOf(string name, Type declared, object? value)
    {
        var parameter = new NpgsqlParameter { ParameterName = name, Value = value ?? DBNull.Value };
        if (value is null && NullType(Nullable.GetUnderlyingType(declared) ?? declared) is { } dbType)
            parameter.DbType = dbType;
        return parameter;
    }

    private static DbType? NullType(Type type) =>
        type == typeof(string) ? DbType.String
        : type == typeof(Guid) ? DbType.Guid
        : type == typeof(DateTimeOffset) ? DbType.DateTimeOffset
        : type == typeof(int) ? DbType.Int32
        : type == typeof(long) ? DbType.Int64
        : type == typeof(bool) ? DbType.Boolean
        : null;
}
