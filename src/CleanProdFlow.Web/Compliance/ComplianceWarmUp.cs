using System.Diagnostics;
using CleanProdFlow.Data.Compliance;
using CleanProdFlow.Web.Timing;

namespace CleanProdFlow.Web.Compliance;

/// <summary>
/// Summarises the clocks once in the background when the host starts, so that the first dashboard after an upgrade
/// (100,000 finished clocks take seconds to summarise) does not wait for it; afterwards each read refreshes only what
/// changed. A failure is logged and left to the next read.
/// </summary>
public sealed class ComplianceWarmUp(ComplianceStore compliance, StatutoryTime statutory, TimeProvider time, ILogger<ComplianceWarmUp> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var watch = Stopwatch.StartNew();
        try
        {
            var summarised = await compliance.RefreshAsync(statutory.Calendar, time.GetUtcNow(), stoppingToken);
            if (summarised > 0)
                logger.LogInformation("Timing compliance: summarised {Clocks} clocks in {Elapsed} ms", summarised, watch.ElapsedMilliseconds);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Timing compliance: the clocks could not be summarised at start-up; the dashboard will do it");
        }
    }
}
