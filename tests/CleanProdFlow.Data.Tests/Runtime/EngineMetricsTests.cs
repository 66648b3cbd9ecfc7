using System.Diagnostics.Metrics;
using CleanProdFlow.Data.Database;
using CleanProdFlow.Data.Workflows;
using CleanProdFlow.Engine.Model;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using TaskStatus = CleanProdFlow.Engine.Runtime.TaskStatus;

namespace CleanProdFlow.Data.Tests.Runtime;

/// <summary>The meter is process-wide: these tests run alone, so every measurement they see is their own command's.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EngineMeterCollection
{
    public const string Name = "engine meter";
}

/// <summary>
/// Each command reports the phases of its transaction to <see cref="EngineMetrics"/>, once each, with the phase as a
/// tag; each fired timer its lag from due instant to commit.
/// </summary>
[Collection(EngineMeterCollection.Name)]
public sealed class EngineMetricsTests
{
    [Fact]
    public async Task A_start_and_a_completion_report_each_phase_of_their_transaction_once()
    {
        await using var database = TestDatabase.CreateSqlite();
        await new DatabaseMigrator(database.Database, NullLogger<DatabaseMigrator>.Instance).MigrateAsync();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 10, 12, 9, 0, 0, TimeSpan.FromHours(8)));
        var store = new WorkflowStore(database.Database);
        var runtime = new WorkflowRuntime(store, new NoTimers(), new NoStatutoryTime(), [], time, NullLogger<WorkflowRuntime>.Instance);
        var deployed = await runtime.DeployAsync(Bpmn.OneTask("metered", "review"), "admin.province");
        await runtime.PublishAsync("metered", deployed.Version!.Version, "admin.province");

        var phases = new List<(string Phase, double Milliseconds)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == EngineMetrics.MeterName && instrument.Name == EngineMetrics.PhaseDuration)
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
                if (tag.Key == "phase")
                    lock (phases)
                        phases.Add(((string)tag.Value!, value));
        });
        listener.Start();

        var started = await runtime.StartAsync("metered", "case-1", [], "suzhou", "acceptance.suzhou");
        Assert.Equal([EngineMetrics.Begin, EngineMetrics.Interpret, EngineMetrics.Write, EngineMetrics.Observe, EngineMetrics.Commit],
            phases.Select(p => p.Phase));
        Assert.All(phases, p => Assert.True(p.Milliseconds >= 0));

        phases.Clear();
        var task = (await store.ListTasksAsync(new TaskQuery { InstanceId = started.Id, Status = TaskStatus.Open })).Single();
        await runtime.CompleteTaskAsync(task.Id, new TaskActor("review.suzhou", "suzhou", ["review"]), null, [], null, _ => new IdempotentReply(200, ""));
        Assert.Equal([EngineMetrics.Begin, EngineMetrics.Load, EngineMetrics.Interpret, EngineMetrics.Write, EngineMetrics.Observe, EngineMetrics.Commit],
            phases.Select(p => p.Phase));

        // Nobody listening: nothing is measured (no clock reads on the hot path).
        listener.Dispose();
        phases.Clear();
        await runtime.StartAsync("metered", "case-2", [], "suzhou", "acceptance.suzhou");
        Assert.Empty(phases);
    }

    [Fact]
    public async Task A_fired_timer_reports_the_time_from_its_due_instant_to_the_commit_of_its_firing()
    {
        await using var database = TestDatabase.CreateSqlite();
        await new DatabaseMigrator(database.Database, NullLogger<DatabaseMigrator>.Instance).MigrateAsync();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 10, 12, 9, 0, 0, TimeSpan.FromHours(8)));
        var runtime = new WorkflowRuntime(new WorkflowStore(database.Database), new NoTimers(), new NoStatutoryTime(), [], time,
            NullLogger<WorkflowRuntime>.Instance);
        var deployed = await runtime.DeployAsync(Bpmn.ReviewWithTimer("lagging", "P1D"), "admin.province");
        await runtime.PublishAsync("lagging", deployed.Version!.Version, "admin.province");
        await runtime.StartAsync("lagging", "case-1", [], "suzhou", "acceptance.suzhou");
        await runtime.StartAsync("lagging", "case-2", [], "suzhou", "acceptance.suzhou");

        var lags = new List<double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == EngineMetrics.MeterName && instrument.Name == EngineMetrics.TimerLagName)
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<double>((_, value, _, _) =>
        {
            lock (lags)
                lags.Add(value);
        });
        listener.Start();

        // Both fall due after a day; the pump (here the sweep's call) fires them five minutes late, on the fake clock.
        time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(5));
        Assert.Equal(2, await runtime.FireDueTimersAsync());
        Assert.Equal([300_000.0, 300_000.0], lags);
        Assert.Equal(0, await runtime.FireDueTimersAsync());
        Assert.Equal(2, lags.Count); // nothing fired, nothing measured
    }

    private sealed class NoTimers : ITimerScheduler
    {
        public void Schedule(Guid timerId, DateTimeOffset dueAt)
        {
        }
    }
}
