using System.Data.Common;
using Dapper;

namespace CleanProdFlow.Data.Database;

/// <summary>
/// The product's database: its dialect and connection string. Every store opens its connections here, so every
/// connection gets the provider's required per-connection settings.
/// </summary>
public sealed class CpfDatabase
{
    static CpfDatabase()
    {
        SqlMapper.AddTypeHandler(new UtcInstantTypeHandler());
        SqlMapper.AddTypeHandler(new UtcInstantTypeHandler.Nullable());
        SqlMapper.AddTypeHandler(new DateOnlyTypeHandler());
        SqlMapper.AddTypeHandler(new DateOnlyTypeHandler.Nullable());
        GuidTypeHandler.Register();
    }

    public CpfDatabase(DatabaseSettings settings)
    {
        Settings = settings;
        Dialect = SqlDialects.For(settings.Provider);
    }

    public DatabaseSettings Settings { get; }

    public ISqlDialect Dialect { get; }

    public DatabaseProvider Provider => Settings.Provider;

    /// <summary>Where the database is, without secrets.</summary>
    public string Description => Dialect.Describe(Settings.ConnectionString);

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = Dialect.CreateConnection(Settings.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await Dialect.PrepareConnectionAsync(connection, cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>True when a trivial query answers: the readiness check.</summary>
    public async Task PingAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT 1", cancellationToken: cancellationToken));
    }
}
