using System.Globalization;
using System.Text.Json.Nodes;
using CleanProdFlow.Data.Audit;
using CleanProdFlow.Data.Enterprises;
using CleanProdFlow.Domain.Audit;
using CleanProdFlow.Domain.Enterprises;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.Timing;
using CleanProdFlow.Timing.Deadlines;
using CleanProdFlow.Web.Timing;
using Hangfire;

namespace CleanProdFlow.Web.Audit;

/// <summary>
/// <c>audit.reaudit.sweep</c>, input <c>horizonDays</c>: run daily by the timer start of <c>audit-reaudit</c>. Every Level Ⅰ
/// audit result that is its enterprise's latest and whose re-audit date (accepted on + <c>audit.interval</c>, as the
/// Timing library counts it) falls within the horizon gets one obligation row (unique per result) in this step's
/// transaction. Their instances cannot start in this transaction (a start is a command of its own), so a job starts
/// them once this step has committed.
/// </summary>
public sealed class ReauditSweepHandler(AuditStore audits, StatutoryTime statutory, IBackgroundJobClient jobs) : IServiceTaskHandler
{
    public string Name => "audit.reaudit.sweep";

    public async Task<JsonObject?> ExecuteAsync(ServiceTaskContext context, CancellationToken cancellationToken)
    {
        var horizonDays = int.TryParse(context.Input("horizonDays"), NumberStyles.None, CultureInfo.InvariantCulture, out var days) && days is >= 0 and <= 3650
            ? days
            : throw new InvalidOperationException("horizonDays must be a number of days from 0 to 3650");
        var upTo = BeijingTime.DateOf(context.Now).AddDays(horizonDays);
        var interval = statutory.Rules[AuditClocks.IntervalRule].ToTimeLimit();
        var created = 0;
        foreach (var result in await audits.DueLevelOneResultsAsync(context.Transaction!, upTo, cancellationToken))
        {
            var due = Deadline.Compute(statutory.Calendar, new DeadlineRequest(BeijingTime.StartOf(result.AcceptedOn), interval)).DueDate;
            if (due is not { } dueOn || dueOn > upTo)
                continue;
            await audits.CreateObligationAsync(context.Transaction!, result, dueOn, context.Now, cancellationToken);
            created++;
        }
        var sweepInstance = context.InstanceId;
        if (created > 0)
            jobs.Enqueue<ReauditStarter>(starter => starter.StartAfterSweepAsync(sweepInstance, CancellationToken.None));
        return new JsonObject { ["obligationsCreated"] = created, ["horizonUpTo"] = upTo.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) };
    }
}

/// <summary><c>audit.obligation.status</c>, input <c>status</c>: where the obligation stands; the first call links its instance.</summary>
public sealed class ObligationStatusHandler(AuditStore audits) : IServiceTaskHandler
{
    public string Name => "audit.obligation.status";

    public async Task<JsonObject?> ExecuteAsync(ServiceTaskContext context, CancellationToken cancellationToken)
    {
        var status = context.Input("status");
        if (!await audits.SetObligationStatusAsync(context.Transaction!, AuditInput.Id(context, "obligationId"), context.InstanceId, status, context.Now,
                cancellationToken))
            throw new InvalidOperationException("no re-audit obligation belongs to this instance; obligations are created by the daily sweep");
        return new JsonObject { ["obligationStatus"] = status };
    }
}

/// <summary><c>audit.obligation.choice</c>: the enterprise's choice (outcome certification | audit) recorded by the audit officer.</summary>
public sealed class ObligationChoiceHandler(AuditStore audits) : IServiceTaskHandler
{
    public string Name => "audit.obligation.choice";

    public async Task<JsonObject?> ExecuteAsync(ServiceTaskContext context, CancellationToken cancellationToken)
    {
        var choice = AuditInput.Text(context, "outcome");
        if (choice is not ("certification" or "audit"))
            throw new InvalidOperationException($"choice '{choice}' is neither certification nor audit");
        await audits.RecordChoiceAsync(context.Transaction!, AuditInput.Id(context, "obligationId"), choice, cancellationToken);
        return new JsonObject { ["reauditChoice"] = choice };
    }
}

/// <summary>
/// <c>audit.obligation.certification</c>: the certification result (body, certificate number, date, level). Certified at
/// Level Ⅰ (measure 6): an audit result with source <c>certification</c> is recorded (eligibility re-evaluated, in this
/// step's transaction) and the obligation closes "as if audited"; otherwise <c>certifiedLevelOne</c> is false and the
/// normal audit cycle follows.
/// </summary>
public sealed class ObligationCertificationHandler(AuditStore audits, EnterpriseStore enterprises) : IServiceTaskHandler
{
    public string Name => "audit.obligation.certification";

