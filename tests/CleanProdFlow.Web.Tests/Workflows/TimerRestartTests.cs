using System.Net;
using CleanProdFlow.Data.Database;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.TestSupport;
using CleanProdFlow.Web.Scheduling;
using CleanProdFlow.Web.VirtualTime;

namespace CleanProdFlow.Web.Tests.Workflows;

/// <summary>
/// Timers survive a restart: host A arms them and stops; while no node runs they fall due; host B on the same
/// database fires each exactly once at start-up, and neither a later sweep nor a duplicate job fires them again.
/// </summary>
public sealed class TimerRestartTests
{
    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Timers_that_fell_due_while_down_fire_exactly_once_after_the_restart(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var key = TestDefinitions.NewKey("restart");
        var instances = new List<Guid>();
        await using (var hostA = CpfWebFactory.StartOn(database, WorkflowApi.VirtualClock("2026-10-12T09:00:00+08:00")))
        {
            await (await hostA.SignedInAsync("admin.province")).DeployAsync(TestDefinitions.TimerThenTask(key));
            var reviewer = await hostA.SignedInAsync("review.suzhou");
            for (var i = 0; i < 3; i++)
                instances.Add(await reviewer.StartAsync(key, $"R-{i}"));
            // A sweep on host A fires nothing: the timers are 3 days away.
            Assert.Equal(0, (await hostA.Service<TimerJobs>().SweepAsync(CancellationToken.None)).Fired);
        }

        // Four days later (virtual time), another start on the same database.
        await using var hostB = CpfWebFactory.StartOn(database, WorkflowApi.VirtualClock("2026-10-16T09:00:00+08:00"));
        var client = await hostB.SignedInAsync("review.suzhou");
        var firedTimers = new List<Guid>();
        foreach (var id in instances)
        {
            var journal = await client.JournalAsync(id);
            var fired = Assert.Single(journal, j => j.GetProperty("kind").GetString() == "timer.fired");
            firedTimers.Add(fired.GetProperty("data").GetProperty("timerId").GetGuid());
            Assert.Equal(["after-wait"], (await client.InstanceAsync(id)).GetProperty("activeElementIds").EnumerateArray().Select(e => e.GetString()));
        }

        // A second sweep fires nothing; a duplicate delivery of a fired timer does nothing.
        Assert.Equal(0, (await hostB.Service<TimerJobs>().SweepAsync(CancellationToken.None)).Fired);
        Assert.False(await hostB.Service<WorkflowRuntime>().FireTimerAsync(firedTimers[0]));
        foreach (var id in instances)
            Assert.Single(await client.JournalAsync(id), j => j.GetProperty("kind").GetString() == "timer.fired");

        // The shipped definitions were deployed once, not again at the restart.
        var admin = await hostB.SignedInAsync("admin.province");
        var shipped = await admin.GetAsync("/api/v1/definitions/reception-day/versions");
        Assert.Equal(HttpStatusCode.OK, shipped.StatusCode);
        var version = Assert.Single((await shipped.JsonAsync()).EnumerateArray());
        Assert.Equal("published", version.GetProperty("status").GetString());
        Assert.Equal("workflows/reception-day.bpmn", version.GetProperty("createdBy").GetString());
    }

    [Fact]
    public async Task A_timer_fires_once_however_often_it_is_delivered()
    {
        await using var host = await CpfWebFactory.StartAsync(settings: WorkflowApi.VirtualClock());
        var key = TestDefinitions.NewKey("dup");
        var admin = await host.SignedInAsync("admin.province");
        await admin.DeployAsync(TestDefinitions.TimerThenTask(key));
        var reviewer = await host.SignedInAsync("review.suzhou");
        var instanceId = await reviewer.StartAsync(key);
        var timerId = (await reviewer.JournalAsync(instanceId)).Single(j => j.GetProperty("kind").GetString() == "timer.armed")
            .GetProperty("data").GetProperty("timerId").GetGuid();
        var runtime = host.Service<WorkflowRuntime>();

        var early = await runtime.FireTimerAsync(timerId); // not yet due: it waits
        // The clock moves without firing anything; then four deliveries race.
        Assert.True(host.Service<VirtualTimeProvider>().MoveTo(host.Service<TimeProvider>().GetUtcNow().AddDays(4)));
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => runtime.FireTimerAsync(timerId)));
        var later = await runtime.FireTimerAsync(timerId);

        Assert.False(early);
        Assert.Equal(1, results.Count(fired => fired));
        Assert.False(later);
        reviewer = await host.SignedInAsync("review.suzhou");
        Assert.Single(await reviewer.JournalAsync(instanceId), j => j.GetProperty("kind").GetString() == "timer.fired");
    }
}
