using CleanProdFlow.Data.Database;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.TestSupport;
using CleanProdFlow.Web.Scheduling;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CleanProdFlow.Web.Tests.Workflows;

/// <summary>
/// The timer pump on the System clock (issue 11): timers fire from the table without the sweep (it is set to run
/// once a year here), each exactly once, also hundreds at one instant and when written by another node; a cancelled
/// timer never fires, a stale early wake-up fires nothing early, and a failing handler does not stop the pump. Real
/// time is unavoidable here: each test waits a few seconds at most and asserts nothing about speed.
/// </summary>
public sealed class TimerPumpTests
{
    private static readonly Dictionary<string, string?> NoSweep = new() { ["Workflows:SweepCron"] = "0 0 1 1 *" };

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private static Task<CpfWebFactory> HostAsync(DatabaseProvider provider) =>
        CpfWebFactory.StartAsync(provider, services => services.AddSingleton<IServiceTaskHandler, FlakyHandler>(), NoSweep);

    private static async Task<Guid> TimerOfAsync(CpfWebFactory host, Guid instanceId) =>
        (await host.Service<IWorkflowStore>().JournalAsync(instanceId)).Single(j => j.Kind == "timer.armed") is { } armed
            ? System.Text.Json.JsonDocument.Parse(armed.Data!).RootElement.GetProperty("timerId").GetGuid()
            : Guid.Empty;

    private static async Task<int> ExecuteAsync(CpfWebFactory host, string sql, object parameters)
    {
        await using var connection = await host.Database.Database.OpenAsync();
        return await connection.ExecuteAsync(sql, parameters);
    }

    private static async Task<TimerRecord> FiredAsync(CpfWebFactory host, Guid timerId)
    {
        var store = host.Service<IWorkflowStore>();
        await Eventually.UntilAsync<bool>(async () =>
            (await store.FindTimerAsync(timerId))?.Status == TimerStatus.Fired ? true : null, $"timer {timerId} firing", Patience);
        return (await store.FindTimerAsync(timerId))!;
    }

    private static Task<Guid> StartAsync(CpfWebFactory host, string key) =>
        host.Service<WorkflowRuntime>().StartAsync(key, null, [], "suzhou", "review.suzhou").ContinueWith(t => t.Result.Id);

    private static async Task DeployAsync(CpfWebFactory host, string xml) =>
        await (await host.SignedInAsync("admin.province")).DeployAsync(xml);

    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_timer_due_in_two_seconds_fires_from_the_pump_without_the_sweep(DatabaseProvider provider)
    {
        await using var host = await HostAsync(provider);
        var key = TestDefinitions.NewKey("pump");
        await DeployAsync(host, TestDefinitions.TimerThenTask(key, "PT2S"));
        var instanceId = await StartAsync(host, key);
        var timerId = await TimerOfAsync(host, instanceId);

        var timer = await FiredAsync(host, timerId);

        Assert.Equal(1, timer.FiredCount);
        var store = host.Service<IWorkflowStore>();
        Assert.Equal(["after-wait"], (await store.FindInstanceAsync(instanceId))!.State.ActiveElementIds);
        Assert.Single(await store.JournalAsync(instanceId), j => j.Kind == "timer.fired");
        var fired = (await store.JournalAsync(instanceId)).Single(j => j.Kind == "timer.fired").At;
        Assert.True(fired >= timer.DueAt, $"fired at {fired:O}, before its due time {timer.DueAt:O}");
    }

    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Three_hundred_timers_due_at_one_instant_each_fire_exactly_once(DatabaseProvider provider)
    {
        await using var host = await HostAsync(provider);
        var key = TestDefinitions.NewKey("many");
        await DeployAsync(host, TestDefinitions.TimerThenTask(key, "P3D"));
        var instances = new List<Guid>();
        for (var i = 0; i < 300; i++)
            instances.Add(await StartAsync(host, key));
        // All due at one instant shortly ahead, and told to the pump as a command would after commit.
        var due = Instants.ForStorage(host.Service<TimeProvider>().GetUtcNow().AddSeconds(1));
        Assert.Equal(300, await ExecuteAsync(host, "UPDATE workflow_timers SET due_at = @due WHERE definition_key = @key AND status = 'pending'",
            new { due, key }));
        host.Service<TimerAlarm>().Schedule(Guid.NewGuid(), due);

        await Eventually.UntilAsync<bool>(async () =>
        {
            await using var connection = await host.Database.Database.OpenAsync();
            return await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM workflow_timers WHERE definition_key = @key AND status = 'fired'",
                new { key }) == 300 ? true : null;
        }, "300 timers firing", Patience);

