using CleanProdFlow.TestSupport;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CleanProdFlow.Reliability;

/// <summary>
/// One node: the built CleanProdFlow.Web.dll run as its own process on a fixed loopback port and data directory, so
/// that it can be killed with SIGKILL and started again on the same database and address. Only the last lines of its
/// output are kept (shown when it does not come up).
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private const int KeptLines = 200;

    private readonly string _name;
    private readonly string _dataDirectory;
    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly Queue<string> _tail = new();
    private Process? _process;

    public HostProcess(string name, string dataDirectory, IReadOnlyDictionary<string, string> settings)
    {
        _name = name;
        _dataDirectory = dataDirectory;
        _settings = settings;
        Port = WebProcess.FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{Port}");
        Directory.CreateDirectory(dataDirectory);
    }

    public int Port { get; }

    public Uri BaseAddress { get; }

    public int Starts { get; private set; }

    public string Tail { get { lock (_tail) return string.Join('\n', _tail); } }

    /// <summary>Starts the process with the host settings and <paramref name="extra"/> (e.g. where the virtual clock starts).</summary>
    public void Start(IReadOnlyDictionary<string, string>? extra = null)
    {
        if (_process is { HasExited: false })
            throw new InvalidOperationException($"{_name} is already running");
        var start = new ProcessStartInfo("dotnet", [WebProcess.WebAssemblyPath()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _dataDirectory,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Urls"] = BaseAddress.ToString().TrimEnd('/');
        start.Environment["ASPNETCORE_URLS"] = BaseAddress.ToString().TrimEnd('/');
        start.Environment["Storage__DataDirectory"] = _dataDirectory;
        // The harness's clients all sign in from 127.0.0.1, hundreds of times a minute across restarts: above the
        // product's per-address sign-in limit, which is not what this harness tests.
        start.Environment["Auth__SignInAttemptsPerMinute"] = "100000";
        foreach (var (key, value) in _settings)
            start.Environment[key] = value;
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
            start.Environment[key] = value;
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        Starts++;
    }

    /// <summary>SIGKILL (Process.Kill on Unix): no shutdown hook runs, whatever was not committed is lost.</summary>
    public async Task KillAsync()
    {
        if (_process is null || _process.HasExited)
            return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>Waits until /health/ready answers 200, failing early when the process exits.</summary>
    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            if (_process is null || _process.HasExited)
                throw new InvalidOperationException($"{_name} exited with {_process?.ExitCode}; output:\n{Tail}");
            try
            {
                if ((await client.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK)
                    return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }
            // Another process has no clock to advance: poll its readiness, bounded by the timeout.
            await Task.Delay(100);
        }
        throw new TimeoutException($"{_name} was not ready within {timeout}; output:\n{Tail}");
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
            return;
        lock (_tail)
        {
            _tail.Enqueue(line);
            while (_tail.Count > KeptLines)
                _tail.Dequeue();
        }
    }
}
