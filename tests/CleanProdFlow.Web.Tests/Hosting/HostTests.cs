using System.Net;
using CleanProdFlow.Data.Database;

namespace CleanProdFlow.Web.Tests.Hosting;

public sealed class HostTests(SqliteHostFixture host) : IClassFixture<SqliteHostFixture>
{
    [Fact]
    public async Task Live_and_ready_answer_200_without_sign_in()
    {
        var client = host.Factory.CreateClient();
        var live = await client.GetAsync("/health/live");
        var ready = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var body = await ready.JsonAsync();
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        Assert.Equal("database", body.GetProperty("checks")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task The_openapi_document_describes_the_api_and_its_bearer_scheme()
    {
        var response = await host.Factory.CreateClient().GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = await response.JsonAsync();
        var paths = document.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/v1/auth/token", out _));
        Assert.True(paths.TryGetProperty("/api/v1/me", out _));
        Assert.Equal("bearer", document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer").GetProperty("scheme").GetString());
    }

    [Fact]
    public async Task The_interactive_api_page_is_served()
    {
        var response = await host.Factory.CreateClient().GetAsync("/scalar/v1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("openapi/v1.json", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_unknown_api_path_is_a_404_problem()
    {
        var client = await host.Factory.SignedInAsync("review.suzhou");
        var response = await client.GetAsync("/api/v1/no-such-thing");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_sqlite_database_runs_in_wal_mode()
    {
        await using var connection = await host.Factory.Database.Database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
        Assert.Equal(DatabaseProvider.Sqlite, host.Factory.Database.Provider);
    }
}

/// <summary>The same host on PostgreSQL (Hangfire on PostgreSQL too); skipped with its reason when none is configured.</summary>
public sealed class PostgresHostTests
{
    [SkippableFact]
    public async Task On_postgres_the_host_is_ready_and_signs_users_in()
    {
        await using var factory = await CpfWebFactory.StartAsync(DatabaseProvider.Postgres);
        var ready = await factory.CreateClient().GetAsync("/health/ready");
        var me = await (await factory.SignedInAsync("approver.province")).GetAsync("/api/v1/me");
        var dashboard = await (await factory.SignedInAsync("admin.province")).GetAsync("/hangfire");

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("province", (await me.JsonAsync()).GetProperty("organisation").GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
    }
}