        await using var connection = await host.Database.Database.OpenAsync();
        Assert.Equal([1], await connection.QueryAsync<int>("SELECT DISTINCT fired_count FROM workflow_timers WHERE definition_key = @key", new { key }));
        var tasks = await host.Service<IWorkflowStore>().ListTasksAsync(new TaskQuery
        {
            DefinitionKey = key, Status = Engine.Runtime.TaskStatus.Open, Limit = 1000,
        });
        Assert.Equal(300, tasks.Count);
        Assert.Equal(instances.Order(), tasks.Select(t => t.InstanceId).Order()); // one task for each instance
        Assert.All(tasks, t => Assert.Equal("after-wait", t.ElementId));
        Assert.Equal(300, await connection.ExecuteScalarAsync<int>(
            "SELECT COUNT(*) FROM workflow_journal j JOIN workflow_instances i ON i.id = j.instance_id " +
            "WHERE i.definition_key = @key AND j.kind = 'timer.fired'", new { key }));
    }

    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_timer_written_into_the_table_by_another_node_is_found_by_the_poll(DatabaseProvider provider)
    {
        await using var host = await HostAsync(provider);
        var key = TestDefinitions.NewKey("other");
        await DeployAsync(host, TestDefinitions.TimerThenTask(key, "P3D"));
        var instanceId = await StartAsync(host, key);
        var timerId = await TimerOfAsync(host, instanceId);

        // Nothing tells this node's pump: only the table changes.
        var due = Instants.ForStorage(host.Service<TimeProvider>().GetUtcNow().AddSeconds(1.5));
        Assert.Equal(1, await ExecuteAsync(host, "UPDATE workflow_timers SET due_at = @due WHERE id = @timerId", new { due, timerId }));

        Assert.Equal(1, (await FiredAsync(host, timerId)).FiredCount);
        Assert.Equal(["after-wait"], (await host.Service<IWorkflowStore>().FindInstanceAsync(instanceId))!.State.ActiveElementIds);
    }

    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_cancelled_timer_never_fires_and_a_stale_early_wake_up_fires_nothing_early(DatabaseProvider provider)
    {
        await using var host = await HostAsync(provider);
        var key = TestDefinitions.NewKey("cancel");
        await DeployAsync(host, TestDefinitions.TimerThenTask(key, "PT2S"));
        var cancelled = await StartAsync(host, key);
        var cancelledTimer = await TimerOfAsync(host, cancelled);
        var moved = await StartAsync(host, key);
        var movedTimer = await TimerOfAsync(host, moved);

        // One instance is cancelled before its timer is due; the other's timer is moved a minute later (its early
        // instant was already told to the pump, and is told again).
        await host.Service<WorkflowRuntime>().CancelInstanceAsync(cancelled, "admin.province", "测试取消");
        var later = Instants.ForStorage(host.Service<TimeProvider>().GetUtcNow().AddMinutes(1));
        Assert.Equal(1, await ExecuteAsync(host, "UPDATE workflow_timers SET due_at = @later WHERE id = @movedTimer", new { later, movedTimer }));
        var pump = host.Service<TimerPump>();
        var rounds = pump.Rounds;
        host.Service<TimerAlarm>().Schedule(movedTimer, host.Service<TimeProvider>().GetUtcNow().AddSeconds(-1));

        // Past the original due time by a few of the pump's rounds.
        await Eventually.UntilAsync<bool>(() => Task.FromResult<bool?>(pump.Rounds > rounds ? true : null), "the pump waking up", Patience);
        var store = host.Service<IWorkflowStore>();
        var originalDue = (await store.JournalAsync(cancelled)).Single(j => j.Kind == "timer.armed").At.AddSeconds(2);
        await Eventually.UntilAsync<bool>(() => Task.FromResult<bool?>(
            host.Service<TimeProvider>().GetUtcNow() > originalDue.AddSeconds(2) && pump.Rounds > rounds + 2 ? true : null),
            "three rounds of the pump after the original due time", Patience);

        var gone = (await store.FindTimerAsync(cancelledTimer))!;
        Assert.Equal(TimerStatus.Cancelled, gone.Status);
        Assert.Equal(0, gone.FiredCount);
        Assert.DoesNotContain(await store.JournalAsync(cancelled), j => j.Kind == "timer.fired");
        var waiting = (await store.FindTimerAsync(movedTimer))!;
        Assert.Equal(TimerStatus.Pending, waiting.Status);
        Assert.Equal(0, waiting.FiredCount);
        Assert.Equal(["wait"], (await store.FindInstanceAsync(moved))!.State.ActiveElementIds);
    }

    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_pump_goes_on_after_a_handler_failure_and_fires_the_next_timer(DatabaseProvider provider)
    {
        await using var host = await HostAsync(provider);
        var failing = TestDefinitions.NewKey("fail");
        var plain = TestDefinitions.NewKey("next");
        await DeployAsync(host, TestDefinitions.FlakyService(failing, waitFirst: "PT1S"));
        await DeployAsync(host, TestDefinitions.TimerThenTask(plain, "PT3S"));
        var first = await StartAsync(host, failing);
        var firstTimer = await TimerOfAsync(host, first);
        var next = await StartAsync(host, plain);
        var nextTimer = await TimerOfAsync(host, next);

        Assert.Equal(1, (await FiredAsync(host, firstTimer)).FiredCount);
        Assert.Equal(1, (await FiredAsync(host, nextTimer)).FiredCount);

        var store = host.Service<IWorkflowStore>();
        var incident = Assert.Single(await store.OpenIncidentsAsync(first)); // the handler's first call fails
        Assert.Equal("call", incident.ElementId);
        Assert.Equal(["after-wait"], (await store.FindInstanceAsync(next))!.State.ActiveElementIds);
    }
}
