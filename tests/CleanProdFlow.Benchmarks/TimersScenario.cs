using System.Diagnostics;
using System.Text.Json.Nodes;
using CleanProdFlow.Data.Database;
using CleanProdFlow.Engine.Execution;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.TestSupport;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CleanProdFlow.Benchmarks;

/// <summary>
/// Timers at scale on the System clock, and what 100,000 waiting instances cost a (re)starting node. 100,000 instances
/// wait at a timer (bulk-loaded as copies of one started through the engine, each with its own timer row); 10,000 of
/// the timers fall due at one real instant shortly after the product is up. The product runs as its own process
/// (the built CleanProdFlow.Web.dll): its start to ready (migration check, shipped workflows, overdue timers fired; the
/// timer pump reads the earliest due instant once serving), its RSS, then firings/s and the lag from due time to firing (p50, p99), and that none
/// fired twice (each timer fired once, and one task per fired timer).
/// </summary>
public static class TimersScenario
{
    private const string Key = "bench-timer";

    private static readonly string Definition = $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:cpf="https://cleanprodflow.example/schema/1.0"
                          id="bench-timer-defs" targetNamespace="https://cleanprodflow.example/benchmarks">
          <bpmn:process id="{Key}" name="基准：定时后办理" isExecutable="true">
            <bpmn:startEvent id="start"/>
            <bpmn:intermediateCatchEvent id="wait" name="等待期满">
              <bpmn:timerEventDefinition><bpmn:timeDate>2099-01-01T00:00:00+08:00</bpmn:timeDate></bpmn:timerEventDefinition>
            </bpmn:intermediateCatchEvent>
            <bpmn:userTask id="after-wait" name="期满办理" cpf:candidateGroups="review"/>
            <bpmn:endEvent id="end"/>
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="wait"/>
            <bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="after-wait"/>
            <bpmn:sequenceFlow id="f3" sourceRef="after-wait" targetRef="end"/>
          </bpmn:process>
        </bpmn:definitions>
        """;

    public static async Task<IReadOnlyList<Figure>> RunAsync(BenchmarkRun run)
    {
        var pending = run.Options.Size(100_000);
        var due = Math.Min(pending, run.Options.Size(10_000));
        await using var database = await BenchDatabase.CreateAsync(run.Options);

        // A template instance waiting at the timer, started by the engine itself.
        string template;
        await using (var first = BenchHost.Start(database, manualTimers: true))
        {
            var runtime = first.Services.GetRequiredService<WorkflowRuntime>();
            var deployed = await runtime.DeployAsync(Definition, "bench");
            await runtime.PublishAsync(Key, deployed.Version!.Version, "bench");
            var started = await runtime.StartAsync(Key, null, new JsonObject(), "suzhou", "bench");
            template = (await first.Services.GetRequiredService<IWorkflowStore>().FindInstanceAsync(started.Id))!.State.ToJson();
        }
        var load = Stopwatch.StartNew();
        var placeholder = new DateTimeOffset(2098, 1, 1, 0, 0, 0, TimeSpan.Zero);
        await LoadAsync(database.Database, template, pending, due, placeholder);
        await TableWriter.ExecuteAsync(database.Database, "ANALYZE");
        var loadSeconds = load.Elapsed.TotalSeconds;

        var settings = new Dictionary<string, string>
        {
            ["Database__Provider"] = database.Settings.Provider.ToString(),
            ["ConnectionStrings__CleanProdFlow"] = database.Settings.ConnectionString,
            ["Demo__SeedUsers"] = "false",
            ["Demo__SeedData"] = "false",
            ["Serilog__MinimumLevel__Default"] = "Error",
        };
        // Breakdown of the restart: once with no timer due soon …
        var bare = Stopwatch.StartNew();
        await using (var first = WebProcess.Start(settings))
        using (await first.ReadyClientAsync())
        {
        }
        var bareSeconds = bare.Elapsed.TotalSeconds;

        // … then with the due instant far enough ahead for the product to start: its timer pump sleeps until it. The
        // product as an operator runs it, in its own process, on this database.
        var dueAt = Instants.ForStorage(TimeProvider.System.GetUtcNow().AddSeconds(25 + 2 * bareSeconds));
        await using (var connection = await database.Database.OpenAsync())
            await connection.ExecuteAsync("UPDATE workflow_timers SET due_at = @dueAt WHERE due_at = @placeholder",
                new { dueAt, placeholder = Instants.ForStorage(placeholder) });
        var start = Stopwatch.StartNew();
        await using var web = WebProcess.Start(settings);
        using (await web.ReadyClientAsync())
        {
        }
        var startSeconds = start.Elapsed.TotalSeconds;
        var rss = Rss(web.ProcessId);

        // Wait for every due timer to fire (or give up two minutes after the due time).
        var deadline = dueAt.AddMinutes(2);
        long fired = 0;
        while (TimeProvider.System.GetUtcNow() < deadline)
        {
            await using var connection = await database.Database.OpenAsync();
            fired = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM workflow_timers WHERE due_at = @dueAt AND status = 'fired'", new { dueAt });
            if (fired >= due)
                break;
            await Task.Delay(250);
        }
        var rssAfter = Rss(web.ProcessId);
        await using var check = await database.Database.OpenAsync();
        var lags = (await check.QueryAsync<DateTimeOffset>("SELECT fired_at FROM workflow_timers WHERE due_at = @dueAt AND status = 'fired'", new { dueAt }))
            .Select(f => (f - dueAt).TotalMilliseconds).ToList();
        var twice = await check.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM workflow_timers WHERE fired_count > 1");
        var tasks = await check.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM workflow_tasks WHERE definition_key = @key", new { key = Key });
        var otherFired = await check.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM workflow_timers WHERE due_at <> @dueAt AND status = 'fired'", new { dueAt });
        var span = lags.Count == 0 ? double.NaN : lags.Max() / 1000;
        var perSecond = lags.Count / Math.Max(span, 0.001);
        // Breakdown: the first firing's lag is the pump's waking up; after it, the rate is the batches' firing itself.
        var firstLag = lags.Count == 0 ? double.NaN : lags.Min() / 1000;
        var afterFirst = lags.Count < 2 ? double.NaN : (lags.Count - 1) / Math.Max(span - firstLag, 0.001);
        // The template's own timer (2099) stays pending, so tasks must equal the timers fired, and nothing else fired.
        var duplicates = twice + Math.Abs(tasks - lags.Count) + otherFired;
        return
        [
            new("timers", $"{pending:N0} waiting instances with their timers bulk-loaded", loadSeconds, "s"),
            new("restart", $"process start to /health/ready with {pending:N0} waiting instances, {due:N0} timers re-armed", startSeconds, "s", AtMost: 10,
                Note: $"dotnet CleanProdFlow.Web.dll as its own process; {bareSeconds:F1} s with no timer due soon; the timer pump " +
                      $"sleeps until the {due:N0} timers' due instant once the host serves, and all fired (below)"),
            new("memory", $"host process RSS when ready, {pending:N0} waiting instances with armed timers", rss / 1048576.0, "MB", AtMost: 300,
                Note: $"{rssAfter / 1048576.0:F0} MB after the {due:N0} firings"),
            new("timers", $"timers due at one real instant that fired (of {due:N0})", lags.Count, "timers", AtLeast: due),
            new("timers", "firings per second (all fired ÷ due instant to the last firing)", perSecond, "per s", AtLeast: 1000,
                Note: $"the first fired {firstLag:F2} s after the due instant (the pump waking up), then {afterFirst:N0}/s; " +
                      $"{due:N0} timers at that rate take {due / Math.Max(afterFirst, 1):F1} s, which is the lag of the last; each firing is " +
                      "an engine step, up to 50 per transaction (Workflows:TimerBatchSize), so the rate is bounded by the engine's steps/s on this database (see engine)"),
            new("timers", "lag from due time to firing, p50", Percentiles.Of(lags, 50) / 1000, "s"),
            new("timers", "lag from due time to firing, p99", Percentiles.Of(lags, 99) / 1000, "s", AtMost: 2),
            new("timers", "timers fired twice, or tasks not one per fired timer", duplicates, "timers", AtMost: 0,
                Note: $"{twice} fired twice, {tasks:N0} tasks, {otherFired} timers not due fired"),
        ];
    }

    private static long Rss(int processId)
    {
        using var process = Process.GetProcessById(processId);
        return process.WorkingSet64;
    }

    /// <summary>Copies of the template with new ids: <paramref name="due"/> of them at the placeholder instant, the rest later.</summary>
    private static async Task LoadAsync(CpfDatabase database, string template, int pending, int due, DateTimeOffset placeholder)
    {
        var random = new Random(11);
        var now = TimeProvider.System.GetUtcNow();
        var instances = new List<object?[]>(pending);
        var timers = new List<object?[]>(pending);
        for (var i = 0; i < pending; i++)
        {
            var state = InstanceState.FromJson(template);
            state.Id = Guid.NewGuid();
            var tokens = state.Tokens.ToDictionary(t => t.Id, _ => Guid.NewGuid());
            var dueAt = i < due ? placeholder : placeholder.AddDays(1 + random.Next(3650));
            Guid? timerId = null;
            foreach (var token in state.Tokens)
            {
                token.Id = tokens[token.Id];
                if (token.ScopeTokenId is { } scope)
                    token.ScopeTokenId = tokens[scope];
                foreach (var wait in token.Waits)
                {
                    wait.Id = Guid.NewGuid();
                    wait.DueAt = dueAt;
                    timerId = wait.Id;
                }
            }
            instances.Add([state.Id, Key, state.Version, null, state.Organisation, "running", state.ToJson(), now, now]);
            timers.Add([timerId ?? throw new InvalidOperationException("the template waits at no timer"), state.Id, null, state.Version, "wait", dueAt,
                "pending", 0, now]);
        }
        await TableWriter.WriteAsync(database, "workflow_instances",
            ["id", "definition_key", "version", "business_key", "organisation", "status", "state", "started_at", "updated_at"], instances);
        await TableWriter.WriteAsync(database, "workflow_timers",
            ["id", "instance_id", "definition_key", "definition_version", "element_id", "due_at", "status", "fired_count", "created_at"], timers);
    }
}
