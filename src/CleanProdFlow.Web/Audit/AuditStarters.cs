using System.Globalization;
using System.Text.Json.Nodes;
using CleanProdFlow.Data.Audit;
using CleanProdFlow.Data.Enterprises;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.Timing;
using Hangfire;

namespace CleanProdFlow.Web.Audit;

/// <summary>
/// Starts <c>audit-cycle</c> for cycles recorded by the list intake (business key = cycle id, organisation = the
/// enterprise's city). The rows are committed first; a start that fails leaves the cycle <c>starting</c>, and it is
/// started at the next start-up (<see cref="AuditRecovery"/>).
/// </summary>
public sealed class AuditCycleStarter(WorkflowRuntime runtime, EnterpriseStore enterprises, AuditStore audits, ILogger<AuditCycleStarter> logger)
{
    public const string DefinitionKey = "audit-cycle";

    public async Task StartAsync(AuditCycle cycle, string by, CancellationToken cancellationToken)
    {
        var name = (await enterprises.FindAsync(cycle.CreditCode, cancellationToken))?.Enterprise.Name ?? cycle.CreditCode;
        try
        {
            await runtime.StartAsync(DefinitionKey, cycle.Id.ToString("D"), Variables(cycle, name), cycle.City, by, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Could not start {Definition} for audit cycle {CycleId}; it is retried at the next start-up", DefinitionKey, cycle.Id);
        }
    }

    public async Task RecoverAsync(CancellationToken cancellationToken)
    {
        foreach (var cycle in await audits.UnstartedAsync(cancellationToken))
            await StartAsync(cycle, cycle.CreatedBy, cancellationToken);
    }

    /// <summary>The variables <c>audit-cycle</c> reads (the re-audit's open-cycle step gives the same ones to its call activity).</summary>
    public static JsonObject Variables(AuditCycle cycle, string enterpriseName) => new()
    {
        ["cycleId"] = cycle.Id.ToString("D"),
        ["cycleKind"] = cycle.Kind,
        ["creditCode"] = cycle.CreditCode,
        ["enterpriseName"] = enterpriseName,
        ["listReference"] = cycle.ListReference,
        ["listedOn"] = cycle.ListedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["listedAt"] = AuditInput.Instant(cycle.ListedOn),
        ["province"] = Domain.Access.Organisation.ProvinceCode,
    };
}

/// <summary>
/// Starts <c>audit-reaudit</c> for each obligation the sweep created, once the sweep's step has committed (its instance
/// row exists only then). Each obligation is claimed first, so two deliveries start one instance.
/// </summary>
public sealed class ReauditStarter(WorkflowRuntime runtime, IWorkflowStore workflows, AuditStore audits, EnterpriseStore enterprises,
    ILogger<ReauditStarter> logger)
{
    public const string DefinitionKey = "audit-reaudit";

    [AutomaticRetry(Attempts = 3)]
    public async Task StartAfterSweepAsync(Guid sweepInstanceId, CancellationToken cancellationToken)
    {
        // The job may run before the sweep's transaction commits; a rolled-back sweep created nothing to start.
        for (var i = 0; i < 240 && await workflows.FindInstanceAsync(sweepInstanceId, cancellationToken) is null; i++)
            await Task.Delay(250, cancellationToken);
        await StartPendingAsync(cancellationToken);
    }

    public async Task StartPendingAsync(CancellationToken cancellationToken)
    {
        foreach (var obligation in await audits.UnstartedObligationsAsync(cancellationToken))
        {
            if (!await audits.ClaimObligationAsync(obligation.Id, cancellationToken))
                continue;
            var name = (await enterprises.FindAsync(obligation.CreditCode, cancellationToken))?.Enterprise.Name ?? obligation.CreditCode;
            try
            {
                await runtime.StartAsync(DefinitionKey, obligation.Id.ToString("D"), new JsonObject
                {
                    ["obligationId"] = obligation.Id.ToString("D"),
                    ["creditCode"] = obligation.CreditCode,
                    ["enterpriseName"] = name,
                    ["previousDocumentNumber"] = obligation.PreviousDocumentNumber,
                    ["previousAcceptedAt"] = AuditInput.Instant(obligation.PreviousAcceptedOn),
                    ["reauditDueOn"] = obligation.DueOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    ["province"] = Domain.Access.Organisation.ProvinceCode,
                }, obligation.City, "system", cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await audits.ReleaseObligationAsync(obligation.Id, cancellationToken);
                logger.LogError(e, "Could not start {Definition} for re-audit obligation {ObligationId}; it is retried by the next sweep or start-up",
                    DefinitionKey, obligation.Id);
            }
        }
    }
}

/// <summary>At start-up: cycles and obligations whose instance never started are started.</summary>
public static class AuditRecovery
{
    public static async Task RecoverAsync(IServiceProvider services, CancellationToken stopping)
    {
        var audits = services.GetRequiredService<AuditStore>();
        await services.GetRequiredService<AuditCycleStarter>().RecoverAsync(stopping);
        foreach (var claimed in (await audits.UnstartedObligationsAsync(stopping)).Where(o => o.Status == "claimed"))
            await audits.ReleaseObligationAsync(claimed.Id, stopping); // claimed by a start cut off by a stop
        await services.GetRequiredService<ReauditStarter>().StartPendingAsync(stopping);
    }
}
