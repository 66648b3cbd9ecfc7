using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CleanProdFlow.Data.Quota;
using CleanProdFlow.Data.Register;
using CleanProdFlow.Data.Revocation;
using CleanProdFlow.Domain.Register;
using CleanProdFlow.Domain.Revocation;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.Timing;
using Hangfire;

namespace CleanProdFlow.Web.Revocation;

/// <summary>
/// <c>revocation.status</c>, input <c>status</c>: records where the case stands, in the step's transaction. The first
/// call (the start step) links the case to its instance; <c>review</c> links the reopened review's instance.
/// </summary>
public sealed class RevocationStatusHandler(RevocationStore cases) : IServiceTaskHandler
{
    public string Name => "revocation.status";

    public async Task<JsonObject?> ExecuteAsync(ServiceTaskContext context, CancellationToken cancellationToken)
    {
        var status = context.Input("status");
        if (!RevocationStatus.All.Contains(status))
            throw new InvalidOperationException($"'{status}' is not a revocation case status ({string.Join(", ", RevocationStatus.All)})");
        if (!await cases.SetStatusAsync(context.Transaction!, RevocationInput.CaseId(context), context.InstanceId, status, context.Now, cancellationToken))
            throw new InvalidOperationException("no revocation case belongs to this instance; revocations start when a triggering fact is recorded");
        return new JsonObject { ["caseStatus"] = status };
    }
}

/// <summary>
/// <c>revocation.apply</c>: the effect of a decision to revoke, in the deciding step's transaction — the register
/// entry revoked (reason with the decision number, date), every current list membership ended (positive enforcement,
/// emergency exemption, special funds / finance recommendations, candidates), so the certificate leaves the public
/// list and shows on the list of revoked certificates; the decision and everything that changed go on the case.
/// <c>incentive.revoked</c> cannot be correlated here: correlation runs its own transactions per instance (and on
/// SQLite would wait for this step's write lock), so the case is marked pending and a job sends it after commit.
/// The enterprise's quota allocation requests still waiting lose the advanced-enterprise priority in the same
/// transaction (issue 10); as a buyer it is no longer matched first because matching reads the register.
/// </summary>
public sealed class RevocationApplyHandler(RevocationStore cases, RegisterStore register, QuotaAllocationStore allocations, IBackgroundJobClient jobs)
    : IServiceTaskHandler
{
    public string Name => "revocation.apply";

    public async Task<JsonObject?> ExecuteAsync(ServiceTaskContext context, CancellationToken cancellationToken)
    {
        var caseId = RevocationInput.CaseId(context);
        var creditCode = RevocationInput.Text(context, "creditCode");
        var decisionNumber = RevocationInput.Text(context, "decisionNumber");
        var reasons = RevocationInput.Text(context, "reasons");
        var decidedOn = BeijingTime.DateOf(context.Now);
        var entry = await register.FindAsync(creditCode, cancellationToken);
        var registerReason = $"取消激励决定 {decisionNumber}：{reasons}";
        var ended = await register.RevokeAsync(context.Transaction!, creditCode, decidedOn, registerReason, context.Now, $"revocation:{caseId:D}",
            cancellationToken);
        var priorityWithdrawn = await allocations.WithdrawPriorityAsync(context.Transaction!, creditCode, context.Now, cancellationToken);
        var effect = new JsonObject
        {
            ["decision"] = "revoke",
            ["decisionNumber"] = decisionNumber,
            ["decidedOn"] = decidedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["registerEntry"] = new JsonObject
            {
                ["certificateNumber"] = entry?.CertificateNumber,
                // An entry revoked already (another fact's case decided first) is left as it is.
                ["change"] = ended is null ? "not-active" : "revoked",
                ["reason"] = registerReason,
            },
            ["publicList"] = ended is null ? "unchanged" : "certificate shown as revoked",
            ["membershipsEnded"] = new JsonArray((ended ?? []).Select(m => (JsonNode)new JsonObject
            {
                ["list"] = m.ListCode, ["listName"] = IncentiveList.Find(m.ListCode)?.NameZh ?? m.ListCode,
                ["addedAt"] = m.AddedAt, ["removedAt"] = m.RemovedAt,
            }).ToArray()),
            ["quotaAllocationsPriorityWithdrawn"] = priorityWithdrawn,
        };
        await cases.RecordDecisionAsync(context.Transaction!, caseId, "revoke", decisionNumber, reasons, decidedOn, effect.ToJsonString(),
            correlationPending: true, context.Now, cancellationToken);
        // The job waits for this step's transaction before it reads the case, so an early start does no harm and a
        // rolled-back step leaves nothing pending (the job then does nothing).
        jobs.Enqueue<RevocationCorrelation>(job => job.DeliverAsync(caseId, CancellationToken.None));
        return new JsonObject { ["caseStatus"] = RevocationStatus.Revoked, ["revokedOn"] = effect["decidedOn"]!.DeepClone() };
    }
}

/// <summary><c>revocation.keep</c>: a decision not to revoke is recorded with its reasons and changes nothing else.</summary>
public sealed class RevocationKeepHandler(RevocationStore cases) : IServiceTaskHandler
{
    public string Name => "revocation.keep";

    public async Task<JsonObject?> ExecuteAsync(ServiceTaskContext context, CancellationToken cancellationToken)
    {
        var decidedOn = BeijingTime.DateOf(context.Now);
        var effect = new JsonObject { ["decision"] = "keep", ["changes"] = new JsonArray() };
        await cases.RecordDecisionAsync(context.Transaction!, RevocationInput.CaseId(context), "keep", RevocationInput.Text(context, "decisionNumber"),
            RevocationInput.Text(context, "reasons"), decidedOn, effect.ToJsonString(), correlationPending: false, context.Now, cancellationToken);
        return new JsonObject { ["caseStatus"] = RevocationStatus.Kept };
    }
}

/// <summary>
/// <c>revocation.review</c>: the outcome of the review reopened after the penalty behind a revocation was annulled
/// (reinstate / maintain, with reasons), recorded on the case. It does not re-admit: re-admission to the register
/// is the province's own decision through the register.
/// </summary>
public sealed class RevocationReviewHandler(RevocationStore cases) : IServiceTaskHandler
{
    public string Name => "revocation.review";

    public async Task<JsonObject?> ExecuteAsync(ServiceTaskContext context, CancellationToken cancellationToken)
    {
        var outcome = RevocationInput.Text(context, "outcome");
        await cases.RecordReviewAsync(context.Transaction!, RevocationInput.CaseId(context), outcome, RevocationInput.Text(context, "reasons"), context.Now,
            cancellationToken);
        return new JsonObject { ["caseStatus"] = outcome == "reinstate" ? RevocationStatus.Reinstated : RevocationStatus.Maintained };
    }
}

internal static class RevocationInput
{
    public static Guid CaseId(ServiceTaskContext context) =>
        Guid.TryParse(Text(context, "caseId"), out var id) ? id : throw new InvalidOperationException("the variable caseId is not a revocation case id");

    public static string Text(ServiceTaskContext context, string variable) =>
        context.Variables[variable] is JsonValue v && v.GetValueKind() == JsonValueKind.String && !string.IsNullOrWhiteSpace(v.GetValue<string>())
            ? v.GetValue<string>().Trim()
            : throw new InvalidOperationException($"the instance has no variable '{variable}'");
}
