using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace CleanProdFlow.Data.Database;

/// <summary>
/// A write transaction on its own connection for work outside an engine command (e.g. the notification fan-out). On
/// SQLite it queues in this process's <see cref="SqliteWriteGate"/> and then takes the write lock at the start
/// (<c>BEGIN IMMEDIATE</c>), as the engine's commands do: without the queue it would wait in SQLite's busy handler,
/// which sleeps between tries while the lock sits idle. Disposing without committing rolls back.
/// </summary>
public sealed class WriteTransaction : IAsyncDisposable
{
    private readonly IDisposable? _writeGate;

    private WriteTransaction(DbConnection connection, DbTransaction transaction, IDisposable? writeGate)
    {
        Connection = connection;
        Transaction = transaction;
        _writeGate = writeGate;
    }

    public DbConnection Connection { get; }

    public DbTransaction Transaction { get; }

    public static async Task<WriteTransaction> BeginAsync(CpfDatabase database, CancellationToken cancellationToken = default)
    {
        var connection = await database.OpenAsync(cancellationToken);
        IDisposable? writeGate = null;
        try
        {
            DbTransaction transaction;
            if (connection is SqliteConnection sqlite)
            {
                writeGate = await SqliteWriteGate.EnterAsync(sqlite.DataSource, cancellationToken);
                transaction = sqlite.BeginTransaction(deferred: false);
            }
            else
                transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
            return new WriteTransaction(connection, transaction, writeGate);
        }
        catch
        {
            writeGate?.Dispose();
            await connection.DisposeAsync();
            throw;
        }
    }

    public Task CommitAsync(CancellationToken cancellationToken = default) => Transaction.CommitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Transaction.DisposeAsync();
            await Connection.DisposeAsync();
        }
        finally
        {
            _writeGate?.Dispose();
        }
    }
}
