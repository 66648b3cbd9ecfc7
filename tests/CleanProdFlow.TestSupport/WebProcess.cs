using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CleanProdFlow.TestSupport;

/// <summary>
/// The built web host run as its own process, as an operator runs it: settings come from environment variables
/// (given ones override the defaults, e.g. ASPNETCORE_ENVIRONMENT), the data directory is a fresh temporary folder,
/// the port a free loopback port. The start-up tests use it, and the browser tests, which need a real socket.
/// </summary>
public sealed class WebProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private WebProcess(Process process, string dataDirectory, int port)
    {
        _process = process;
        DataDirectory = dataDirectory;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
    }

    public string DataDirectory { get; }

    /// <summary>The operating system's id of the host process (the benchmarks read its memory).</summary>
    public int ProcessId => _process.Id;

    public Uri BaseAddress { get; }

    public string Output { get { lock (_output) return _output.ToString(); } }

    public static WebProcess Start(IReadOnlyDictionary<string, string> settings, string? dataDirectory = null)
    {
        dataDirectory ??= Path.Combine(Path.GetTempPath(), "cpf-process-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet", [WebAssemblyPath()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = dataDirectory,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["Urls"] = $"http://127.0.0.1:{port}";
        start.Environment["Storage__DataDirectory"] = dataDirectory;
        start.Environment["Hangfire__WorkerCount"] = "2";
        // Test drivers sign in far more often than people do, all from 127.0.0.1.
        start.Environment["Auth__SignInAttemptsPerMinute"] = "100000";
        foreach (var (key, value) in settings)
            start.Environment[key] = value;

        var process = new Process { StartInfo = start };
        var web = new WebProcess(process, dataDirectory, port);
        process.OutputDataReceived += (_, e) => web.Append(e.Data);
        process.ErrorDataReceived += (_, e) => web.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return web;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    /// <summary>The exit code, waiting at most a minute.</summary>
    public async Task<int> ExitCodeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"the host did not exit within a minute; output:\n{Output}");
        }
        _process.WaitForExit(); // drains the redirected output
        return _process.ExitCode;
    }

    /// <summary>Waits until /health/ready answers 200 (at most a minute), failing early if the process exits.</summary>
    public async Task<HttpClient> ReadyClientAsync()
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromMinutes(1))
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"the host exited with {_process.ExitCode}; output:\n{Output}");
            try
            {
                if ((await client.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK)
                    return client;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            // Another OS process has no virtual clock to advance: poll its readiness, bounded by the deadline above.
            await Task.Delay(100);
        }
        throw new TimeoutException($"the host was not ready within a minute; output:\n{Output}");
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

    /// <summary>A free TCP port on 127.0.0.1 (the harnesses start hosts on it too).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>src/CleanProdFlow.Web/bin/&lt;configuration&gt;/net10.0/CleanProdFlow.Web.dll, built with the solution.</summary>
    public static string WebAssemblyPath()
    {
        var testDirectory = new DirectoryInfo(AppContext.BaseDirectory);
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
