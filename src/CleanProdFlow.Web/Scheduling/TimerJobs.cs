using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.Web.VirtualTime;
using CleanProdFlow.Web.Workflows;
using Hangfire;

namespace CleanProdFlow.Web.Scheduling;

/// <summary>What one sweep did: timers fired because they were due, timers handed to Hangfire for the next horizon.</summary>
public sealed record SweepOutcome(int Fired, int Armed);

/// <summary>
/// The Hangfire jobs of workflow timers. A fire job carries only the timer's id and is safe to run twice: the
/// runtime's conditional update lets one delivery win and a fired or cancelled timer does nothing. The recurring
/// sweep fires whatever is overdue (a lost job, a restart, the virtual clock) and arms the next horizon.
/// </summary>
public sealed class TimerJobs(
    WorkflowRuntime runtime, HangfireTimerScheduler scheduler, WorkflowSettings settings, ClockSettings clock, TimeProvider time,
    ILogger<TimerJobs> logger)
{
    public const string SweepJobId = "workflow-timers-sweep";

    /// <summary>Rounds of firing one call may take (each fires everything due); a guard against a runaway cycle.</summary>
    public const int MaxRounds = 10_000;

    [AutomaticRetry(Attempts = 5)]
    public async Task FireAsync(Guid timerId, CancellationToken cancellationToken)
    {
        scheduler.Forget(timerId);
        await runtime.FireTimerAsync(timerId, cancellationToken);
    }

    /// <summary>The recurring sweep; overlapping runs are harmless (each timer fires once) and a failed run is simply the next minute's.</summary>
    [AutomaticRetry(Attempts = 0)]
    public async Task<SweepOutcome> SweepAsync(CancellationToken cancellationToken)
    {
        var fired = await FireAllDueAsync(runtime, logger, cancellationToken);
        var armed = 0;
        if (!clock.IsVirtual)
        {
            var now = time.GetUtcNow();
            armed = await runtime.ArmTimersDueBeforeAsync(now + settings.TimerHorizon, cancellationToken);
            scheduler.Prune(now);
        }
        if (fired > 0)
            logger.LogInformation("Timer sweep fired {Fired} overdue timers and armed {Armed}", fired, armed);
        return new SweepOutcome(fired, armed);
    }

    /// <summary>Fires every timer due by now, again and again while firing arms timers already due (chains, cycles).</summary>
    public static async Task<int> FireAllDueAsync(WorkflowRuntime runtime, ILogger logger, CancellationToken cancellationToken)
    {
        var fired = 0;
        for (var round = 0; round < MaxRounds; round++)
        {
            var count = await runtime.FireDueTimersAsync(cancellationToken);
            fired += count;
            if (count == 0)
                return fired;
        }
        logger.LogWarning("Stopped firing due timers after {Rounds} rounds ({Fired} fired); a timer cycle may be shorter than the time it covers",
            MaxRounds, fired);
        return fired;
    }
}
