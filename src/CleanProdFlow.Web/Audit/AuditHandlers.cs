using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CleanProdFlow.Data.Audit;
using CleanProdFlow.Data.Enterprises;
using CleanProdFlow.Data.Timing;
using CleanProdFlow.Domain.Access;
using CleanProdFlow.Domain.Audit;
using CleanProdFlow.Domain.Eligibility;
using CleanProdFlow.Domain.Enterprises;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.Timing;

namespace CleanProdFlow.Web.Audit;

/// <summary>
/// <c>audit.cycle.status</c>, input <c>status</c>: records where the cycle stands, in the step's transaction. The first call
/// (the start step) links the cycle row to its instance (also when the cycle runs as a re-audit's called process).
/// </summary>
public sealed class AuditCycleStatusHandler(AuditStore audits) : IServiceTaskHandler
{
    public string Name => "audit.cycle.status";

    public async Task<JsonObject?> ExecuteAsync(ServiceTaskContext context, CancellationToken cancellationToken)
    {
        var status = context.Input("status");
        if (!AuditCycleStatus.All.Contains(status))
            throw new InvalidOperationException($"'{status}' is not an audit cycle status ({string.Join(", ", AuditCycleStatus.All)})");
        if (!await audits.SetStatusAsync(context.Transaction!, AuditInput.Id(context, "cycleId"), context.InstanceId, status, context.Now, cancellationToken))
            throw new InvalidOperationException("no audit cycle belongs to this instance; cycles start when a mandatory-audit list is recorded (POST /api/v1/audit-cycles)");
        return new JsonObject { ["cycleStatus"] = status };
    }
}

/// <summary>
/// <c>audit.cycle.milestone</c>, input <c>milestone</c> = information | start | report: the enterprise's act the audit
/// officer recorded on the task (its date — not before the list, not after today — and the evidence) goes on the cycle.
/// The report's date is also kept as the instant <c>reportReceivedAt</c> (00:00 Beijing), where the evaluation clock starts.
/// </summary>
public sealed class AuditMilestoneHandler(AuditStore audits) : IServiceTaskHandler
{
    public string Name => "audit.cycle.milestone";

    public Task<JsonObject?> ExecuteAsync(ServiceTaskContext context, CancellationToken cancellationToken) =>
        RecordingProblem.Guard(() => RecordAsync(context, cancellationToken));

    private async Task<JsonObject?> RecordAsync(ServiceTaskContext context, CancellationToken cancellationToken)
    {
        var (milestone, dateVariable, evidenceVariable) = context.Input("milestone") switch
        {
            "information" => (AuditStore.Milestone.Information, "informationPublishedOn", "publicationUrl"),
            "start" => (AuditStore.Milestone.Start, "auditStartedOn", "startEvidence"),
            "report" => (AuditStore.Milestone.Report, "reportSubmittedOn", "reportNumber"),
            var other => throw new InvalidOperationException($"'{other}' is not a milestone (information, start, report)"),
        };
        var cycleId = AuditInput.Id(context, "cycleId");
        var cycle = await audits.FindAsync(cycleId, cancellationToken, context.Transaction) ?? throw new InvalidOperationException($"no audit cycle {cycleId}");
        var on = AuditInput.Date(context, dateVariable, cycle.ListedOn);
        var evidence = AuditInput.FormText(context, evidenceVariable);
        await audits.RecordMilestoneAsync(context.Transaction!, cycleId, milestone, on, evidence, cancellationToken);
        return milestone == AuditStore.Milestone.Report ? new JsonObject { ["reportReceivedAt"] = AuditInput.Instant(on) } : null;
    }
}

/// <summary>
/// <c>audit.cycle.evaluation</c>: the city's evaluation (评估) — outcome pass | fail, date and opinion. A fail closes the
/// cycle as failed (the city re-lists the enterprise, which opens a new cycle). The date is kept as <c>evaluatedAt</c>,
/// where the acceptance clock starts.
/// </summary>
public sealed class AuditEvaluationHandler(AuditStore audits) : IServiceTaskHandler
{
    public string Name => "audit.cycle.evaluation";

