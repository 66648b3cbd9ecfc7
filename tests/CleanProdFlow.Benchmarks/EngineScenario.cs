using System.Globalization;
using System.Diagnostics;
using System.Text.Json.Nodes;
using CleanProdFlow.Data.Database;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.Web.Notifications;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using TaskStatus = CleanProdFlow.Engine.Runtime.TaskStatus;

namespace CleanProdFlow.Benchmarks;

/// <summary>
/// Engine throughput in-process: cases of the fast-track EIA's shape (start; three user tasks in parallel, one with a
/// statutory reminder timer armed and cancelled; a publicity timer fired; a decision task) driven from start to end
/// through <see cref="WorkflowRuntime"/> by several concurrent drivers. Six commands a case, each one transaction: the
/// start, three parallel completions, the timer firing, the decision.
/// </summary>
public static class EngineScenario
{
    public const string Key = "bench-eia-shaped";
    public const int CommandsPerCase = 6;

    public static readonly TaskActor Actor = new("bench", "suzhou", ["publicity", "assessment", "review", "approver"]);

    public static readonly string Definition = Shape(Key, publicityTimer: true, onlyGroup: null);

    /// <summary>
    /// The process: three user tasks in parallel (the review with a non-interrupting 15-day reminder timer), then,
    /// with <paramref name="publicityTimer"/>, a timer already due, then the decision. <paramref name="onlyGroup"/>
    /// gives every task that one candidate group (one demo user can then do them all over HTTP).
    /// </summary>
    public static string Shape(string key, bool publicityTimer, string? onlyGroup)
    {
        string Group(string group) => onlyGroup ?? group;
        var afterJoin = publicityTimer ? "publicity" : "decide";
        var timer = publicityTimer
            ? """
                <bpmn:intermediateCatchEvent id="publicity" name="公示期">
                  <bpmn:timerEventDefinition><bpmn:timeDate>2020-01-01T00:00:00+08:00</bpmn:timeDate></bpmn:timerEventDefinition>
                </bpmn:intermediateCatchEvent>
                <bpmn:sequenceFlow id="f10" sourceRef="publicity" targetRef="decide"/>
              """
            : "";
        return $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:cpf="https://cleanprodflow.example/schema/1.0"
                              id="bench-defs" targetNamespace="https://cleanprodflow.example/benchmarks">
              <bpmn:process id="{key}" name="基准：环评绿色通道形状" isExecutable="true">
                <bpmn:startEvent id="start"/>
                <bpmn:parallelGateway id="fork"/>
                <bpmn:userTask id="publish" name="发布受理公示" cpf:candidateGroups="{Group("publicity")}"/>
                <bpmn:userTask id="assessment" name="技术评估" cpf:candidateGroups="{Group("assessment")}"/>
                <bpmn:userTask id="review" name="审查" cpf:candidateGroups="{Group("review")}"/>
                <bpmn:boundaryEvent id="review-reminder" attachedToRef="review" cancelActivity="false">
                  <bpmn:timerEventDefinition><bpmn:timeDuration>P15D</bpmn:timeDuration></bpmn:timerEventDefinition>
                </bpmn:boundaryEvent>
                <bpmn:endEvent id="reminded"/>
                <bpmn:parallelGateway id="join"/>
                {timer}
                <bpmn:userTask id="decide" name="作出审批决定" cpf:candidateGroups="{Group("approver")}"/>
                <bpmn:endEvent id="end"/>
                <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="fork"/>
                <bpmn:sequenceFlow id="f2" sourceRef="fork" targetRef="publish"/>
                <bpmn:sequenceFlow id="f3" sourceRef="fork" targetRef="assessment"/>
                <bpmn:sequenceFlow id="f4" sourceRef="fork" targetRef="review"/>
                <bpmn:sequenceFlow id="f5" sourceRef="publish" targetRef="join"/>
                <bpmn:sequenceFlow id="f6" sourceRef="assessment" targetRef="join"/>
                <bpmn:sequenceFlow id="f7" sourceRef="review" targetRef="join"/>
                <bpmn:sequenceFlow id="f8" sourceRef="review-reminder" targetRef="reminded"/>
                <bpmn:sequenceFlow id="f9" sourceRef="join" targetRef="{afterJoin}"/>
                <bpmn:sequenceFlow id="f11" sourceRef="decide" targetRef="end"/>
              </bpmn:process>
            </bpmn:definitions>
            """;
    }

    public static async Task DeployAsync(WorkflowRuntime runtime)
    {
        var deployed = await runtime.DeployAsync(Definition, "bench");
        if (deployed.Version is null)
            throw new InvalidOperationException("the benchmark definition was refused: " + string.Join("; ", deployed.Problems.Select(p => p.Message)));
        await runtime.PublishAsync(Key, deployed.Version.Version, "bench");
    }

    public static async Task<IReadOnlyList<Figure>> RunAsync(BenchmarkRun run)
    {
        await using var database = await BenchDatabase.CreateAsync(run.Options);
        await using var host = BenchHost.Start(database, manualTimers: true);
        var runtime = host.Services.GetRequiredService<WorkflowRuntime>();
        var store = host.Services.GetRequiredService<IWorkflowStore>();
        await DeployAsync(runtime);
        var driver = new CaseDriver(runtime, store, database.Database);

        for (var i = 0; i < 20; i++) // warm-up: JIT, pools, definition cache
            await driver.RunCaseAsync();
        driver.Breakdown.Clear();

        // Engine slices alternate with slices of the database limit on this same database: the ratio compares like
        // with like however the machine's load moves during the run.
        await DatabaseLimitScenario.PrepareAsync(database.Database);
        const int rounds = 5;
        var slice = run.Options.Duration / rounds;
        var limits = new List<double>();
        long cases = 0;
        var cpu = TimeSpan.Zero;
        var engineTime = TimeSpan.Zero;
        using var phases = new CommandPhases();
        for (var round = 0; round < rounds; round++)
        {
            limits.Add(await DatabaseLimitScenario.LimitNowAsync(database.Database, run.Options.Drivers, slice / 2));
            phases.Resume();
            var sliceCpu = CpuMeter.Start();
            var watch = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, run.Options.Drivers).Select(_ => Task.Run(async () =>
            {
                while (watch.Elapsed < slice)
                {
                    await driver.RunCaseAsync();
                    Interlocked.Increment(ref cases);
                }
            })));
            engineTime += watch.Elapsed;
            phases.Pause();
            cpu += sliceCpu.Elapsed;
        }
        var seconds = engineTime.TotalSeconds;
        var cpuPerCommand = cpu.TotalMilliseconds / Math.Max(1, cases * CommandsPerCase);
        var casesPerSecond = cases / seconds;
        var commandsPerSecond = cases * CommandsPerCase / seconds;
        run.EngineCommandsPerSecond = commandsPerSecond;
        var rows = await RowsPerCaseAsync(database, cases + 20);
        var wal = database.Provider == DatabaseProvider.Sqlite ? "; " + await WalPagesAsync(database.Database, driver, host.Services.GetRequiredService<NotificationOutbox>()) : "";
        var limit = limits.Average();
        var breakdown = $"{rows}{wal}; {cpuPerCommand:F2} ms CPU per command ({cpu.TotalSeconds / seconds:F1} of {Environment.ProcessorCount} cores busy); " +
                        driver.BreakdownText(cases) + "; " + phases.Text(cases * CommandsPerCase);
        var figures = new List<Figure>
        {
            new("engine", $"EIA-shaped cases start to end, in-process, {run.Options.Drivers} drivers", casesPerSecond, "cases/s"),
            new("engine", "commands (start, 3 parallel completions, timer firing, decision)", commandsPerSecond, "per s", Note: breakdown),
            new("engine", $"database limit measured between the engine's {rounds} slices (the higher of 1 and {run.Options.Drivers} writers)", limit, "per s",
                Note: "per slice: " + string.Join(", ", limits.Select(l => l.ToString("N0", CultureInfo.InvariantCulture)))),
        };
        var ratio = 100 * commandsPerSecond / limit;
        figures.Add(new("engine", "commands/s as % of the database limit (interleaved)", ratio, "%", AtLeast: 70,
            Note: ratio >= 70 ? null : run.Options.Provider == DatabaseProvider.Sqlite
                ? "SQLite runs one writer at a time: a command holds the write lock for its reads, its ~8 indexed writes and its fsync, " +
                  "where the limit's transaction is one insert and the fsync; the CPU per command (above) is the difference"
                : "a command is a transaction of several indexed writes and reads (each a round trip to the server) where the limit " +
                  "commits one row; the server shares the 2 cores with this process"));
        return figures;
    }

    /// <summary>How many rows a case leaves in the engine's tables (each also indexed), against the limit's one row per commit.</summary>
    private static async Task<string> RowsPerCaseAsync(BenchDatabase database, long cases)
    {
        await using var connection = await database.Database.OpenAsync();
        var counts = new List<string>();
        long total = 0;
        foreach (var table in new[] { "workflow_instances", "workflow_tasks", "workflow_task_candidate_groups", "workflow_timers", "workflow_journal" })
        {
            var count = await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table}");
            total += count;
            counts.Add($"{table[9..]} {(double)count / cases:F1}");
        }
        var stateBytes = await connection.ExecuteScalarAsync<double>("SELECT AVG(LENGTH(state)) FROM workflow_instances");
        return $"a case writes {(double)total / cases:F1} rows in {CommandsPerCase} commits ({string.Join(", ", counts)}) and updates its instance row " +
               $"(state {stateBytes / 1024:F1} KiB of JSON at the end) each time";
    }

    /// <summary>
    /// What a commit writes on SQLite: pages appended to the WAL per engine command (5 cases, and the notification
    /// outbox's own commits for them) against per single-row insert of the limit, counted from an emptied WAL.
    /// </summary>
    private static async Task<string> WalPagesAsync(CpfDatabase database, CaseDriver driver, NotificationOutbox outbox)
    {
        const int cases = 5;
        const int inserts = 30;
        await using var connection = await database.OpenAsync();
        async Task<long> FramesAfterAsync(Func<Task> work)
        {
            // Delivered here, not by the host's own round later: what came before is out of the count, what this work
            // recorded is in it (a round of the host's already under way commits first: both queue for the write lock).
            await outbox.DeliverAsync(CancellationToken.None);
            await connection.ExecuteAsync("PRAGMA wal_checkpoint(TRUNCATE)");
            await work();
            await outbox.DeliverAsync(CancellationToken.None);
            var (_, log, _) = await connection.QuerySingleAsync<(long Busy, long Log, long Checkpointed)>("PRAGMA wal_checkpoint(PASSIVE)");
            return log;
        }
        var engine = await FramesAfterAsync(async () =>
        {
            for (var i = 0; i < cases; i++)
                await driver.RunCaseAsync();
        });
        var limit = await FramesAfterAsync(async () =>
        {
            for (var i = 0; i < inserts; i++)
            {
                await using var transaction = await connection.BeginTransactionAsync();
                await connection.ExecuteAsync("INSERT INTO bench_inserts (id, payload, at) VALUES (@id, @payload, @at)",
                    new { id = Guid.NewGuid().ToString(), payload = new string('x', 200), at = "wal" }, transaction);
                await transaction.CommitAsync();
            }
        });
        var pageSize = await connection.ExecuteScalarAsync<long>("PRAGMA page_size");
        return $"the WAL grows by {(double)engine / (cases * CommandsPerCase):F1} pages of {pageSize / 1024} KiB per command " +
               $"(notification outbox included) against {(double)limit / inserts:F1} per insert of the limit";
    }

    /// <summary>Drives one case from start to end; sums the time spent in each kind of call (milliseconds, all drivers).</summary>
    public sealed class CaseDriver(WorkflowRuntime runtime, IWorkflowStore store, CpfDatabase database)
    {
        public Dictionary<string, double> Breakdown { get; } = new();

        public async Task<Guid> StartAsync() =>
            (await Timed("start", () => runtime.StartAsync(Key, null, new JsonObject(), Actor.Organisation, Actor.Username))).Id;

        public Task RunCaseAsync() => Timed("whole case", async () =>
        {
            await RunStepsAsync();
            return true;
        });

        private async Task RunStepsAsync()
        {
            var id = await StartAsync();
            foreach (var task in await OpenTasksAsync(id))
                await CompleteAsync(task.Id);
            var timer = await Timed("read: the case's timer", async () =>
            {
                await using var connection = await database.OpenAsync();
                return await connection.QuerySingleAsync<Guid>(
                    "SELECT id FROM workflow_timers WHERE instance_id = @id AND element_id = 'publicity' AND status = 'pending'", new { id });
            });
            await Timed("fire timer", () => runtime.FireTimerAsync(timer));
            var decide = (await OpenTasksAsync(id)).Single();
            await CompleteAsync(decide.Id);
        }

        private Task<IReadOnlyList<TaskRecord>> OpenTasksAsync(Guid id) =>
            Timed("read: open tasks", () => store.ListTasksAsync(new TaskQuery { InstanceId = id, Status = TaskStatus.Open }));

        private Task CompleteAsync(Guid taskId) =>
            Timed("complete task", () => runtime.CompleteTaskAsync(taskId, Actor, null, new JsonObject(), null, _ => new IdempotentReply(200, "")));

        private async Task<T> Timed<T>(string what, Func<Task<T>> call)
        {
            var started = Stopwatch.GetTimestamp();
            var result = await call();
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            lock (Breakdown)
                Breakdown[what] = Breakdown.GetValueOrDefault(what) + elapsed;
            return result;
        }

        public string BreakdownText(long cases) => cases == 0 ? "" :
            "wall ms per case (all drivers' calls): " + string.Join(", ", Breakdown.OrderByDescending(p => p.Value).Select(p => $"{p.Key} {p.Value / cases:F2}"));
    }
}
