using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.Web.Hosting;
using CleanProdFlow.Web.VirtualTime;
using CleanProdFlow.Web.Workflows;

namespace CleanProdFlow.Web.Scheduling;

/// <summary>
/// Fires workflow timers straight from the workflow_timers table (DESIGN §3 "Timers at scale", issue 11), on the
/// System clock only. It sleeps until the earliest pending due instant — or at most the poll interval, so timers
/// another node or an operator wrote are found — and is woken earlier by <see cref="TimerAlarm"/> when a command
/// arms an earlier timer. When timers are due, a few workers each claim a batch and fire it in one transaction
/// (<see cref="WorkflowRuntime.FireDueTimerBatchAsync"/>) until none is left; rows another node's batch holds are
/// skipped, and the conditional update fires each timer once whoever asks. A failure is logged and the pump backs
/// off briefly and goes on. With the virtual clock it does nothing.
/// </summary>
public sealed class TimerPump(
    WorkflowRuntime runtime, IWorkflowStore store, TimerAlarm alarm, TimeProvider time, ClockSettings clock, WorkflowSettings settings,
    IHostApplicationLifetime lifetime, ILogger<TimerPump> logger) : BackgroundService
{
    /// <summary>How long the pump waits after a failure before it tries the same timers again.</summary>
    public static readonly TimeSpan BackOff = TimeSpan.FromSeconds(1);

    /// <summary>How long it waits when due timers are all held by another node's batches.</summary>
    private static readonly TimeSpan HeldElsewhere = TimeSpan.FromMilliseconds(50);

    /// <summary>Rounds of firing so far (tests and diagnostics).</summary>
    public long Rounds => Interlocked.Read(ref _rounds);

    private long _rounds;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (clock.IsVirtual)
            return;
        // After start-up (migrations, shipped workflows, the overdue timers fired before serving).
        if (!await HostStarted.WaitAsync(lifetime, stoppingToken))
            return;
        logger.LogInformation("Timer pump running: poll {Poll}, {Workers} workers, {Batch} timers per transaction",
            settings.TimerPollInterval, settings.TimerWorkers, settings.TimerBatchSize);
        while (!stoppingToken.IsCancellationRequested)
        {
            alarm.Working();
            var failed = false;
            DateTimeOffset? next = null;
            var claimed = 0;
            try
            {
                (claimed, failed) = await FireDueAsync(stoppingToken);
                next = await store.NextTimerDueAtAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "The timer pump's round failed; trying again in {BackOff}", BackOff);
                failed = true;
            }
            Interlocked.Increment(ref _rounds);

            var now = time.GetUtcNow();
            var (until, woken) = failed
                ? alarm.Plan(null, now + BackOff) // not the failing timers again at once; a new earlier one still wakes it
                : alarm.Plan(next, now + settings.TimerPollInterval);
            if (!failed && claimed == 0 && until <= now)
                until = now + HeldElsewhere; // due, yet nothing could be claimed: another node's batches hold them
            if (until <= now)
                continue;
            try
            {
                await Task.WhenAny(Task.Delay(until - now, time, stoppingToken), woken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Fires everything due now with the configured workers; how many timers were claimed, and whether any failed.</summary>
    private async Task<(int Claimed, bool Failed)> FireDueAsync(CancellationToken stoppingToken)
    {
        var claimed = 0;
        var failed = false;
        await Task.WhenAll(Enumerable.Range(0, settings.TimerWorkers).Select(_ => Task.Run(async () =>
        {
            while (!stoppingToken.IsCancellationRequested && !Volatile.Read(ref failed))
            {
                var batch = await runtime.FireDueTimerBatchAsync(settings.TimerBatchSize, stoppingToken);
                Interlocked.Add(ref claimed, batch.Claimed);
                if (batch.Failed > 0)
                    Volatile.Write(ref failed, true);
                if (batch.Claimed < settings.TimerBatchSize)
                    return; // nothing more due for this worker
            }
        }, stoppingToken)));
        return (claimed, failed);
    }
}
