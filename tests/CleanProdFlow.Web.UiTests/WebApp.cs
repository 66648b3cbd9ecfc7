using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CleanProdFlow.TestSupport;

namespace CleanProdFlow.Web.UiTests;

/// <summary>
/// The built program run as its own process (<see cref="WebProcess"/>) as `dotnet run` runs it (Development, so the
/// static files come from the project's wwwroot), on a fresh SQLite file with the demo users and the virtual clock.
/// Browsers need a real socket; WebApplicationFactory has none.
/// </summary>
public sealed class WebApp : IAsyncDisposable
{
    public const string Password = "Demo#2026";

    /// <summary>A Monday, so that working-day counts in the tests are easy to follow.</summary>
    public const string VirtualStart = "2026-11-02T09:00:00+08:00";

    private readonly WebProcess _process;

    private WebApp(WebProcess process) => _process = process;

    public string DataDirectory => _process.DataDirectory;

    public Uri BaseAddress => _process.BaseAddress;

    public string Output => _process.Output;

    public static async Task<WebApp> StartAsync()
    {
        var process = WebProcess.Start(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Database__Provider"] = "Sqlite",
            ["Demo__SeedUsers"] = "true",
            ["Demo__Password"] = Password,
            ["Clock__Mode"] = "Virtual",
            ["Clock__VirtualStart"] = VirtualStart,
            ["Serilog__MinimumLevel__Default"] = "Warning",
        }, Path.Combine(Path.GetTempPath(), "cpf-ui-tests", Guid.NewGuid().ToString("N")));
        try
        {
            (await process.ReadyClientAsync()).Dispose();
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
        return new WebApp(process);
    }

    /// <summary>An API client signed in as <paramref name="username"/> (bearer token), for setting up what a test needs.</summary>
    public async Task<HttpClient> ApiAsync(string username, string password = Password)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { username, password });
        Assert.True(response.IsSuccessStatusCode, $"sign-in of {username}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.GetProperty("token").GetString());
        return client;
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