    public Task<JsonObject?> ExecuteAsync(ServiceTaskContext context, CancellationToken cancellationToken) =>
        RecordingProblem.Guard(() => RecordAsync(context, cancellationToken));

    private async Task<JsonObject?> RecordAsync(ServiceTaskContext context, CancellationToken cancellationToken)
    {
        var transaction = context.Transaction!;
        var obligationId = AuditInput.Id(context, "obligationId");
        var obligation = await audits.FindObligationAsync(obligationId, cancellationToken, transaction)
            ?? throw new InvalidOperationException($"no re-audit obligation {obligationId}");
        var outcome = AuditInput.Text(context, "outcome");
        if (outcome == "not-certified")
            return new JsonObject { ["certifiedLevelOne"] = false };
        if (outcome != "certified")
            throw new InvalidOperationException($"certification outcome '{outcome}' is neither certified nor not-certified");
        var body = AuditInput.FormText(context, "certificationBody");
        var number = AuditInput.FormText(context, "certificateNumber");
        var on = AuditInput.Date(context, "certifiedOn", obligation.PreviousAcceptedOn);
        var level = AuditLevels.Parse(AuditInput.OptionalText(context, "certificationLevel"))
            ?? throw new RecordingProblem("取得认证的须填写认证等级（Ⅰ、Ⅱ 或 Ⅲ）", "certificationLevel (I, II or III) is required when certified");
        await audits.RecordCertificationAsync(transaction, obligationId, body, number, on, (int)level, cancellationToken);
        if (level != AuditLevel.I)
            return new JsonObject { ["certifiedLevelOne"] = false };
        await AuditResults.RecordAsync(enterprises, transaction, new AuditResult(obligation.CreditCode, on, AuditLevel.I, body, number), "certification",
            $"voluntary certification {number} at Level I counts as the re-audit (measure 6)", context.Now, cancellationToken);
        await audits.CloseObligationAsync(transaction, obligationId, "certified", context.Now, cancellationToken);
        return new JsonObject { ["certifiedLevelOne"] = true };
    }
}

/// <summary>
/// <c>audit.obligation.open-cycle</c>: the normal audit cycle of kind re-audit, opened in this step's transaction (counted
/// from today, the day the obligation turned to an audit) and linked to the obligation; the call activity after it runs
/// <c>audit-cycle</c> with these variables.
/// </summary>
public sealed class ObligationOpenCycleHandler(AuditStore audits) : IServiceTaskHandler
{
    public string Name => "audit.obligation.open-cycle";

    public async Task<JsonObject?> ExecuteAsync(ServiceTaskContext context, CancellationToken cancellationToken)
    {
        var transaction = context.Transaction!;
        var obligationId = AuditInput.Id(context, "obligationId");
        var obligation = await audits.FindObligationAsync(obligationId, cancellationToken, transaction)
            ?? throw new InvalidOperationException($"no re-audit obligation {obligationId}");
        if (obligation.CycleId is { } existing)
            return new JsonObject { ["cycleId"] = existing.ToString("D") }; // a retried step does not open a second cycle
        var listedOn = BeijingTime.DateOf(context.Now);
        var cycleId = await audits.OpenReauditCycleAsync(transaction, obligation, listedOn, context.Now, cancellationToken);
        await audits.LinkCycleAsync(transaction, obligationId, cycleId, context.Now, cancellationToken);
        var cycle = (await audits.FindAsync(cycleId, cancellationToken, transaction))!;
        return new JsonObject
        {
            ["cycleId"] = cycleId.ToString("D"), ["listReference"] = cycle.ListReference,
            ["listedOn"] = listedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["listedAt"] = AuditInput.Instant(listedOn),
        };
    }
}

/// <summary><c>audit.obligation.close</c>: the re-audit cycle ended — accepted → audited, failed → audit-failed.</summary>
public sealed class ObligationCloseHandler(AuditStore audits) : IServiceTaskHandler
{
    public string Name => "audit.obligation.close";

    public async Task<JsonObject?> ExecuteAsync(ServiceTaskContext context, CancellationToken cancellationToken)
    {
        var outcome = AuditInput.OptionalText(context, "cycleStatus") == AuditCycleStatus.Accepted ? "audited" : "audit-failed";
        await audits.CloseObligationAsync(context.Transaction!, AuditInput.Id(context, "obligationId"), outcome, context.Now, cancellationToken);
        return new JsonObject { ["obligationOutcome"] = outcome };
    }
}