    public Task<JsonObject?> ExecuteAsync(ServiceTaskContext context, CancellationToken cancellationToken) =>
        RecordingProblem.Guard(() => RecordAsync(context, cancellationToken));

    private async Task<JsonObject?> RecordAsync(ServiceTaskContext context, CancellationToken cancellationToken)
    {
        var cycleId = AuditInput.Id(context, "cycleId");
        var cycle = await audits.FindAsync(cycleId, cancellationToken, context.Transaction) ?? throw new InvalidOperationException($"no audit cycle {cycleId}");
        var outcome = AuditInput.Text(context, "outcome");
        if (outcome is not ("pass" or "fail"))
            throw new InvalidOperationException($"evaluation outcome '{outcome}' is neither pass nor fail");
        var on = AuditInput.Date(context, "evaluatedOn", cycle.ReportSubmittedOn ?? cycle.ListedOn);
        var opinion = AuditInput.FormText(context, "evaluationOpinion");
        await audits.RecordEvaluationAsync(context.Transaction!, cycleId, outcome, on, opinion, cancellationToken);
        if (outcome == "fail")
        {
            await audits.CloseAsync(context.Transaction!, cycleId, AuditCycleStatus.Failed, $"评估未通过：{opinion}", context.Now, cancellationToken);
            return new JsonObject { ["cycleStatus"] = AuditCycleStatus.Failed };
        }
        return new JsonObject { ["evaluatedAt"] = AuditInput.Instant(on), ["evaluationPassed"] = true };
    }
}

/// <summary>
/// <c>audit.cycle.acceptance</c>: the acceptance (验收) after the medium/high-cost options — qualified with level Ⅰ/Ⅱ/Ⅲ,
/// date and document number, or unqualified. A qualified acceptance records the enterprise's audit result through the
/// register's own store method and re-evaluates its eligibility (the decision is appended to the history), all in this
/// step's transaction; the cycle closes as accepted. Unqualified closes it as failed.
/// </summary>
public sealed class AuditAcceptanceHandler(AuditStore audits, EnterpriseStore enterprises) : IServiceTaskHandler
{
    public string Name => "audit.cycle.acceptance";

    public Task<JsonObject?> ExecuteAsync(ServiceTaskContext context, CancellationToken cancellationToken) =>
        RecordingProblem.Guard(() => RecordAsync(context, cancellationToken));

    private async Task<JsonObject?> RecordAsync(ServiceTaskContext context, CancellationToken cancellationToken)
    {
        var transaction = context.Transaction!;
        var cycleId = AuditInput.Id(context, "cycleId");
        var cycle = await audits.FindAsync(cycleId, cancellationToken, transaction) ?? throw new InvalidOperationException($"no audit cycle {cycleId}");
        var outcome = AuditInput.Text(context, "outcome");
        if (outcome is not ("qualified" or "unqualified"))
            throw new InvalidOperationException($"acceptance outcome '{outcome}' is neither qualified nor unqualified");
        var on = AuditInput.Date(context, "acceptedOn", cycle.EvaluatedOn ?? cycle.ListedOn);
        var opinion = AuditInput.FormText(context, "acceptanceOpinion");
        if (outcome == "unqualified")
        {
            await audits.RecordAcceptanceAsync(transaction, cycleId, outcome, on, null, AuditInput.OptionalText(context, "acceptanceDocumentNumber"), opinion,
                cancellationToken);
            await audits.CloseAsync(transaction, cycleId, AuditCycleStatus.Failed, $"验收不合格：{opinion}", context.Now, cancellationToken);
            return new JsonObject { ["cycleStatus"] = AuditCycleStatus.Failed };
        }
        // Everything is checked before anything is written: a problem sends the task back with nothing recorded.
        var level = AuditLevels.Parse(AuditInput.OptionalText(context, "level"))
            ?? throw new RecordingProblem("验收合格的须填写清洁生产水平等级（Ⅰ、Ⅱ 或 Ⅲ）", "a qualified acceptance needs its level (I, II or III)");
        var documentNumber = AuditInput.OptionalText(context, "acceptanceDocumentNumber")
            ?? throw new RecordingProblem("验收合格的须填写验收文号", "a qualified acceptance needs its document number");
        await audits.RecordAcceptanceAsync(transaction, cycleId, outcome, on, (int)level, documentNumber, opinion, cancellationToken);
        var authority = Organisation.Find(cycle.City)?.NameZh ?? cycle.City;
        var recorded = await AuditResults.RecordAsync(enterprises, transaction, new AuditResult(cycle.CreditCode, on, level, authority, documentNumber), null,
            $"audit result {documentNumber} recorded by audit cycle {cycleId:D}", context.Now, cancellationToken);
        await audits.CloseAsync(transaction, cycleId, AuditCycleStatus.Accepted, null, context.Now, cancellationToken);
        return new JsonObject { ["cycleStatus"] = AuditCycleStatus.Accepted, ["auditResultRecorded"] = recorded, ["acceptedLevel"] = (int)level };
    }
}

