using System.Data.Common;
using Dapper;
using DbUp;
using DbUp.Builder;
using Microsoft.Data.SqlClient;

namespace CleanProdFlow.Data.Database;

public sealed class SqlServerDialect : ISqlDialect
{
    public DatabaseProvider Provider => DatabaseProvider.SqlServer;

    public string SchemaJournalTable => "schema_versions";

    public string NormaliseConnectionString(string connectionString)
    {
        var builder = new SqlConnectionStringBuilder(connectionString);
        if (string.IsNullOrWhiteSpace(builder.DataSource))
            throw new ArgumentException("Server (Data Source) is missing");
        if (string.IsNullOrWhiteSpace(builder.InitialCatalog))
            throw new ArgumentException("Database (Initial Catalog) is missing");
        return builder.ConnectionString;
    }

    public string Describe(string connectionString)
    {
        var builder = new SqlConnectionStringBuilder(connectionString);
        return $"SQL Server database '{builder.InitialCatalog}' at {builder.DataSource}";
    }

    public DbConnection CreateConnection(string connectionString) => new SqlConnection(connectionString);

    public Task PrepareConnectionAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    public void EnsureDatabaseExists(string connectionString) =>
        EnsureDatabase.For.SqlDatabase(connectionString, new DbUp.Engine.Output.NoOpUpgradeLog());

    public UpgradeEngineBuilder MigrationBuilder(string connectionString) =>
        DeployChanges.To.SqlDatabase(connectionString).JournalToSqlTable("dbo", SchemaJournalTable);

    public async Task<IAsyncDisposable> AcquireMigrationLockAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition(
            "EXEC sp_getapplock @Resource = 'cleanprodflow-migrations', @LockMode = 'Exclusive', @LockOwner = 'Session', @LockTimeout = -1",
            cancellationToken: cancellationToken));
        return new HeldLock(() => connection.ExecuteAsync(
            "EXEC sp_releaseapplock @Resource = 'cleanprodflow-migrations', @LockOwner = 'Session'"));
    }

    public string InList(string column, string listParameter) => $"{column} IN {listParameter}";

    public string InsertReturningId(string insertColumnsAndValues, string idColumn)
    {
        // SQL Server puts OUTPUT between the column list and VALUES.
        var valuesAt = insertColumnsAndValues.LastIndexOf(" VALUES", StringComparison.OrdinalIgnoreCase);
        if (valuesAt < 0)
            throw new ArgumentException("expected an INSERT ... VALUES statement", nameof(insertColumnsAndValues));
        return $"{insertColumnsAndValues[..valuesAt]} OUTPUT INSERTED.{idColumn}{insertColumnsAndValues[valuesAt..]}";
    }

    public string Limit(string orderedSelect, string limitParameter) =>
        $"{orderedSelect} OFFSET 0 ROWS FETCH NEXT {limitParameter} ROWS ONLY";

    // 2627: unique constraint, 2601: unique index.
    public bool IsUniqueViolation(DbException exception) =>
        exception is SqlException { Number: 2627 or 2601 };

    /// <summary>1205: chosen as the deadlock victim.</summary>
    public bool IsTransientConflict(DbException exception) => exception is SqlException { Number: 1205 };
}
