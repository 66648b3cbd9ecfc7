using CleanProdFlow.Data.Database;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.TestSupport;
using CleanProdFlow.Web.Scheduling;
using CleanProdFlow.Web.VirtualTime;

namespace CleanProdFlow.Web.Tests.Workflows;

/// <summary>
/// Deliveries of timers that come late or not at all (issue 12 item 3): a delivery after its timer was cancelled does
/// nothing; a timer nobody fired on time fires from the recurring sweep, once. On SQLite and PostgreSQL.
/// </summary>
public sealed class TimerDeliveryTests
{
    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_delivery_after_its_timer_was_cancelled_does_nothing(DatabaseProvider provider)
    {
        await using var host = await CpfWebFactory.StartAsync(provider, settings: WorkflowApi.VirtualClock());
        var key = TestDefinitions.NewKey("late");
        await (await host.SignedInAsync("admin.province")).DeployAsync(TestDefinitions.ReviewWithTimerAndMessage(key));
        var reviewer = await host.SignedInAsync("review.suzhou");
        var instanceId = await reviewer.StartAsync(key);
        var timerId = (await reviewer.JournalAsync(instanceId)).Single(j => j.GetProperty("kind").GetString() == "timer.armed")
            .GetProperty("data").GetProperty("timerId").GetGuid();

        // The review is done first: its boundary timer is cancelled.
        var review = await reviewer.OpenTaskAsync(instanceId, "review");
        Assert.True((await reviewer.CompleteAsync(review, new { outcome = "approve", variables = new { opinion = "同意" } })).IsSuccessStatusCode);
        var store = host.Service<IWorkflowStore>();
        Assert.Equal(TimerStatus.Cancelled, (await store.FindTimerAsync(timerId))!.Status);
        var before = (await store.FindInstanceAsync(instanceId))!.RowVersion;

        // Then a delivery arrives, after the due time (the clock moved without firing anything), twice, and a batch.
        Assert.True(host.Service<VirtualTimeProvider>().MoveTo(host.Service<TimeProvider>().GetUtcNow().AddDays(4)));
        var runtime = host.Service<WorkflowRuntime>();
        Assert.False(await runtime.FireTimerAsync(timerId));
        Assert.False(await runtime.FireTimerAsync(timerId));
        await runtime.FireDueTimersAsync(); // (the shipped workflows' own timers may fire)

        var timer = (await store.FindTimerAsync(timerId))!;
        Assert.Equal(TimerStatus.Cancelled, timer.Status);
        Assert.Equal(0, timer.FiredCount);
        Assert.DoesNotContain(await store.JournalAsync(instanceId), j => j.Kind == "timer.fired");
        Assert.Empty(await store.ListTasksAsync(new TaskQuery { InstanceId = instanceId, Status = Engine.Runtime.TaskStatus.Open }));
        Assert.Equal(before, (await store.FindInstanceAsync(instanceId))!.RowVersion);
        Assert.Equal(["wait-docs"], (await store.FindInstanceAsync(instanceId))!.State.ActiveElementIds);
    }

    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_timer_nobody_fired_on_time_fires_once_from_the_sweep(DatabaseProvider provider)
    {
        await using var host = await CpfWebFactory.StartAsync(provider, settings: WorkflowApi.VirtualClock());
        var key = TestDefinitions.NewKey("lost");
        await (await host.SignedInAsync("admin.province")).DeployAsync(TestDefinitions.TimerThenTask(key, "P1D"));
        var reviewer = await host.SignedInAsync("review.suzhou");
        var instanceId = await reviewer.StartAsync(key);
        var timerId = (await reviewer.JournalAsync(instanceId)).Single(j => j.GetProperty("kind").GetString() == "timer.armed")
            .GetProperty("data").GetProperty("timerId").GetGuid();

        // The clock passes its due time without firing anything (as if every node had been down); the sweep fires it.
        Assert.True(host.Service<VirtualTimeProvider>().MoveTo(host.Service<TimeProvider>().GetUtcNow().AddDays(2)));
        var store = host.Service<IWorkflowStore>();
        Assert.Equal(TimerStatus.Pending, (await store.FindTimerAsync(timerId))!.Status);
        Assert.InRange((await host.Service<TimerJobs>().SweepAsync(CancellationToken.None)).Fired, 1, int.MaxValue); // and the shipped workflows' due timers

        var timer = (await store.FindTimerAsync(timerId))!;
        Assert.Equal(TimerStatus.Fired, timer.Status);
        Assert.Equal(1, timer.FiredCount);
        Assert.Equal(["after-wait"], (await store.FindInstanceAsync(instanceId))!.State.ActiveElementIds);

        // Later sweeps and a late delivery change nothing.
        await host.Service<TimerJobs>().SweepAsync(CancellationToken.None);
        Assert.False(await host.Service<WorkflowRuntime>().FireTimerAsync(timerId));
        Assert.Single(await store.JournalAsync(instanceId), j => j.Kind == "timer.fired");
        Assert.Equal(1, (await store.FindTimerAsync(timerId))!.FiredCount);
    }
}
