using System.Diagnostics;
using System.Net;
using System.Text.Json;
using CleanProdFlow.Data.Database;

namespace CleanProdFlow.Reliability;

/// <summary>
/// Two nodes (issue 12 item 2): two host processes on one PostgreSQL database (Hangfire.PostgreSql shared). Every
/// open task is completed through both nodes at the same moment — exactly one may answer 2xx, the other a 409
/// problem, never a 5xx — and both nodes' virtual clocks are moved to the same instant at once, so each fires every
/// timer that fell due in parallel with the other: each must fire exactly once. Then the database is checked.
/// </summary>
public static class TwoNodesScenario
{
    private const int MaxRounds = 40;

    public static async Task<RunSummary> RunAsync(ReliabilityOptions options, TextWriter log)
    {
        if (options.Provider != DatabaseProvider.Postgres)
            throw new ArgumentException("two nodes share a PostgreSQL database (SQLite is one process's file): use --provider postgres");
        var watch = Stopwatch.StartNew();
        var cases = Math.Max(1, options.Races);
        log.WriteLine($"two-nodes: {cases} cases, every task raced through both nodes, seed {options.Seed}");
        await using var database = await ReliabilityDatabase.CreateAsync(options.Provider, options.PostgresServer);
        var clock = new HarnessClock(CrashScenario.Start);
        var acknowledged = new Acknowledged();
        var settings = CrashScenario.NodeSettings(database);
        await using var nodeA = new HostProcess("node A", Path.Combine(database.Directory, "a"), settings);
        await using var nodeB = new HostProcess("node B", Path.Combine(database.Directory, "b"), settings);
        // Both start together: the migration lock and the shipped-workflow deployment meet here too.
        nodeA.Start(CrashScenario.ClockStart(clock));
        nodeB.Start(CrashScenario.ClockStart(clock));
        await Task.WhenAll(nodeA.WaitReadyAsync(TimeSpan.FromMinutes(2)), nodeB.WaitReadyAsync(TimeSpan.FromMinutes(2)));
        using var apiA = new HarnessApi(nodeA.BaseAddress, CrashScenario.Password, new NodeGate());
        using var apiB = new HarnessApi(nodeB.BaseAddress, CrashScenario.Password, new NodeGate());
        var driverA = new EiaDriver(apiA, acknowledged, clock, options.Clients);
        var driverB = new EiaDriver(apiB, acknowledged, clock, options.Clients);

        var enterprises = await driverA.RegisterEnterprisesAsync(2, 8000 + options.Seed % 1000 * 2);
        var half = Enumerable.Range(0, cases).ToList();
        await Task.WhenAll(driverA.SubmitAllAsync(half.Where(i => i % 2 == 0).ToList(), enterprises),
            driverB.SubmitAllAsync(half.Where(i => i % 2 == 1).ToList(), enterprises));

        var raced = 0;
        var won = new System.Collections.Concurrent.ConcurrentDictionary<Guid, bool>(); // never raced again: a lost completion stays visible
        var notOneWinner = new List<string>();
        for (var round = 0; round < MaxRounds; round++)
        {
            for (var pass = 0; pass < 4; pass++)
            {
                var open = (await driverA.OpenTasksAsync()).Where(t => !won.ContainsKey(t.GetProperty("id").GetGuid())).ToList();
                if (open.Count == 0)
                    break;
                await Parallel.ForEachAsync(open, new ParallelOptions { MaxDegreeOfParallelism = options.Clients }, async (task, _) =>
                {
                    var id = task.GetProperty("id").GetGuid();
                    var user = $"{task.GetProperty("candidateGroups")[0].GetString()}.{task.GetProperty("organisation").GetString()}";
                    var body = EiaDriver.CompletionOf(task);
                    // No Idempotency-Key: two different requests for the same task, as two people pressing at once.
                    var answers = await Task.WhenAll(
                        apiA.SendAsync(user, HttpMethod.Post, $"/api/v1/tasks/{id}/complete", body, null),
                        apiB.SendAsync(user, HttpMethod.Post, $"/api/v1/tasks/{id}/complete", body, null));
                    Interlocked.Increment(ref raced);
                    var wins = answers.Count(a => a.IsSuccess);
                    var conflicts = answers.Count(a => a.Status == HttpStatusCode.Conflict && IsProblem(a));
                    if (wins >= 1)
                    {
                        acknowledged.Add(new TaskCompleted(id, task.GetProperty("instanceId").GetGuid()));
                        won[id] = true;
                    }
                    if (wins == 1 && conflicts == 1)
                        return;
                    lock (notOneWinner)
                        notOneWinner.Add($"task {task.GetProperty("elementId").GetString()} {id}: {string.Join(" and ", answers.Select(a => $"{(int)a.Status} {Shorten(a.Text)}"))}");
                });
            }
            if (await CrashScenario.RunningCasesAsync(database) == 0)
                break;
            // Both clocks to the same instant at once: each node fires every timer due, racing the other.
            var target = clock.Now + CrashScenario.Step;
            clock.MoveTo(target);
            var moved = await Task.WhenAll(
                apiA.PostAsync(EiaDriver.Admin, "/api/v1/clock/advance", new { to = HarnessClock.Iso(target) }),
                apiB.PostAsync(EiaDriver.Admin, "/api/v1/clock/advance", new { to = HarnessClock.Iso(target) }));
            if (moved.All(m => m.IsSuccess))
                acknowledged.Add(new ClockAdvanced(target));
            else
                notOneWinner.Add($"advancing both clocks: {string.Join(" and ", moved.Select(m => $"{(int)m.Status} {Shorten(m.Text)}"))}");
        }
        var completed = await CrashScenario.CompletedCasesAsync(database);
        await nodeA.KillAsync();
        await nodeB.KillAsync();
        var report = await ConsistencyCheck.RunAsync(database, acknowledged.All);
        var problems = notOneWinner.Concat(report.Inconsistencies).Concat(report.Duplicates).Concat(report.LostAcknowledged)
            .Concat(apiA.ServerErrorSamples).Concat(apiB.ServerErrorSamples).ToList();
        return new RunSummary
        {
            Scenario = "two-nodes", Provider = options.Provider.ToString(), Seed = options.Seed,
            Cases = cases, CasesCompleted = completed, Restarts = 0, CommandsAcknowledged = acknowledged.Count, TimersFired = report.TimersFired,
            RacedCompletions = raced, RacesNotOneWinner = notOneWinner.Count,
            Duplicates = report.Duplicates.Count, Inconsistencies = report.Inconsistencies.Count, LostAcknowledged = report.LostAcknowledged.Count,
            ServerErrors = apiA.ServerErrors + apiB.ServerErrors, TransportRetries = apiA.TransportFailures + apiB.TransportFailures,
            Seconds = watch.Elapsed.TotalSeconds, Problems = problems,
        };
    }

    private static bool IsProblem(ApiAnswer answer) =>
        answer.Body.ValueKind == JsonValueKind.Object && answer.Body.TryGetProperty("title", out _);

    private static string Shorten(string text) => text.Length > 160 ? text[..160] + "…" : text;
}
