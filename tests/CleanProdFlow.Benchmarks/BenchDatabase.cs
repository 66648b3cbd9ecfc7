using CleanProdFlow.Data.Database;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CleanProdFlow.Benchmarks;

/// <summary>
/// A temporary, migrated database of the chosen provider: a SQLite file in a temporary folder, or a PostgreSQL
/// database created on the given server (--connection or CPF_TEST_POSTGRES). Removed again on dispose.
/// </summary>
public sealed class BenchDatabase : IAsyncDisposable
{
    private readonly Func<Task> _drop;

    private BenchDatabase(DatabaseSettings settings, Func<Task> drop)
    {
        Settings = settings;
        Database = new CpfDatabase(settings);
        _drop = drop;
    }

    public DatabaseSettings Settings { get; }

    public CpfDatabase Database { get; }

    public DatabaseProvider Provider => Settings.Provider;

    public IReadOnlyDictionary<string, string?> HostSettings => new Dictionary<string, string?>
    {
        [DatabaseSettings.ProviderKey] = Settings.Provider.ToString(),
        [DatabaseSettings.ConnectionStringKey] = Settings.ConnectionString,
    };

    public static async Task<BenchDatabase> CreateAsync(BenchmarkOptions options, bool migrate = true)
    {
        var database = options.Provider == DatabaseProvider.Sqlite ? CreateSqlite() : await CreatePostgresAsync(options);
        if (migrate)
            await new DatabaseMigrator(database.Database, NullLogger<DatabaseMigrator>.Instance).MigrateAsync();
        return database;
    }

    private static BenchDatabase CreateSqlite()
    {
        var directory = Path.Combine(Path.GetTempPath(), "cpf-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var settings = new DatabaseSettings(DatabaseProvider.Sqlite,
            SqlDialects.For(DatabaseProvider.Sqlite).NormaliseConnectionString($"Data Source={Path.Combine(directory, "bench.db")}"));
        return new BenchDatabase(settings, () =>
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
            return Task.CompletedTask;
        });
    }

    private static async Task<BenchDatabase> CreatePostgresAsync(BenchmarkOptions options)
    {
        var server = options.PostgresServer ?? throw new InvalidOperationException(
            $"--provider postgres needs a server: --connection \"Host=…;Username=…\" or {BenchmarkOptions.PostgresVariable}");
        var name = $"cpf_bench_{Guid.NewGuid():N}"[..24];
        var admin = new NpgsqlConnectionStringBuilder(server) { Pooling = false };
        await using (var connection = new NpgsqlConnection(admin.ConnectionString))
        {
            await connection.OpenAsync();
            await connection.ExecuteAsync($"CREATE DATABASE {name}");
        }
        var target = new NpgsqlConnectionStringBuilder(server) { Database = name, MaxPoolSize = 50 };
        var settings = new DatabaseSettings(DatabaseProvider.Postgres,
            SqlDialects.For(DatabaseProvider.Postgres).NormaliseConnectionString(target.ConnectionString));
        return new BenchDatabase(settings, async () =>
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(admin.ConnectionString);
            await connection.OpenAsync();
            await connection.ExecuteAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        });
    }

    public async ValueTask DisposeAsync() => await _drop();
}
