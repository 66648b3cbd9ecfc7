using CleanProdFlow.Web.Scheduling;
using CleanProdFlow.Web.VirtualTime;
using CleanProdFlow.Web.Workflows;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CleanProdFlow.Web.Tests.Workflows;

/// <summary>Only timers due within the horizon become Hangfire jobs, each once per node, carrying only the timer id.</summary>
public sealed class HangfireTimerSchedulerTests
{
    private sealed class RecordingJobClient : IBackgroundJobClient
    {
        public List<(Job Job, IState State)> Created { get; } = [];

        public bool Fails { get; set; }

        public string Create(Job job, IState state)
        {
            if (Fails)
                throw new InvalidOperationException("storage unavailable");
            Created.Add((job, state));
            return Created.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        public bool ChangeState(string jobId, IState state, string expectedState) => true;
    }

    private static readonly DateTimeOffset Now = new(2026, 10, 12, 9, 0, 0, TimeSpan.FromHours(8));

    private static (HangfireTimerScheduler Scheduler, RecordingJobClient Jobs) Create(ClockMode mode = ClockMode.System)
    {
        var jobs = new RecordingJobClient();
        var scheduler = new HangfireTimerScheduler(jobs, new FakeTimeProvider(Now), new WorkflowSettings(TimeSpan.FromMinutes(5), "* * * * *"),
            new ClockSettings(mode, null), NullLogger<HangfireTimerScheduler>.Instance);
        return (scheduler, jobs);
    }

    [Fact]
    public void A_timer_due_within_the_horizon_is_scheduled_at_its_due_time_with_only_its_id()
    {
        var (scheduler, jobs) = Create();
        var id = Guid.NewGuid();

        scheduler.Schedule(id, Now.AddMinutes(4));

        var (job, state) = Assert.Single(jobs.Created);
        Assert.Equal(typeof(TimerJobs), job.Type);
        Assert.Equal(nameof(TimerJobs.FireAsync), job.Method.Name);
        Assert.Equal(id, job.Args[0]);
        Assert.Equal(Now.AddMinutes(4).UtcDateTime, Assert.IsType<ScheduledState>(state).EnqueueAt);
    }

    [Fact]
    public void An_overdue_timer_is_enqueued_at_once()
    {
        var (scheduler, jobs) = Create();

        scheduler.Schedule(Guid.NewGuid(), Now.AddMinutes(-30));

        Assert.IsType<EnqueuedState>(Assert.Single(jobs.Created).State);
    }

    [Fact]
    public void A_timer_beyond_the_horizon_is_left_to_the_sweep()
    {
        var (scheduler, jobs) = Create();

        scheduler.Schedule(Guid.NewGuid(), Now.AddMinutes(6));
        scheduler.Schedule(Guid.NewGuid(), Now.AddDays(3));

        Assert.Empty(jobs.Created);
    }

    [Fact]
    public void The_sweep_handing_over_the_stored_instant_adds_no_job_to_the_commands_finer_one()
    {
        var (scheduler, jobs) = Create();
        var id = Guid.NewGuid();
        var fromTheCommand = Now.AddMinutes(2).AddTicks(1_234_567); // the engine's instant: 100 ns ticks
        var fromTheRow = new DateTimeOffset(fromTheCommand.UtcTicks - fromTheCommand.UtcTicks % 10, TimeSpan.Zero); // stored: whole microseconds

        scheduler.Schedule(id, fromTheCommand);
        scheduler.Schedule(id, fromTheRow);

        Assert.Single(jobs.Created);
    }

    [Fact]
    public void A_timer_handed_over_again_by_the_sweep_gets_no_second_job_until_its_job_ran()
    {
        var (scheduler, jobs) = Create();
        var id = Guid.NewGuid();

        scheduler.Schedule(id, Now.AddMinutes(2));
        scheduler.Schedule(id, Now.AddMinutes(2));
        Assert.Single(jobs.Created);

        scheduler.Forget(id); // its job ran early and asks to wait again
        scheduler.Schedule(id, Now.AddMinutes(2));
        Assert.Equal(2, jobs.Created.Count);
    }

    [Fact]
    public void With_the_virtual_clock_nothing_is_scheduled_in_wall_time()
    {
        var (scheduler, jobs) = Create(ClockMode.Virtual);

        scheduler.Schedule(Guid.NewGuid(), Now.AddMinutes(1));
        scheduler.Schedule(Guid.NewGuid(), Now.AddMinutes(-1));

        Assert.Empty(jobs.Created);
    }

    [Fact]
    public void A_storage_failure_does_not_fail_the_committed_command()
    {
        var (scheduler, jobs) = Create();
        jobs.Fails = true;
        var id = Guid.NewGuid();

        scheduler.Schedule(id, Now.AddMinutes(1));

        Assert.Equal(0, scheduler.ScheduledCount);
        jobs.Fails = false;
        scheduler.Schedule(id, Now.AddMinutes(1)); // the sweep's next hand-over succeeds
        Assert.Single(jobs.Created);
    }
}
