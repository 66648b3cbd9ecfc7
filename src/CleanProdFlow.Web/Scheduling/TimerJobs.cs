using CleanProdFlow.Engine.Runtime;
using Hangfire;

namespace CleanProdFlow.Web.Scheduling;

/// <summary>What one sweep did: timers fired because they were overdue.</summary>
public sealed record SweepOutcome(int Fired);

/// <summary>
/// The recurring sweep of workflow timers (a Hangfire recurring job): fires whatever is overdue. With the System clock
/// the <see cref="TimerPump"/> fires timers on time and the sweep finds nothing; it is the safety net, and with the
/// virtual clock (no pump) it fires what moving the clock did not.
/// </summary>
public sealed class TimerJobs(WorkflowRuntime runtime, ILogger<TimerJobs> logger)
{
    public const string SweepJobId = "workflow-timers-sweep";

    /// <summary>Rounds of firing one call may take (each fires everything due); a guard against a runaway cycle.</summary>
    public const int MaxRounds = 10_000;

    /// <summary>The recurring sweep; overlapping runs are harmless (each timer fires once) and a failed run is simply the next minute's.</summary>
    [AutomaticRetry(Attempts = 0)]
    public async Task<SweepOutcome> SweepAsync(CancellationToken cancellationToken)
    {
        var fired = await FireAllDueAsync(runtime, logger, cancellationToken);
        if (fired > 0)
            logger.LogInformation("Timer sweep fired {Fired} overdue timers", fired);
        return new SweepOutcome(fired);
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
