using System.Data.Common;
using System.Runtime.CompilerServices;
using Dapper;
using DbUp;
using DbUp.Builder;
using Microsoft.Data.Sqlite;

namespace CleanProdFlow.Data.Database;

public sealed class SqliteDialect : ISqlDialect
{
    public DatabaseProvider Provider => DatabaseProvider.Sqlite;

    public string SchemaJournalTable => "schema_versions";

    public string NormaliseConnectionString(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (string.IsNullOrWhiteSpace(builder.DataSource))
            throw new ArgumentException("Data Source (the database file) is missing");
        builder.ForeignKeys = true;
        // Writers wait for each other instead of failing at once with SQLITE_BUSY.
        builder.DefaultTimeout = Math.Max(builder.DefaultTimeout, 30);
        if (builder.Mode is SqliteOpenMode.ReadWriteCreate && builder.DataSource != ":memory:")
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
            if (!string.IsNullOrEmpty(directory))
                Directory.CreateDirectory(directory);
        }
        return builder.ToString();
    }

    public string Describe(string connectionString) =>
        $"SQLite file {Path.GetFullPath(new SqliteConnectionStringBuilder(connectionString).DataSource)}";

    public DbConnection CreateConnection(string connectionString) => new SqliteConnection(connectionString);

    /// <summary>Native connections already set up: pooled ones keep their settings, so the pragmas run once per connection.</summary>
    private static readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> Prepared = new();
    private static readonly object Done = new();

    public async Task PrepareConnectionAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var handle = (connection as SqliteConnection)?.Handle;
        if (handle is not null && Prepared.TryGetValue(handle, out _))
            return;
        // WAL lets readers run beside the writer; synchronous=FULL makes an acknowledged commit survive a power cut.
        await connection.ExecuteAsync(new CommandDefinition(
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000;",
            cancellationToken: cancellationToken));
        if (handle is not null)
            Prepared.AddOrUpdate(handle, Done);
    }

    public void EnsureDatabaseExists(string connectionString)
    {
        // Opening a SQLite file in ReadWriteCreate mode creates it.
    }

    public UpgradeEngineBuilder MigrationBuilder(string connectionString) =>
        DeployChanges.To.SqliteDatabase(connectionString).JournalToSqliteTable(SchemaJournalTable);

    public Task<IAsyncDisposable> AcquireMigrationLockAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Task.FromResult<IAsyncDisposable>(NoLock.Instance); // one process owns the file; each script runs in its own transaction

    public string InList(string column, string listParameter) => $"{column} IN {listParameter}";

    public string InsertReturningId(string insertColumnsAndValues, string idColumn) =>
        $"{insertColumnsAndValues} RETURNING {idColumn}";

    public string Limit(string orderedSelect, string limitParameter) => $"{orderedSelect} LIMIT {limitParameter}";

    public bool IsUniqueViolation(DbException exception) =>
        exception is SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 2067 or 1555 };

    /// <summary>SQLITE_BUSY (5) and SQLITE_LOCKED (6).</summary>
    public bool IsTransientConflict(DbException exception) => exception is SqliteException { SqliteErrorCode: 5 or 6 };
}
