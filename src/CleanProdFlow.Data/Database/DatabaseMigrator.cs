using System.Data.Common;
using System.Reflection;
using DbUp.Engine;
using Microsoft.Extensions.Logging;

namespace CleanProdFlow.Data.Database;

/// <summary>
/// Brings the schema up to date with the forward-only scripts in <c>db/&lt;provider&gt;/NNNN_name.sql</c>, embedded
/// in this assembly. Refuses to run against a database that has scripts this build does not know: that database
/// belongs to a newer version of the product, and running old code on it could corrupt it.
/// </summary>
public sealed class DatabaseMigrator(CpfDatabase database, ILogger<DatabaseMigrator> logger)
{
    private static readonly Assembly ScriptAssembly = typeof(DatabaseMigrator).Assembly;

    /// <summary>The folder name under db/ for each provider.</summary>
    public static string FolderOf(DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.Sqlite => "sqlite",
        DatabaseProvider.Postgres => "postgres",
        DatabaseProvider.SqlServer => "sqlserver",
        _ => throw new ArgumentOutOfRangeException(nameof(provider)),
    };

    /// <summary>The embedded script names of one provider, in the order they run.</summary>
    public static IReadOnlyList<string> ScriptsOf(DatabaseProvider provider)
    {
        var prefix = $"db/{FolderOf(provider)}/";
        return ScriptAssembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(prefix, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Runs the scripts not yet run. Throws <see cref="StartupException"/> when it must not or cannot.</summary>
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken = default)
    {
        var dialect = database.Dialect;
        var connectionString = database.Settings.ConnectionString;
        try
        {
            dialect.EnsureDatabaseExists(connectionString);
            await using var lockConnection = await database.OpenAsync(cancellationToken);
            await using var migrationLock = await dialect.AcquireMigrationLockAsync(lockConnection, cancellationToken);

            var known = ScriptsOf(database.Provider);
            var engine = dialect.MigrationBuilder(connectionString)
                .WithScripts(known.Select(ReadScript))
                .WithTransactionPerScript()
                .WithVariablesDisabled()
                .LogToNowhere()
                .Build();

            var unknown = engine.GetExecutedScripts().Except(known, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            if (unknown.Count > 0)
                throw new StartupException(DatabaseSettings.ConnectionStringKey,
                    $"The database {database.Description} has a schema newer than this build of CleanProdFlow " +
                    $"(it has run {string.Join(", ", unknown)}, which this build does not have).",
                    "run the CleanProdFlow version that created this database or a newer one, or point the setting at another database.");

            var result = engine.PerformUpgrade();
            if (!result.Successful)
                throw new StartupException(DatabaseSettings.ConnectionStringKey,
                    $"Migrating {database.Description} failed in {result.ErrorScript?.Name ?? "a script"}: {result.Error?.Message}",
                    "check that the database user may create tables; the failed script's changes were rolled back.",
                    result.Error);

            var ran = result.Scripts.Select(s => s.Name).ToList();
            if (ran.Count > 0)
                logger.LogInformation("Migrated {Database}: ran {Scripts}", database.Description, ran);
            else
                logger.LogInformation("Schema of {Database} is up to date ({Count} scripts)", database.Description, known.Count);
            return ran;
        }
        catch (StartupException)
        {
            throw;
        }
        catch (Exception e) when (e is DbException or System.Net.Sockets.SocketException or TimeoutException or InvalidOperationException or IOException)
        {
            throw new StartupException(DatabaseSettings.ConnectionStringKey,
                $"Cannot reach {SafeDescription()}: {e.Message}",
                "check that the database server is running and that the connection string's host, port, database, user and password are right.",
                e);
        }
    }

    private string SafeDescription()
    {
        try { return database.Description; }
        catch (ArgumentException) { return $"the {database.Provider} database"; }
    }

    private static SqlScript ReadScript(string resourceName)
    {
        using var stream = ScriptAssembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"embedded script {resourceName} is missing");
        using var reader = new StreamReader(stream);
        return new SqlScript(resourceName, reader.ReadToEnd());
    }
}
