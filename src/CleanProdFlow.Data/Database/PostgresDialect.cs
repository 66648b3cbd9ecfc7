using System.Data.Common;
using Dapper;
using DbUp;
using DbUp.Builder;
using Npgsql;

namespace CleanProdFlow.Data.Database;

public sealed class PostgresDialect : ISqlDialect
{
    // An arbitrary constant naming the "migrations running" advisory lock.
    private const long MigrationLockKey = 4_202_611_240_001;

    public DatabaseProvider Provider => DatabaseProvider.Postgres;

    public string SchemaJournalTable => "schema_versions";

    public string NormaliseConnectionString(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (string.IsNullOrWhiteSpace(builder.Host))
            throw new ArgumentException("Host is missing");
        if (string.IsNullOrWhiteSpace(builder.Database))
            throw new ArgumentException("Database is missing");
        return builder.ConnectionString;
    }

    public string Describe(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"PostgreSQL database '{builder.Database}' at {builder.Host}:{builder.Port}";
    }

    public DbConnection CreateConnection(string connectionString) => new NpgsqlConnection(connectionString);

    public Task PrepareConnectionAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Task.CompletedTask; // synchronous_commit=on is the server default and is not changed

    public void EnsureDatabaseExists(string connectionString) =>
        EnsureDatabase.For.PostgresqlDatabase(connectionString, new DbUp.Engine.Output.NoOpUpgradeLog());

    public UpgradeEngineBuilder MigrationBuilder(string connectionString) =>
        DeployChanges.To.PostgresqlDatabase(connectionString).JournalToPostgresqlTable("public", SchemaJournalTable);

    public async Task<IAsyncDisposable> AcquireMigrationLockAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_lock(@key)",
            new { key = MigrationLockKey }, cancellationToken: cancellationToken));
        return new HeldLock(() => connection.ExecuteAsync("SELECT pg_advisory_unlock(@key)", new { key = MigrationLockKey }));
    }

    public string InList(string column, string listParameter) => $"{column} = ANY({listParameter})";

    public string InsertReturningId(string insertColumnsAndValues, string idColumn) =>
        $"{insertColumnsAndValues} RETURNING {idColumn}";

    public string Limit(string orderedSelect, string limitParameter) => $"{orderedSelect} LIMIT {limitParameter}";

    public bool IsUniqueViolation(DbException exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    /// <summary>40001 serialization_failure and 40P01 deadlock_detected.</summary>
    public bool IsTransientConflict(DbException exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected };
}
