using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CleanProdFlow.Engine.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace CleanProdFlow.Benchmarks;

/// <summary>
/// Commands through HTTP with the real host on Kestrel (loopback), signed in as a demo reviewer: start, three parallel
/// completions, the decision — each a POST answered after its commit. The timer of the in-process shape is left out
/// (no API fires a timer: Hangfire does). Reads (the case's open tasks) are timed apart from the commands.
/// </summary>
public static class HttpScenario
{
    private const string Key = "bench-http";

    private static readonly string Definition = EngineScenario.Shape(Key, publicityTimer: false, onlyGroup: "review");

    public static async Task<IReadOnlyList<Figure>> RunAsync(BenchmarkRun run)
    {
        await using var database = await BenchDatabase.CreateAsync(run.Options);
        await using var host = BenchHost.Start(database, manualTimers: true, kestrel: true);
        var runtime = host.Services.GetRequiredService<WorkflowRuntime>();
        var deployed = await runtime.DeployAsync(Definition, "bench");
        if (deployed.Version is null)
            throw new InvalidOperationException("the HTTP benchmark definition was refused: " + string.Join("; ", deployed.Problems.Select(p => p.Message)));
        await runtime.PublishAsync(Key, deployed.Version.Version, "bench");

        using var client = host.CreateClient();
        var signIn = await client.PostAsJsonAsync("/api/v1/auth/token", new { username = "review.suzhou", password = BenchHost.Password });
        signIn.EnsureSuccessStatusCode();
        var token = (await signIn.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var commands = new List<double>();
        var reads = new List<double>();
        async Task<HttpResponseMessage> Timed(List<double> into, Func<Task<HttpResponseMessage>> call)
        {
            var started = Stopwatch.GetTimestamp();
            var response = await call();
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException($"{response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            lock (into)
                into.Add(elapsed);
            return response;
        }
        async Task<List<Guid>> OpenTasks(Guid id)
        {
            var response = await Timed(reads, () => client.GetAsync($"/api/v1/tasks?instanceId={id}&status=open"));
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().Select(t => t.GetProperty("id").GetGuid()).ToList();
        }
        async Task RunCase()
        {
            var started = await Timed(commands, () => client.PostAsJsonAsync("/api/v1/instances", new { definitionKey = Key, variables = new { } }));
            var id = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
            foreach (var task in await OpenTasks(id))
                await Timed(commands, () => client.PostAsJsonAsync($"/api/v1/tasks/{task}/complete", new { variables = new { } }));
            var decide = (await OpenTasks(id)).Single();
            await Timed(commands, () => client.PostAsJsonAsync($"/api/v1/tasks/{decide}/complete", new { variables = new { } }));
        }

        for (var i = 0; i < 10; i++)
            await RunCase();
        commands.Clear();
        reads.Clear();
        long cases = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, run.Options.Drivers).Select(_ => Task.Run(async () =>
        {
            while (watch.Elapsed < run.Options.Duration)
            {
                await RunCase();
                Interlocked.Increment(ref cases);
            }
        })));
        var seconds = watch.Elapsed.TotalSeconds;
        var commandsPerSecond = commands.Count / seconds;
        var figures = new List<Figure>
        {
            new("http", $"commands through HTTP (start, 3 parallel completions, decision), {run.Options.Drivers} clients", commandsPerSecond, "per s",
                Note: $"{cases / seconds:F0} cases/s; a case's open-task reads p95 {Percentiles.Of(reads, 95):F1} ms"),
            new("http", "command latency p50", Percentiles.Of(commands, 50), "ms"),
            new("http", "command latency p95", Percentiles.Of(commands, 95), "ms"),
        };
        if (run.DatabaseLimit is { } limit)
            figures.Add(new("http", "HTTP commands/s as % of the database limit", 100 * commandsPerSecond / limit, "%"));
        return figures;
    }
}
