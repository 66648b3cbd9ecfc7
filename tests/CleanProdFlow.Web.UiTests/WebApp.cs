using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace CleanProdFlow.Web.UiTests;

/// <summary>
/// The built program (src/CleanProdFlow.Web/bin/…/CleanProdFlow.Web.dll) run as its own process on a free loopback
/// port, as `dotnet run` runs it (Development, so the static files come from the project's wwwroot), on a fresh SQLite
/// file with the demo users and the virtual clock. Browsers need a real socket; WebApplicationFactory has none.
/// </summary>
public sealed class WebApp : IAsyncDisposable
{
    public const string Password = "Demo#2026";

    /// <summary>A Monday, so that working-day counts in the tests are easy to follow.</summary>
    public const string VirtualStart = "2026-11-02T09:00:00+08:00";

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private WebApp(Process process, string dataDirectory, int port)
    {
        _process = process;
        DataDirectory = dataDirectory;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
    }

    public string DataDirectory { get; }

    public Uri BaseAddress { get; }

    public string Output { get { lock (_output) return _output.ToString(); } }

    public static async Task<WebApp> StartAsync()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "cpf-ui-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet", [WebAssemblyPath()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = dataDirectory,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["Urls"] = $"http://127.0.0.1:{port}";
        start.Environment["Storage__DataDirectory"] = dataDirectory;
        start.Environment["Database__Provider"] = "Sqlite";
        start.Environment["Demo__SeedUsers"] = "true";
        start.Environment["Demo__Password"] = Password;
        start.Environment["Clock__Mode"] = "Virtual";
        start.Environment["Clock__VirtualStart"] = VirtualStart;
        start.Environment["Hangfire__WorkerCount"] = "2";
        start.Environment["Serilog__MinimumLevel__Default"] = "Warning";

        var process = new Process { StartInfo = start };
        var app = new WebApp(process, dataDirectory, port);
        process.OutputDataReceived += (_, e) => app.Append(e.Data);
        process.ErrorDataReceived += (_, e) => app.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await app.WaitUntilReadyAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        return app;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    private async Task WaitUntilReadyAsync()
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromMinutes(1))
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"the web host exited with {_process.ExitCode}; output:\n{Output}");
            try
            {
                if ((await client.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK)
                    return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            // Another process: its readiness can only be polled, bounded by the minute above.
            await Task.Delay(100);
        }
        throw new TimeoutException($"the web host was not ready within a minute; output:\n{Output}");
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

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try { Directory.Delete(DataDirectory, recursive: true); }
        catch (IOException) { }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>src/CleanProdFlow.Web/bin/&lt;configuration&gt;/net10.0/CleanProdFlow.Web.dll, built with the solution.</summary>
    private static string WebAssemblyPath()
    {
        var testDirectory = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testDirectory.Name;
        var configuration = testDirectory.Parent!.Name;
        var root = testDirectory;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "CleanProdFlow.sln")))
            root = root.Parent;
        if (root is null)
            throw new InvalidOperationException($"CleanProdFlow.sln not found above {AppContext.BaseDirectory}");
        var path = Path.Combine(root.FullName, "src", "CleanProdFlow.Web", "bin", configuration, framework, "CleanProdFlow.Web.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("build the solution first", path);
    }
}
