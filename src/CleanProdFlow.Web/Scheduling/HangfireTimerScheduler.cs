using System.Collections.Concurrent;
using CleanProdFlow.Data.Database;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.Web.VirtualTime;
using CleanProdFlow.Web.Workflows;
using Hangfire;

namespace CleanProdFlow.Web.Scheduling;

/// <summary>
/// Hands workflow timers to Hangfire (DESIGN §3 "Timers at scale"). The workflow_timers table is the truth; only a
/// timer due within the horizon (<c>Workflows:TimerHorizonSeconds</c>) becomes a Hangfire job, which carries nothing
/// but the timer's id. Later timers are armed by the recurring sweep when they come within the horizon. With the
/// virtual clock nothing is scheduled (virtual time is not wall time): timers fire when the clock is moved and in
/// the sweep.
/// </summary>
public sealed class HangfireTimerScheduler(
    IBackgroundJobClient jobs, TimeProvider time, WorkflowSettings settings, ClockSettings clock, ILogger<HangfireTimerScheduler> logger)
    : ITimerScheduler
{
    /// <summary>Timers this node has made a job for, with the due time, so a sweep does not add a second job for it.</summary>
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _scheduled = new();

    public void Schedule(Guid timerId, DateTimeOffset dueAt)
    {
        if (clock.IsVirtual)
            return;
        // At the stored precision: a command hands over the engine's instant, the sweep the row's (whole microseconds);
        // compared unrounded they differ and the sweep would add a second job for the same timer.
        dueAt = Instants.ForStorage(dueAt);
        var now = time.GetUtcNow();
        if (dueAt > now + settings.TimerHorizon)
            return; // the sweep arms it once it is within the horizon
        if (_scheduled.TryGetValue(timerId, out var scheduled) && scheduled == dueAt)
            return;
        try
        {
            if (dueAt <= now)
                jobs.Enqueue<TimerJobs>(job => job.FireAsync(timerId, CancellationToken.None));
            else
                jobs.Schedule<TimerJobs>(job => job.FireAsync(timerId, CancellationToken.None), dueAt);
            _scheduled[timerId] = dueAt;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Called after the command committed: the timer is safe in our table and the sweep fires it. The
            // command must not fail for it.
            logger.LogWarning(e, "Could not hand timer {TimerId} due {DueAt} to Hangfire; the sweep will fire it", timerId, dueAt);
        }
    }

    /// <summary>The job for the timer is running: a later request (an early delivery waiting again) makes a new one.</summary>
    public void Forget(Guid timerId) => _scheduled.TryRemove(timerId, out _);

    /// <summary>Drops what this node remembers about timers long past due (their jobs ran or the sweep fired them).</summary>
    public void Prune(DateTimeOffset now)
    {
        foreach (var (id, due) in _scheduled)
            if (due < now - TimeSpan.FromMinutes(10))
                _scheduled.TryRemove(id, out _);
    }

    /// <summary>How many timers this node has a Hangfire job for (tests and diagnostics).</summary>
    public int ScheduledCount => _scheduled.Count;
}
