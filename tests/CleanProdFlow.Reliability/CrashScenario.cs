using System.Diagnostics;
using CleanProdFlow.Data.Database;
using Dapper;

namespace CleanProdFlow.Reliability;

/// <summary>
/// Crash safety (issue 12 item 1): one node on the run's database drives fast-track EIA cases with several concurrent
/// clients while the harness kills it with SIGKILL at seeded random moments (when the requests sent pass random
/// marks, after a random further pause) and starts it again on the same database and virtual time. Every request
/// not answered is sent again with the same Idempotency-Key. At the end the node is killed once more and the
/// database is checked (<see cref="ConsistencyCheck"/>).
/// </summary>
public static class CrashScenario
{
    /// <summary>A Monday after the National Day holiday, inside the shipped calendar (2024–2026) with room for the run.</summary>
    public static readonly DateTimeOffset Start = new(2026, 10, 12, 9, 0, 0, TimeSpan.FromHours(8));

    public const string Password = "Reliability#2026";

    /// <summary>The virtual time a round moves on: two 5-working-day periods take a case about eight rounds.</summary>
    public static readonly TimeSpan Step = TimeSpan.FromDays(2);

    /// <summary>Rounds of submit, work and <see cref="Step"/> of virtual time, at most.</summary>
    private const int MaxRounds = 40;

    public static IReadOnlyDictionary<string, string> NodeSettings(ReliabilityDatabase database)
    {
        var settings = new Dictionary<string, string>(database.HostSettings)
        {
            ["Demo__SeedUsers"] = "true",
            ["Demo__SeedData"] = "false",
            ["Demo__Password"] = Password,
            ["Clock__Mode"] = "Virtual",
            ["Hangfire__WorkerCount"] = "2",
            ["Serilog__MinimumLevel__Default"] = "Warning",
        };
        return settings;
    }

    /// <summary>Where a (re)started node's virtual clock starts: just after the harness's time, so it never goes back.</summary>
    public static IReadOnlyDictionary<string, string> ClockStart(HarnessClock clock) =>
        new Dictionary<string, string> { ["Clock__VirtualStart"] = HarnessClock.Iso(clock.Now.AddSeconds(1)) };

