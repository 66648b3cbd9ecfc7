using CleanProdFlow.Data.Database;
using Dapper;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Npgsql;
using Xunit;

namespace CleanProdFlow.TestSupport;

/// <summary>
/// A throwaway database of one provider, empty and unmigrated, removed again on dispose.
/// PostgreSQL comes from CPF_TEST_POSTGRES (tests/run.sh starts a server and sets it) and SQL Server from
/// CPF_TEST_SQLSERVER; when one is not given its tests are skipped with the reason, except that
/// CPF_REQUIRE_POSTGRES=1 turns a missing PostgreSQL into a failure, so CI cannot pass without it.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string PostgresVariable = "CPF_TEST_POSTGRES";
    public const string RequirePostgresVariable = "CPF_REQUIRE_POSTGRES";
    public const string SqlServerVariable = "CPF_TEST_SQLSERVER";

    private readonly Func<Task> _drop;

    private TestDatabase(DatabaseSettings settings, Func<Task> drop)
    {
        Settings = settings;
        Database = new CpfDatabase(settings);
        _drop = drop;
    }

    public DatabaseSettings Settings { get; }

    public CpfDatabase Database { get; }

    public DatabaseProvider Provider => Settings.Provider;

    /// <summary>The configuration keys a host needs to use this database.</summary>
    public IReadOnlyDictionary<string, string?> HostSettings => new Dictionary<string, string?>
    {
        [DatabaseSettings.ProviderKey] = Settings.Provider.ToString(),
        [DatabaseSettings.ConnectionStringKey] = Settings.ConnectionString,
    };

    public static Task<TestDatabase> CreateAsync(DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.Sqlite => Task.FromResult(CreateSqlite()),
        DatabaseProvider.Postgres => CreatePostgresAsync(),
        DatabaseProvider.SqlServer => CreateSqlServerAsync(),
        _ => throw new ArgumentOutOfRangeException(nameof(provider)),
    };

    public static TestDatabase CreateSqlite()
    {
        var directory = Path.Combine(Path.GetTempPath(), "cpf-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var file = Path.Combine(directory, "test.db");
        var settings = new DatabaseSettings(DatabaseProvider.Sqlite,
            SqlDialects.For(DatabaseProvider.Sqlite).NormaliseConnectionString($"Data Source={file}"));
        return new TestDatabase(settings, () =>
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
            return Task.CompletedTask;
        });
    }

    private static async Task<TestDatabase> CreatePostgresAsync()
    {
        var server = Environment.GetEnvironmentVariable(PostgresVariable);
        if (string.IsNullOrWhiteSpace(server))
        {
            var reason = $"PostgreSQL is not available: set {PostgresVariable} to a server connection string " +
                         "(tests/run.sh starts a throwaway server when the PostgreSQL binaries are installed).";
            if (Environment.GetEnvironmentVariable(RequirePostgresVariable) == "1")
                throw new InvalidOperationException($"{RequirePostgresVariable}=1 but {reason}");
            Skip.If(true, reason);
        }

        var name = $"cpf_test_{Guid.NewGuid():N}"[..24];
        var admin = new NpgsqlConnectionStringBuilder(server) { Pooling = false };
        await using (var connection = new NpgsqlConnection(admin.ConnectionString))
        {
            await connection.OpenAsync();
            await connection.ExecuteAsync($"CREATE DATABASE {name}");
        }
        var target = new NpgsqlConnectionStringBuilder(server) { Database = name };
        var settings = new DatabaseSettings(DatabaseProvider.Postgres,
            SqlDialects.For(DatabaseProvider.Postgres).NormaliseConnectionString(target.ConnectionString));
        return new TestDatabase(settings, async () =>
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(admin.ConnectionString);
            await connection.OpenAsync();
            await connection.ExecuteAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        });
    }

    private static async Task<TestDatabase> CreateSqlServerAsync()
    {
        var server = Environment.GetEnvironmentVariable(SqlServerVariable);
        Skip.If(string.IsNullOrWhiteSpace(server),
            $"SQL Server is not available here: set {SqlServerVariable} to a server connection string to run these tests.");

        var name = $"cpf_test_{Guid.NewGuid():N}"[..24];
        var admin = new SqlConnectionStringBuilder(server) { InitialCatalog = "master", Pooling = false };
        await using (var connection = new SqlConnection(admin.ConnectionString))
        {
            await connection.OpenAsync();
            await connection.ExecuteAsync($"CREATE DATABASE [{name}]");
        }
        var target = new SqlConnectionStringBuilder(server) { InitialCatalog = name };
        var settings = new DatabaseSettings(DatabaseProvider.SqlServer,
            SqlDialects.For(DatabaseProvider.SqlServer).NormaliseConnectionString(target.ConnectionString));
        return new TestDatabase(settings, async () =>
        {
            SqlConnection.ClearAllPools();
            await using var connection = new SqlConnection(admin.ConnectionString);
            await connection.OpenAsync();
            await connection.ExecuteAsync(
                $"ALTER DATABASE [{name}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [{name}]");
        });
    }

    public async ValueTask DisposeAsync() => await _drop();
}
