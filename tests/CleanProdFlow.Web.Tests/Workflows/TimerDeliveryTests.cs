using CleanProdFlow.Data.Database;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.TestSupport;
using CleanProdFlow.Web.Scheduling;
using CleanProdFlow.Web.VirtualTime;
using Hangfire;

namespace CleanProdFlow.Web.Tests.Workflows;

/// <summary>
/// Deliveries of timer jobs that come late or not at all (issue 12 item 3): a job delivered after its timer was
/// cancelled does nothing; a timer whose Hangfire job was lost fires from the recurring sweep within its interval,
/// once. On SQLite (Hangfire in memory) and PostgreSQL (Hangfire.PostgreSql).
/// </summary>
public sealed class TimerDeliveryTests
{
    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_job_delivered_after_its_timer_was_cancelled_does_nothing(DatabaseProvider provider)
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

        // Then its job arrives, after the due time (the clock moved without firing anything), twice.
        Assert.True(host.Service<VirtualTimeProvider>().MoveTo(host.Service<TimeProvider>().GetUtcNow().AddDays(4)));
        var jobs = host.Service<TimerJobs>();
        await jobs.FireAsync(timerId, CancellationToken.None);
        await jobs.FireAsync(timerId, CancellationToken.None);

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
    public async Task A_timer_whose_job_was_lost_fires_once_from_the_sweep_within_its_interval(DatabaseProvider provider)
    {
        // The real clock (Hangfire jobs exist only with it) and a sweep every two seconds instead of every minute.
        await using var host = await CpfWebFactory.StartAsync(provider, settings: new Dictionary<string, string?>
        {
            ["Workflows:SweepCron"] = "*/2 * * * * *",
        });
        var key = TestDefinitions.NewKey("lost");
        await (await host.SignedInAsync("admin.province")).DeployAsync(TestDefinitions.TimerThenTask(key, "PT5S"));
        var reviewer = await host.SignedInAsync("review.suzhou");
        var instanceId = await reviewer.StartAsync(key);
        var timerId = (await reviewer.JournalAsync(instanceId)).Single(j => j.GetProperty("kind").GetString() == "timer.armed")
            .GetProperty("data").GetProperty("timerId").GetGuid();

        // Its job is in Hangfire's storage (scheduled at the due time); it is lost: deleted before it runs.
        var storage = host.Service<JobStorage>();
        var job = Assert.Single(ScheduledJobsOf(storage, timerId));
        Assert.True(host.Service<IBackgroundJobClient>().Delete(job));
        Assert.Empty(ScheduledJobsOf(storage, timerId));

        // The sweep fires it once it is due (5 s), within one sweep interval after.
        var store = host.Service<IWorkflowStore>();
        var fired = await Eventually.UntilAsync<DateTimeOffset>(async () =>
            (await store.FindTimerAsync(timerId))!.Status == TimerStatus.Fired
                ? (await reviewer.JournalAsync(instanceId)).Single(j => j.GetProperty("kind").GetString() == "timer.fired").GetProperty("at").GetDateTimeOffset()
                : null, "the sweep firing the timer whose job was lost");
        var timer = (await store.FindTimerAsync(timerId))!;
        Assert.Equal(1, timer.FiredCount);
        // Within one sweep interval (2 s) of its due time, plus Hangfire's polling (1 s for the recurring job, 1 s for the queue) and load.
        Assert.InRange(fired - timer.DueAt, TimeSpan.Zero, TimeSpan.FromSeconds(2 + 1 + 1 + 2));
        Assert.Equal(["after-wait"], (await store.FindInstanceAsync(instanceId))!.State.ActiveElementIds);
        var history = host.Service<JobStorage>().GetMonitoringApi().JobDetails(job).History.Select(h => h.StateName).ToList();
        Assert.Contains("Deleted", history);
        Assert.DoesNotContain("Succeeded", history);

        // Later sweeps and a late copy of the job change nothing.
        await host.Service<TimerJobs>().SweepAsync(CancellationToken.None);
        await host.Service<TimerJobs>().FireAsync(timerId, CancellationToken.None);
        Assert.Single(await reviewer.JournalAsync(instanceId), j => j.GetProperty("kind").GetString() == "timer.fired");
        Assert.Equal(1, (await store.FindTimerAsync(timerId))!.FiredCount);
    }

    private static List<string> ScheduledJobsOf(JobStorage storage, Guid timerId) =>
        storage.GetMonitoringApi().ScheduledJobs(0, 1000)
            .Where(j => j.Value.Job?.Method.Name == nameof(TimerJobs.FireAsync) && j.Value.Job.Args[0] is Guid id && id == timerId)
            .Select(j => j.Key).ToList();
}
