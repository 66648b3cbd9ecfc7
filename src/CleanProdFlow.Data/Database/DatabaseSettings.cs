using Microsoft.Extensions.Configuration;

namespace CleanProdFlow.Data.Database;

/// <summary>
/// Which database to use and how to reach it, read from <c>Database:Provider</c> and
/// <c>ConnectionStrings:CleanProdFlow</c>. With neither set the product runs on a SQLite file in the data directory.
/// </summary>
public sealed record DatabaseSettings(DatabaseProvider Provider, string ConnectionString)
{
    public const string ProviderKey = "Database:Provider";
    public const string ConnectionStringKey = "ConnectionStrings:CleanProdFlow";
    public const string DataDirectoryKey = "Storage:DataDirectory";
    public const string DefaultDataDirectory = "data";

    /// <summary>Reads and checks the settings; a wrong one is a <see cref="StartupException"/> naming it.</summary>
    public static DatabaseSettings Read(IConfiguration configuration)
    {
        var providerText = configuration[ProviderKey];
        var provider = ParseProvider(providerText);
        var connectionString = configuration[ConnectionStringKey];

        if (string.IsNullOrWhiteSpace(connectionString))
        {
            if (provider != DatabaseProvider.Sqlite)
                throw new StartupException(ConnectionStringKey,
                    $"{ProviderKey} is {provider} but no connection string is given.",
                    $"set {ConnectionStringKey} (appsettings.sample.json has an example for {provider}).");
            var dataDirectory = DataDirectory(configuration);
            connectionString = $"Data Source={Path.Combine(dataDirectory, "cleanprodflow.db")}";
        }

        var dialect = SqlDialects.For(provider);
        try
        {
            connectionString = dialect.NormaliseConnectionString(connectionString);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException or InvalidOperationException)
        {
            throw new StartupException(ConnectionStringKey,
                $"The connection string is not a valid {provider} connection string: {e.Message}",
                $"correct {ConnectionStringKey}; appsettings.sample.json shows the form for each provider.", e);
        }
        return new DatabaseSettings(provider, connectionString);
    }

    /// <summary>Where the product keeps its files (SQLite database, logs, signing key): <c>Storage:DataDirectory</c>, default ./data.</summary>
    public static string DataDirectory(IConfiguration configuration)
    {
        var configured = configuration[DataDirectoryKey];
        return Path.GetFullPath(string.IsNullOrWhiteSpace(configured) ? DefaultDataDirectory : configured);
    }

    private static DatabaseProvider ParseProvider(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return DatabaseProvider.Sqlite;
        return text.Trim().ToLowerInvariant() switch
        {
            "sqlite" => DatabaseProvider.Sqlite,
            "postgres" or "postgresql" => DatabaseProvider.Postgres,
            "sqlserver" or "mssql" => DatabaseProvider.SqlServer,
            _ => throw new StartupException(ProviderKey,
                $"Unknown database provider '{text}'.",
                $"set {ProviderKey} to Sqlite, Postgres or SqlServer."),
        };
    }
}
