using System.Text.Json.Nodes;
using CleanProdFlow.Data.Enterprises;
using CleanProdFlow.Data.Register;
using CleanProdFlow.Data.Revocation;
using CleanProdFlow.Domain.Revocation;
using CleanProdFlow.Engine.Runtime;
using Hangfire;

namespace CleanProdFlow.Web.Revocation;

/// <summary>
/// Starts <c>incentive-revocation</c> when a fact that withdraws the incentives is recorded for an enterprise
/// active on the register, once per fact. Called after the fact's own transaction committed: the stores commit
/// facts on their own connection and the runtime starts an instance in a transaction of its own (on SQLite a
/// second writer inside the first would wait for its lock). The case row is claimed first (its unique key decides
/// "once per fact"); a start that fails leaves the case <c>starting</c> and is retried at the next start-up.
/// </summary>
public sealed class RevocationTriggers(
    RevocationStore cases, RegisterStore register, EnterpriseStore enterprises, WorkflowRuntime runtime, IBackgroundJobClient jobs,
    TimeProvider time, ILogger<RevocationTriggers> logger)
{
    public const string DefinitionKey = "incentive-revocation";

    /// <summary>The case the fact opened, the one it had already, or null when it opens none.</summary>
    public async Task<RevocationCase?> FactRecordedAsync(string creditCode, RevocationTrigger? trigger, string by, CancellationToken cancellationToken)
    {
        if (trigger is null)
            return null;
        if ((await register.FindAsync(creditCode, cancellationToken))?.Status != "active")
            return null; // only an advanced enterprise has incentives to withdraw
        var enterprise = await enterprises.FindAsync(creditCode, cancellationToken);
        if (enterprise is null)
            return null;
        var (opened, created) = await cases.OpenAsync(creditCode, enterprise.Enterprise.City, trigger, time.GetUtcNow(), by, cancellationToken);
        if (created)
            await StartAsync(opened, enterprise.Enterprise.Name, by, cancellationToken);
        return await cases.FindAsync(opened.Id, cancellationToken);
    }

    /// <summary>
    /// The penalty behind cases was annulled: each is marked, and a revoked one is reopened for review by the
    /// province's approver (a new instance of the review path; nothing is reinstated automatically).
    /// </summary>
    public async Task PenaltyAnnulledAsync(string creditCode, string decisionNumber, string by, CancellationToken cancellationToken)
    {
        foreach (var annulled in await cases.MarkTriggerAnnulledAsync(creditCode, RevocationTrigger.Penalty, decisionNumber, time.GetUtcNow(), cancellationToken))
        {
            if (annulled.Status != RevocationStatus.Revoked || annulled.ReviewInstanceId is not null)
                continue; // a running case shows the annulment to its decider; a kept one has nothing to review
            var name = (await enterprises.FindAsync(creditCode, cancellationToken))?.Enterprise.Name ?? creditCode;
            try
            {
                await runtime.StartAsync(DefinitionKey, $"{annulled.Id:D}-review", Variables(annulled, name, reopen: true), annulled.City, by, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Could not reopen revocation case {CaseId} for review after penalty {DecisionNumber} was annulled", annulled.Id, decisionNumber);
            }
        }
    }

    /// <summary>At start-up: starts cases whose start failed and re-sends pending <c>incentive.revoked</c> messages.</summary>
    public async Task RecoverAsync(CancellationToken cancellationToken)
    {
        foreach (var unstarted in await cases.UnstartedAsync(cancellationToken))
            await StartAsync(unstarted, (await enterprises.FindAsync(unstarted.CreditCode, cancellationToken))?.Enterprise.Name ?? unstarted.CreditCode,
                unstarted.CreatedBy, cancellationToken);
        foreach (var pending in await cases.PendingCorrelationsAsync(cancellationToken))
            jobs.Enqueue<RevocationCorrelation>(job => job.DeliverAsync(pending, CancellationToken.None));
    }

    private async Task StartAsync(RevocationCase opened, string enterpriseName, string by, CancellationToken cancellationToken)
    {
        try
        {
            await runtime.StartAsync(DefinitionKey, opened.Id.ToString("D"), Variables(opened, enterpriseName, reopen: false), opened.City, by, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The fact is recorded and the case claimed; failing the fact's request would not undo either.
            logger.LogError(e, "Could not start {Definition} for revocation case {CaseId}; it is retried at the next start-up", DefinitionKey, opened.Id);
        }
    }

    private static JsonObject Variables(RevocationCase c, string enterpriseName, bool reopen) => new()
    {
        ["caseId"] = c.Id.ToString("D"),
        ["creditCode"] = c.CreditCode,
        ["enterpriseName"] = enterpriseName,
        ["triggerKind"] = c.TriggerKind,
        ["triggerId"] = c.TriggerId,
        ["triggerSummary"] = c.TriggerSummary,
        ["province"] = Domain.Access.Organisation.ProvinceCode,
        ["reopen"] = reopen,
    };
}

/// <summary>
/// Sends <c>incentive.revoked</c> (key: the credit code) to every instance waiting for it once the revoking step has
/// committed, and records on the case which instances it reached. Safe to run twice: a delivered case is not pending.
/// </summary>
public sealed class RevocationCorrelation(RevocationStore cases, IWorkflowStore workflows, WorkflowRuntime runtime, TimeProvider time)
{
    public const string MessageName = "incentive.revoked";

    [AutomaticRetry(Attempts = 5)]
    public async Task DeliverAsync(Guid caseId, CancellationToken cancellationToken)
    {
        var pending = await cases.AfterWritersAsync(caseId, cancellationToken);
        if (pending is null || pending.CorrelationStatus != "pending")
            return;
        var reached = new JsonArray();
        foreach (var subscription in await workflows.SubscriptionsAsync(MessageName, pending.CreditCode, cancellationToken))
        {
            var instance = await workflows.FindInstanceAsync(subscription.InstanceId, cancellationToken);
            reached.Add(new JsonObject
            {
                ["instanceId"] = subscription.InstanceId.ToString("D"), ["definitionKey"] = instance?.State.DefinitionKey,
                ["businessKey"] = instance?.State.BusinessKey, ["elementId"] = subscription.ElementId,
            });
        }
        var correlated = await runtime.CorrelateAsync(MessageName, pending.CreditCode, new JsonObject
        {
            ["revocationReference"] = pending.DecisionNumber, ["revocationCaseId"] = caseId.ToString("D"),
        }, $"revocation:{caseId:D}", cancellationToken);
        await cases.RecordCorrelationAsync(caseId, new JsonObject { ["correlated"] = correlated, ["instances"] = reached }.ToJsonString(),
            time.GetUtcNow(), cancellationToken);
    }
}
