using System.Data.Common;
using CleanProdFlow.Data.Database;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace CleanProdFlow.Reliability;

/// <summary>
/// The database a run uses: a SQLite file in a temporary folder, or a fresh PostgreSQL database on the given server.
/// The hosts migrate it when they start; the checks read it with their own connections. Removed on dispose.
/// </summary>
public sealed class ReliabilityDatabase : IAsyncDisposable
{
    private readonly Func<Task> _drop;

    private ReliabilityDatabase(DatabaseProvider provider, string connectionString, string directory, Func<Task> drop)
    {
        Provider = provider;
        ConnectionString = connectionString;
        Directory = directory;
        _drop = drop;
    }

    public DatabaseProvider Provider { get; }

    public string ConnectionString { get; }

    /// <summary>A temporary folder for the run: the SQLite file and the hosts' data directories.</summary>
    public string Directory { get; }

    /// <summary>What a host needs to use this database.</summary>
    public IReadOnlyDictionary<string, string> HostSettings => new Dictionary<string, string>
    {
        ["Database__Provider"] = Provider.ToString(),
        ["ConnectionStrings__CleanProdFlow"] = ConnectionString,
    };

    public static async Task<ReliabilityDatabase> CreateAsync(DatabaseProvider provider, string? postgresServer)
    {
        var directory = Path.Combine(Path.GetTempPath(), "cpf-reliability", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        if (provider == DatabaseProvider.Sqlite)
            return new ReliabilityDatabase(provider, $"Data Source={Path.Combine(directory, "reliability.db")}", directory, () =>
            {
                SqliteConnection.ClearAllPools();
                System.IO.Directory.Delete(directory, recursive: true);
                return Task.CompletedTask;
            });
        if (provider != DatabaseProvider.Postgres)
            throw new ArgumentException($"the harness runs on SQLite or PostgreSQL, not {provider}");
        var server = postgresServer ?? throw new InvalidOperationException(
            "--provider postgres needs a server: --connection \"Host=…;Username=…\" or CPF_TEST_POSTGRES");
        var name = $"cpf_rel_{Guid.NewGuid():N}"[..24];
        var admin = new NpgsqlConnectionStringBuilder(server) { Pooling = false };
        await using (var connection = new NpgsqlConnection(admin.ConnectionString))
        {
            await connection.OpenAsync();
            await connection.ExecuteAsync($"CREATE DATABASE {name}");
        }
        var target = new NpgsqlConnectionStringBuilder(server) { Database = name, MaxPoolSize = 40 };
        return new ReliabilityDatabase(provider, target.ConnectionString, directory, async () =>
        {
            NpgsqlConnection.ClearAllPools();
            await using (var connection = new NpgsqlConnection(admin.ConnectionString))
            {
                await connection.OpenAsync();
                await connection.ExecuteAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
            }
            System.IO.Directory.Delete(directory, recursive: true);
        });
    }

    public async Task<DbConnection> OpenAsync()
    {
        DbConnection connection = Provider == DatabaseProvider.Sqlite
            ? new SqliteConnection(ConnectionString + ";Default Timeout=30")
            : new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _drop();
        }
        catch (Exception e) when (e is IOException or DbException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"could not remove the run's database: {e.Message}");
        }
    }
}
