using System.Globalization;
using System.Text.Json.Nodes;
using CleanProdFlow.Data.Enterprises;
using CleanProdFlow.Data.Reception;
using CleanProdFlow.Data.Register;
using CleanProdFlow.Domain.Access;
using CleanProdFlow.Domain.Common;
using CleanProdFlow.Domain.Reception;
using CleanProdFlow.Engine.Execution;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.Timing;
using FieldError = CleanProdFlow.Domain.Common.FieldError;

namespace CleanProdFlow.Web.Reception;

/// <summary>What became of a request handed to <see cref="ReceptionIntake.RecordAsync"/>.</summary>
public abstract record IntakeOutcome
{
    /// <summary>A field was refused; nothing was recorded.</summary>
    public sealed record Refused(IReadOnlyList<FieldError> Problems) : IntakeOutcome;

    /// <summary>The reception-day workflow has no published version; nothing was recorded.</summary>
    public sealed record NotPublished : IntakeOutcome;

    /// <summary>Recorded and started (<c>Created</c>), or the request recorded earlier with the same Idempotency-Key.</summary>
    public sealed record Recorded(ReceptionRequest Request, bool Created) : IntakeOutcome;

    /// <summary>Numbered and stored, but the instance did not start; retried at the next start-up.</summary>
    public sealed record StartFailed(string RequestNumber, LocalizedText Reason) : IntakeOutcome;
}

/// <summary>
/// The intake of a reception-day request (诉求): only an advanced enterprise (active on the register) of the
/// session's city (any city for a province session) may bring one, and only on or after the session's date (the
/// answer clock counts from it). The request takes the next number of its organisation and year and starts one
/// reception-day instance for the session's organisation (business key = the number; the start step links the row).
/// The API and the demo data both come through here.
/// </summary>
public sealed class ReceptionIntake(ReceptionStore requests, EnterpriseStore enterprises, RegisterStore register, IWorkflowStore workflows,
    WorkflowRuntime runtime, TimeProvider time, ILogger<ReceptionIntake> logger)
{
    public async Task<IntakeOutcome> RecordAsync(ReceptionSession session, NewReceptionRequest submitted, string by, string? intakeKey,
        CancellationToken cancellationToken)
    {
        // A retry of an intake that was recorded: its request, not a second number (also on a later day).
        if (intakeKey is not null && await requests.FindByIntakeKeyAsync(by, intakeKey, cancellationToken) is { } earlier)
            return new IntakeOutcome.Recorded(earlier, Created: false);
        if (submitted.Check(out var problems) is not { } input)
            return new IntakeOutcome.Refused(problems);
        var now = time.GetUtcNow();
        if (BeijingTime.DateOf(now) < session.Date)
            return Refused("sessionId", new($"接待日 {BeijingTime.Format(session.Date)} 尚未举行：诉求在接待日当天或之后登记（办理时限自接待日起算）",
                $"the session of {BeijingTime.Format(session.Date)} has not taken place yet: requests are recorded on or after its date (the answer limit counts from it)"));
        if (await enterprises.FindAsync(input.CreditCode, cancellationToken) is not { } enterprise)
            return Refused("creditCode", new($"登记簿中没有统一社会信用代码为 {input.CreditCode} 的企业", $"no enterprise {input.CreditCode} in the register"));
        var entry = await register.FindAsync(input.CreditCode, cancellationToken);
        if (entry is null)
            return Refused("creditCode", new($"{enterprise.Enterprise.Name}（{input.CreditCode}）不是清洁生产先进企业：环保接待日受理先进企业的诉求",
                $"{input.CreditCode} is not a clean-production advanced enterprise: the reception day takes requests of advanced enterprises"));
        if (entry.Status != "active")
            return Refused("creditCode", new(
                $"{enterprise.Enterprise.Name}（{input.CreditCode}）的先进企业资格已于 {(entry.RevokedOn is { } on ? BeijingTime.Format(on) : "此前")} 取消，不再享受环保接待日",
                $"the advanced-enterprise status of {input.CreditCode} was revoked{(entry.RevokedOn is { } day ? " on " + BeijingTime.Format(day) : "")}: no reception-day requests"));
        if (session.Organisation != Organisation.ProvinceCode && enterprise.Enterprise.City != session.Organisation)
            return Refused("creditCode", new($"{enterprise.Enterprise.Name} 不在本场接待日所在设区市（{Organisation.Find(session.Organisation)?.NameZh}）",
                $"{input.CreditCode} is not in the session's city ({session.Organisation})"));
        // Checked before a number is taken: a number, once given, belongs to a request for good.
        if (await workflows.LatestPublishedAsync(ReceptionTerms.DefinitionKey, cancellationToken) is null)
            return new IntakeOutcome.NotPublished();

        var (number, created) = await requests.CreateRequestAsync(session, input, now, by, intakeKey, cancellationToken);
        if (!created)
            return new IntakeOutcome.Recorded((await requests.FindRequestAsync(number, cancellationToken))!, Created: false);
        var stored = (await requests.FindRequestAsync(number, cancellationToken))!;
        if (await StartAsync(stored, by, cancellationToken) is { } failure)
            return new IntakeOutcome.StartFailed(number, failure);
        logger.LogInformation("{User} recorded reception-day request {RequestNumber} of {CreditCode} for session {SessionId} of {Organisation}",
            by, number, input.CreditCode, session.Id, session.Organisation);
        return new IntakeOutcome.Recorded((await requests.FindRequestAsync(number, cancellationToken))!, Created: true);
    }

    /// <summary>At start-up: starts the requests whose start failed after they were numbered.</summary>
    public async Task RecoverAsync(CancellationToken cancellationToken)
    {
        foreach (var unstarted in await requests.UnstartedAsync(cancellationToken))
            await StartAsync(unstarted, unstarted.CreatedBy, cancellationToken);
    }

    private async Task<LocalizedText?> StartAsync(ReceptionRequest request, string by, CancellationToken cancellationToken)
    {
        try
        {
            await runtime.StartAsync(ReceptionTerms.DefinitionKey, request.RequestNumber, Variables(request), request.Organisation, by, cancellationToken);
            return null;
        }
        catch (EngineRefusal refusal)
        {
            logger.LogError("Reception-day request {RequestNumber} was recorded but its workflow did not start: {Reason}", request.RequestNumber, refusal.Message);
            return new(refusal.MessageZh, refusal.Message);
        }
    }

    /// <summary>The instance's variables: what the BPMN, its handlers and the task pages read.</summary>
    private static JsonObject Variables(ReceptionRequest request) => new()
    {
        ["requestNumber"] = request.RequestNumber,
        ["sessionId"] = request.SessionId.ToString("D"),
        ["sessionDate"] = BeijingTime.Format(request.SessionDate),
        // The answer clock counts from the session (clock.start's input startAt), not from when the request was typed in.
        ["sessionStart"] = BeijingTime.StartOf(request.SessionDate).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
        ["creditCode"] = request.CreditCode,
        ["enterpriseName"] = request.EnterpriseName,
        ["contactName"] = request.ContactName,
        ["contactPhone"] = request.ContactPhone,
        ["category"] = request.Category,
        ["request"] = request.Request,
    };

    private static IntakeOutcome.Refused Refused(string field, LocalizedText reason) => new([new FieldError(field, reason)]);
}
