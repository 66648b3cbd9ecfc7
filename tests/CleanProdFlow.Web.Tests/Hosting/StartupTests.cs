using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using CleanProdFlow.Data.Database;
using CleanProdFlow.TestSupport;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;

namespace CleanProdFlow.Web.Tests.Hosting;

/// <summary>The host as a process: the default run works, and a bad setting stops it at once with one clear line.</summary>
public sealed class StartupTests
{
    [Fact]
    public async Task With_no_configuration_the_host_creates_its_sqlite_database_and_signs_in_a_demo_user()
    {
        await using var web = WebProcess.Start(new Dictionary<string, string>());
        var client = await web.ReadyClientAsync();

        var token = await client.TokenAsync("review.suzhou", "Demo#2026");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var me = await client.GetAsync("/api/v1/me");

        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal("review.suzhou", (await me.JsonAsync()).GetProperty("username").GetString());
        Assert.True(File.Exists(Path.Combine(web.DataDirectory, "cleanprodflow.db")));
        Assert.True(Directory.EnumerateFiles(Path.Combine(web.DataDirectory, "logs"), "cleanprodflow-*.log").Any());
    }

    [Theory]
    [InlineData("Database__Provider", "Oracle", "Database:Provider")]
    [InlineData("Auth__TokenLifetimeMinutes", "forever", "Auth:TokenLifetimeMinutes")]
    [InlineData("Auth__SigningKey", "c2hvcnQ=", "Auth:SigningKey")]
    [InlineData("Auth__SignInAttemptsPerMinute", "0", "Auth:SignInAttemptsPerMinute")]
    [InlineData("Workflows__MaxDefinitionBytes", "5GB", "Workflows:MaxDefinitionBytes")]
    [InlineData("ConnectionStrings__CleanProdFlow", "Data Sorce=cpf.db", "ConnectionStrings:CleanProdFlow")]
    public async Task A_bad_setting_stops_the_host_with_a_line_naming_the_setting_and_the_fix(string variable, string value, string setting)
    {
        await using var web = WebProcess.Start(new Dictionary<string, string> { [variable] = value });

        Assert.Equal(2, await web.ExitCodeAsync());
        var line = Assert.Single(web.Output.Split('\n'), l => l.Contains("cannot start"));
        Assert.Contains($"Setting: {setting}", line);
        Assert.Contains("Fix:", line);
    }

    [Fact]
    public async Task An_unreachable_postgres_server_stops_the_host_naming_the_connection_string()
    {
        await using var web = WebProcess.Start(new Dictionary<string, string>
        {
            ["Database__Provider"] = "Postgres",
            // Port 1 on loopback: nothing listens there, so the connection is refused at once.
            ["ConnectionStrings__CleanProdFlow"] = "Host=127.0.0.1;Port=1;Database=cpf;Username=cpf;Password=x;Timeout=5",
        });

        Assert.Equal(2, await web.ExitCodeAsync());
        var line = Assert.Single(web.Output.Split('\n'), l => l.Contains("cannot start"));
        Assert.Contains("Cannot reach PostgreSQL database 'cpf' at 127.0.0.1:1", line);
        Assert.Contains("Setting: ConnectionStrings:CleanProdFlow", line);
    }

    [Fact]
    public async Task A_database_from_a_newer_version_stops_the_host_and_is_left_unchanged()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "cpf-process-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        var database = new CpfDatabase(new DatabaseSettings(DatabaseProvider.Sqlite,
            SqlDialects.For(DatabaseProvider.Sqlite).NormaliseConnectionString($"Data Source={Path.Combine(dataDirectory, "cleanprodflow.db")}")));
        await new DatabaseMigrator(database, NullLogger<DatabaseMigrator>.Instance).MigrateAsync();
        await using (var connection = await database.OpenAsync())
            await connection.ExecuteAsync("INSERT INTO schema_versions (scriptname, applied) VALUES ('db/sqlite/0999_future.sql', '2030-01-01')");
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        await using var web = WebProcess.Start(new Dictionary<string, string> { ["Demo__SeedUsers"] = "true" }, dataDirectory);

        Assert.Equal(2, await web.ExitCodeAsync());
        Assert.Contains("newer than this build", web.Output);
        await using var check = await database.OpenAsync();
        Assert.Equal(0, await check.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM users"));
    }
}