/// <summary>
/// <c>audit.extension.review</c>: the audit officer's opinion on a request to extend the cycle (support | oppose), kept on
/// the request named by the variable <c>extensionRequestId</c> (the message carried it in).
/// </summary>
public sealed class AuditExtensionReviewHandler(AuditStore audits) : IServiceTaskHandler
{
    public string Name => "audit.extension.review";

    public async Task<JsonObject?> ExecuteAsync(ServiceTaskContext context, CancellationToken cancellationToken)
    {
        var outcome = AuditInput.Text(context, "outcome");
        if (outcome is not ("support" or "oppose"))
            throw new InvalidOperationException($"review outcome '{outcome}' is neither support nor oppose");
        await audits.RecordExtensionReviewAsync(context.Transaction!, AuditInput.Id(context, "extensionRequestId"), outcome,
            AuditInput.Text(context, "extensionReviewOpinion"), cancellationToken);
        return null;
    }
}

/// <summary>
/// <c>audit.extension.decision</c>, input <c>decision</c> = approved | refused: the approver's decision with its reasons on
/// the request; for an approval (after <c>clock.change-limit</c> in the same step) the cycle clock's new due date and the
/// cycle's rule <c>audit.cycle.extended</c>. A refusal moves nothing.
/// </summary>
public sealed class AuditExtensionDecisionHandler(AuditStore audits, ClockStore clocks) : IServiceTaskHandler
{
    public string Name => "audit.extension.decision";

    public async Task<JsonObject?> ExecuteAsync(ServiceTaskContext context, CancellationToken cancellationToken)
    {
        var decision = context.Input("decision");
        if (decision is not ("approved" or "refused"))
            throw new InvalidOperationException($"'{decision}' is neither approved nor refused");
        var approved = decision == "approved";
        var clock = await clocks.FindAsync(WorkflowRuntime.ClockSubject(context.InstanceId, AuditClocks.Cycle), cancellationToken, context.Transaction);
        await audits.RecordExtensionDecisionAsync(context.Transaction!, AuditInput.Id(context, "extensionRequestId"), AuditInput.Id(context, "cycleId"), approved,
            AuditInput.Text(context, "extensionDecisionReasons"), approved ? clock?.Clock.DueDate : null, context.Now, cancellationToken);
        return new JsonObject { ["extensionDecision"] = decision };
    }
}

/// <summary>Records an audit result and re-evaluates eligibility in one transaction, as the register's fact endpoint does.</summary>
internal static class AuditResults
{
    public static async Task<bool> RecordAsync(EnterpriseStore enterprises, System.Data.Common.DbTransaction transaction, AuditResult result, string? source,
        string cause, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!await enterprises.AddAuditResultAsync(transaction, result, source, now, "system", cancellationToken))
            return false; // the same document recorded already (e.g. through the register): nothing to add
        var decision = EligibilityDecision.Evaluate(BeijingTime.DateOf(now),
            await enterprises.AuditResultsAsync(result.CreditCode, cancellationToken, transaction),
            await enterprises.PenaltiesAsync(result.CreditCode, cancellationToken, transaction));
        await enterprises.RecordEligibilityAsync(transaction, result.CreditCode, decision, cause, now, "system", cancellationToken);
        return true;
    }
}

