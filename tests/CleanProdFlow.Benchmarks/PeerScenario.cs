using System.Diagnostics;
using System.Text.Json;

namespace CleanProdFlow.Benchmarks;

/// <summary>
/// The peer: the engine scenario's very process (same XML) run in bpmn-engine, an in-memory JavaScript BPMN engine,
/// by the Node harness in peer/ (bpmn-engine pinned in its package.json, installed by npm at the first run). Skipped
/// with a message when Node or npm is absent or the install fails. Target: our persisted commands/s at least 10× its
/// in-memory signals/s.
/// </summary>
public static class PeerScenario
{
    public static async Task<IReadOnlyList<Figure>> RunAsync(BenchmarkRun run)
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "peer");
        if (await RunProcessAsync("node", "--version", directory, TimeSpan.FromSeconds(20)) is not { ExitCode: 0 })
            return [Skipped("Node is not installed (node --version failed)")];
        if (!Directory.Exists(Path.Combine(directory, "node_modules", "bpmn-engine")))
        {
            // npm ci installs exactly the versions in package-lock.json.
            var install = await RunProcessAsync("npm", "ci --no-audit --no-fund --loglevel=error", directory, TimeSpan.FromMinutes(5));
            if (install is not { ExitCode: 0 })
                return [Skipped($"npm install failed: {install?.Error.Trim() ?? "npm is not installed"}")];
        }
        var process = Path.Combine(directory, "process.bpmn");
        await File.WriteAllTextAsync(process, EngineScenario.Definition);
        var seconds = run.Options.Duration.TotalSeconds;
        var result = await RunProcessAsync("node", $"harness.js \"{process}\" {seconds} {run.Options.Drivers}", directory, TimeSpan.FromSeconds(seconds + 120));
        if (result is not { ExitCode: 0 })
            return [Skipped($"the harness failed: {result?.Error.Trim()}")];
        using var json = JsonDocument.Parse(result.Output.Trim().Split('\n')[^1]);
        var root = json.RootElement;
        var version = root.GetProperty("version").GetString();
        var signals = root.GetProperty("signalsPerSecond").GetDouble();
        var figures = new List<Figure>
        {
            new("peer", $"bpmn-engine {version} (in memory): cases of the same process start to end, {run.Options.Drivers} drivers",
                root.GetProperty("casesPerSecond").GetDouble(), "cases/s"),
            new("peer", "bpmn-engine user-task signals", signals, "per s"),
        };
        if (run.EngineCommandsPerSecond is { } ours)
            figures.Add(new("peer", "our persisted commands/s ÷ bpmn-engine's in-memory signals/s", ours / signals, "×", AtLeast: 10,
                Note: ours / signals >= 10 ? null : "bpmn-engine keeps everything in memory and commits nothing; ours commits each command (see engine)"));
        return figures;
    }

    private static Figure Skipped(string why) => new("peer", "bpmn-engine: skipped", 0, "-", Note: why);

    public sealed record ProcessResult(int ExitCode, string Output, string Error);

    /// <summary>Runs a program to its end (killed after <paramref name="timeout"/>); null when it cannot be started.</summary>
    public static async Task<ProcessResult?> RunProcessAsync(string program, string arguments, string directory, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(program, arguments)
        {
            WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        Process? process;
        try
        {
            process = Process.Start(info);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
        if (process is null)
            return null;
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var cancel = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                return new ProcessResult(-1, await output, $"timed out after {timeout.TotalSeconds:F0} s");
            }
            return new ProcessResult(process.ExitCode, await output, await error);
        }
    }
}
