using System.Data.Common;
using DbUp.Builder;

namespace CleanProdFlow.Data.Database;

/// <summary>
/// Everything that differs between the supported databases, in one place per provider. Stores write portable SQL
/// and ask the dialect only for what cannot be portable.
/// </summary>
public interface ISqlDialect
{
    DatabaseProvider Provider { get; }

    /// <summary>Parses the connection string (throwing on a malformed one) and adds the product's required options.</summary>
    string NormaliseConnectionString(string connectionString);

    /// <summary>A short description of where the database is, without secrets, for log lines and errors.</summary>
    string Describe(string connectionString);

    DbConnection CreateConnection(string connectionString);

    /// <summary>Per-connection settings that must hold for every command (e.g. SQLite durability and foreign keys).</summary>
    Task PrepareConnectionAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Creates the database itself when the server allows it (first start on an empty server).</summary>
    void EnsureDatabaseExists(string connectionString);

    /// <summary>DbUp's builder for this provider, journaling to <see cref="SchemaJournalTable"/>.</summary>
    UpgradeEngineBuilder MigrationBuilder(string connectionString);

    /// <summary>
    /// Serialises migrations between nodes that start at the same time. Dispose the result to release the lock
    /// (explicitly: a pooled connection outlives its Dispose, and a session lock with it).
    /// </summary>
    Task<IAsyncDisposable> AcquireMigrationLockAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>"column is one of the values in the list parameter" (Dapper passes lists as arrays to PostgreSQL).</summary>
    string InList(string column, string listParameter);

    /// <summary>An INSERT statement's tail that returns the generated id column <paramref name="idColumn"/>.</summary>
    string InsertReturningId(string insertColumnsAndValues, string idColumn);

    /// <summary>Keeps the first <paramref name="limitParameter"/> rows of an ordered query.</summary>
    string Limit(string orderedSelect, string limitParameter);

    bool IsUniqueViolation(DbException exception);

    /// <summary>
    /// The database refused the transaction for a reason that a new attempt does not meet again (a deadlock victim, a
    /// serialization failure, SQLite still busy after its timeout): the whole command may run again from the start.
    /// </summary>
    bool IsTransientConflict(DbException exception);

    /// <summary>Name of DbUp's journal table, which records every script run.</summary>
    string SchemaJournalTable { get; }
}
