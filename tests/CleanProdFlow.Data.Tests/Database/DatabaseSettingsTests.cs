using CleanProdFlow.Data.Database;
using Microsoft.Extensions.Configuration;

namespace CleanProdFlow.Data.Tests.Database;

public sealed class DatabaseSettingsTests
{
    private static DatabaseSettings Read(params (string Key, string? Value)[] values) =>
        DatabaseSettings.Read(new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build());

    [Fact]
    public void With_nothing_configured_the_product_uses_a_sqlite_file_in_the_data_directory()
    {
        var directory = Path.Combine(Path.GetTempPath(), "cpf-settings-" + Guid.NewGuid().ToString("N"));
        try
        {
            var settings = Read((DatabaseSettings.DataDirectoryKey, directory));

            Assert.Equal(DatabaseProvider.Sqlite, settings.Provider);
            Assert.Contains(Path.Combine(directory, "cleanprodflow.db"), settings.ConnectionString);
            Assert.Contains("Foreign Keys=True", settings.ConnectionString);
            Assert.True(Directory.Exists(directory));
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, true);
        }
    }

    [Theory]
    [InlineData("postgres", DatabaseProvider.Postgres)]
    [InlineData("PostgreSQL", DatabaseProvider.Postgres)]
    [InlineData("SqlServer", DatabaseProvider.SqlServer)]
    [InlineData("Sqlite", DatabaseProvider.Sqlite)]
    public void Provider_names_are_read_without_regard_to_case(string name, DatabaseProvider expected)
    {
        var connectionString = expected switch
        {
            DatabaseProvider.Postgres => "Host=127.0.0.1;Database=cpf;Username=cpf",
            DatabaseProvider.SqlServer => "Server=127.0.0.1;Database=cpf;User Id=cpf;Password=x;TrustServerCertificate=true",
            _ => $"Data Source={Path.Combine(Path.GetTempPath(), "cpf-settings.db")}",
        };
        Assert.Equal(expected, Read((DatabaseSettings.ProviderKey, name), (DatabaseSettings.ConnectionStringKey, connectionString)).Provider);
    }

    [Fact]
    public void An_unknown_provider_is_refused_naming_the_setting_and_the_choices()
    {
        var refusal = Assert.Throws<StartupException>(() => Read((DatabaseSettings.ProviderKey, "Oracle")));

        Assert.Equal(DatabaseSettings.ProviderKey, refusal.Setting);
        Assert.Contains("Oracle", refusal.Problem);
        Assert.Contains("Sqlite, Postgres or SqlServer", refusal.Fix);
    }

    [Fact]
    public void A_server_provider_without_a_connection_string_is_refused()
    {
        var refusal = Assert.Throws<StartupException>(() => Read((DatabaseSettings.ProviderKey, "Postgres")));

        Assert.Equal(DatabaseSettings.ConnectionStringKey, refusal.Setting);
    }

    [Theory]
    [InlineData("Postgres", "Hots=localhost;Database=cpf")]
    [InlineData("Postgres", "Host=localhost")]
    [InlineData("SqlServer", "Servr=.;Database=cpf")]
    [InlineData("Sqlite", "Data Sorce=x.db")]
    [InlineData("Sqlite", "this is not a connection string")]
    public void A_malformed_connection_string_is_refused_naming_the_setting(string provider, string connectionString)
    {
        var refusal = Assert.Throws<StartupException>(() =>
            Read((DatabaseSettings.ProviderKey, provider), (DatabaseSettings.ConnectionStringKey, connectionString)));

        Assert.Equal(DatabaseSettings.ConnectionStringKey, refusal.Setting);
        Assert.Contains("not a valid", refusal.Problem);
    }
}