    public static async Task<RunSummary> RunAsync(ReliabilityOptions options, TextWriter log)
    {
        var watch = Stopwatch.StartNew();
        var random = new Random(options.Seed);
        log.WriteLine($"crash: {options.Cases} cases, {options.Kills} kills, {options.Clients} clients on {options.Provider}, seed {options.Seed}");
        await using var database = await ReliabilityDatabase.CreateAsync(options.Provider, options.PostgresServer);
        var clock = new HarnessClock(Start);
        var gate = new NodeGate();
        var acknowledged = new Acknowledged();
        await using var node = new HostProcess("node", Path.Combine(database.Directory, "node"), NodeSettings(database));
        using var api = new HarnessApi(node.BaseAddress, Password, gate);
        var driver = new EiaDriver(api, acknowledged, clock, options.Clients);

        node.Start(ClockStart(clock));
        await node.WaitReadyAsync(TimeSpan.FromMinutes(2));
        var enterprises = await driver.RegisterEnterprisesAsync(Math.Clamp(options.Cases / 100, 2, 20), 7000 + options.Seed % 1000 * 20);

        // Marks on the requests sent: about nine per case (submit, the task list, five or six completions).
        var expected = Math.Max(200, options.Cases * 9);
        var marks = Enumerable.Range(0, options.Kills).Select(_ => (long)(expected * (0.03 + 0.6 * random.NextDouble()))).Order().ToList();
        var kills = 0;
        using var stop = new CancellationTokenSource();

        async Task KillAndRestartAsync()
        {
            await Task.Delay(random.Next(0, 150));
            gate.Down();
            await node.KillAsync();
            kills++;
            log.WriteLine($"  kill {kills} after {api.Requests} requests, {acknowledged.Count} acknowledged ({watch.Elapsed.TotalSeconds:F0} s)");
            node.Start(ClockStart(clock));
            await node.WaitReadyAsync(TimeSpan.FromMinutes(2));
            gate.Up();
        }

        var killer = Task.Run(async () =>
        {
            foreach (var mark in marks)
            {
                while (api.Requests < mark && !stop.IsCancellationRequested)
                    await Task.Delay(10); // the harness's own pacing: a kill happens when the driver passes the mark
                if (stop.IsCancellationRequested)
                    return;
                await KillAndRestartAsync();
            }
        });

        var pending = Enumerable.Range(0, options.Cases).ToList();
        var rounds = 0;
        try
        {
            for (; rounds < MaxRounds; rounds++)
            {
                if (pending.Count > 0)
                {
                    var submitted = await driver.SubmitAllAsync(pending, enterprises);
                    pending = pending.Except(submitted).ToList();
                }
                await driver.WorkAsync();
                if (pending.Count == 0 && await RunningCasesAsync(database) == 0)
                    break;
                await driver.AdvanceAsync(Step);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await killer;
        }
        // Marks not reached (a run shorter than estimated): the remaining kills now, each followed by a round.
        while (kills < options.Kills)
        {
            await KillAndRestartAsync();
            await driver.WorkAsync();
            await driver.AdvanceAsync(Step);
        }
        await driver.WorkAsync();
        var completedCases = await CompletedCasesAsync(database);
        var hostile = await HostileRound.RunAsync(api, enterprises[0], options.Seed);
        log.WriteLine($"  hostile inputs: {hostile.Tried} tried, {hostile.ServerErrors} answered 5xx, {hostile.Faults.Count} not a 4xx problem");
        // The last crash: whatever the node had not committed is gone before the checks read the database.
        await node.KillAsync();
        log.WriteLine($"  driven in {watch.Elapsed.TotalSeconds:F0} s over {rounds} rounds; checking the database");

        var report = await ConsistencyCheck.RunAsync(database, acknowledged.All);
        var problems = report.Inconsistencies.Concat(report.Duplicates).Concat(report.LostAcknowledged).Concat(api.ServerErrorSamples)
            .Concat(hostile.Faults.Take(10).Select(f => $"hostile input: {f}")).ToList();
        if (completedCases != options.Cases)
            problems.Add($"{options.Cases - completedCases} cases did not complete within {MaxRounds} rounds; refusals: {string.Join(" | ", driver.Refusals.Take(5))}");
        return new RunSummary
        {
            Scenario = "crash", Provider = options.Provider.ToString(), Seed = options.Seed,
            Cases = options.Cases, CasesCompleted = completedCases, Kills = kills, KillsRequired = options.Kills, Restarts = node.Starts - 1,
            CommandsAcknowledged = acknowledged.Count, TimersFired = report.TimersFired,
            Duplicates = report.Duplicates.Count, Inconsistencies = report.Inconsistencies.Count, LostAcknowledged = report.LostAcknowledged.Count,
            ServerErrors = api.ServerErrors, TransportRetries = api.TransportFailures,
            HostileInputs = hostile.Tried, HostileServerErrors = hostile.ServerErrors, HostileFaults = hostile.Faults.Count,
            JournalsVerified = report.JournalsVerified, Seconds = watch.Elapsed.TotalSeconds, Problems = problems,
        };
    }

    public static async Task<int> RunningCasesAsync(ReliabilityDatabase database)
    {
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<int>(
            "SELECT COUNT(*) FROM workflow_instances WHERE definition_key = @key AND status = 'running'", new { key = EiaDriver.DefinitionKey });
    }

    public static async Task<int> CompletedCasesAsync(ReliabilityDatabase database)
    {
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<int>(
            "SELECT COUNT(*) FROM workflow_instances WHERE definition_key = @key AND status = 'completed'", new { key = EiaDriver.DefinitionKey });
    }
}