internal static class AuditInput
{
    public static Guid Id(ServiceTaskContext context, string variable) =>
        Guid.TryParse(Text(context, variable), out var id) ? id : throw new InvalidOperationException($"the variable {variable} is not an id");

    public static string Text(ServiceTaskContext context, string variable) =>
        OptionalText(context, variable) ?? throw new InvalidOperationException($"the instance has no variable '{variable}'");

    public static string? OptionalText(ServiceTaskContext context, string variable) =>
        context.Variables[variable] is JsonValue v && v.GetValueKind() == JsonValueKind.String && !string.IsNullOrWhiteSpace(v.GetValue<string>())
            ? v.GetValue<string>().Trim()
            : null;

    /// <summary>A required text the person typed on the task's form; missing → <see cref="RecordingProblem"/>.</summary>
    public static string FormText(ServiceTaskContext context, string variable) =>
        OptionalText(context, variable) ?? throw new RecordingProblem($"“{variable}”不能为空", $"{variable} is required");

    /// <summary>
    /// A date recorded on a form (yyyy-MM-dd), not before <paramref name="notBefore"/> and not after today in Beijing;
    /// otherwise a <see cref="RecordingProblem"/> that sends the task back.
    /// </summary>
    public static DateOnly Date(ServiceTaskContext context, string variable, DateOnly notBefore)
    {
        var text = OptionalText(context, variable) ?? throw new RecordingProblem($"“{variable}”不能为空", $"{variable} is required");
        if (!DateOnly.TryParseExact(text.Length >= 10 ? text[..10] : text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            throw new RecordingProblem($"“{variable}”须为 yyyy-MM-dd 格式的日期：{text}", $"{variable} must be a date as yyyy-MM-dd: {text}");
        var today = BeijingTime.DateOf(context.Now);
        if (date > today)
            throw new RecordingProblem($"“{variable}” {date:yyyy-MM-dd} 晚于今天（{today:yyyy-MM-dd}）", $"{variable} {date:yyyy-MM-dd} is after today ({today:yyyy-MM-dd})");
        if (date < notBefore)
            throw new RecordingProblem($"“{variable}” {date:yyyy-MM-dd} 早于 {notBefore:yyyy-MM-dd}", $"{variable} {date:yyyy-MM-dd} is before {notBefore:yyyy-MM-dd}");
        return date;
    }

    /// <summary>00:00 Beijing time of a date, as an ISO instant: where a clock counting from that date starts.</summary>
    public static string Instant(DateOnly day) => BeijingTime.StartOf(day).ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture);
}

/// <summary>
/// What a person typed on a task cannot be recorded (a date outside its range, a missing value the outcome needs). The
/// step records nothing and sets <c>recorded = false</c> and <c>recordingProblem</c>; the BPMN sends the task back for a
/// correction instead of stopping the case with an incident that no retry could fix.
/// </summary>
internal sealed class RecordingProblem(string zh, string en) : Exception(en)
{
    public string Text { get; } = $"{zh} / {en}";

    /// <summary>Runs a recording step: its output with <c>recorded = true</c>, or the problem with <c>recorded = false</c>.</summary>
    public static async Task<JsonObject?> Guard(Func<Task<JsonObject?>> record)
    {
        try
        {
            var output = await record() ?? new JsonObject();
            output["recorded"] = true;
            output["recordingProblem"] = null;
            return output;
        }
        catch (RecordingProblem problem)
        {
            return new JsonObject { ["recorded"] = false, ["recordingProblem"] = problem.Text };
        }
    }
}
