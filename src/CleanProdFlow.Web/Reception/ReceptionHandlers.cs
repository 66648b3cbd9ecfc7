using System.Text.Json;
using System.Text.Json.Nodes;
using CleanProdFlow.Data.Reception;
using CleanProdFlow.Domain.Reception;
using CleanProdFlow.Engine.Runtime;

namespace CleanProdFlow.Web.Reception;

/// <summary>
/// <c>reception.status</c>, input <c>status</c> (optional <c>satisfaction</c>): records where the request stands on its
/// row, in the step's transaction, with what the step adds — the office from the triage form (<c>assigned</c>), where
/// it was referred (<c>referred</c>), the answer (<c>answered</c>), the follow-up's satisfaction (<c>rehandling</c>,
/// <c>closed</c>), the re-handling answer (<c>closed</c> after re-handling). The first call (the start step) links the
/// request to its instance, so an instance and its request are never apart.
/// </summary>
public sealed class ReceptionStatusHandler(ReceptionStore requests) : IServiceTaskHandler
{
    public const string HandlerName = "reception.status";

    public string Name => HandlerName;

    public async Task<JsonObject?> ExecuteAsync(ServiceTaskContext context, CancellationToken cancellationToken)
    {
        var status = context.Input("status");
        var satisfaction = context.Inputs.TryGetValue("satisfaction", out var given) && !string.IsNullOrWhiteSpace(given) ? given.Trim() : null;
        if (satisfaction is not null && !ReceptionTerms.Satisfactions.ContainsKey(satisfaction))
            throw new InvalidOperationException($"'{satisfaction}' is not a follow-up result ({string.Join(", ", ReceptionTerms.Satisfactions.Keys)})");
        var step = status switch
        {
            ReceptionStatus.Triage => new ReceptionStep(status),
            ReceptionStatus.Assigned => new ReceptionStep(status, Office: Office(context)),
            ReceptionStatus.Referred => new ReceptionStep(status, Office: ReceptionTerms.Outside,
                ReferredTo: Text(context, "referredTo", required: false) ?? "本部门以外 / outside the department", Closes: true),
            ReceptionStatus.Answered => new ReceptionStep(status, Answer: Text(context, "answer", required: true)),
            ReceptionStatus.Rehandling => new ReceptionStep(status, Satisfaction: satisfaction ?? ReceptionTerms.Unsatisfied),
            // Closed after a satisfied follow-up, or after the re-handling round (its answer is then recorded).
            ReceptionStatus.Closed => satisfaction is not null
                ? new ReceptionStep(status, Satisfaction: satisfaction, Closes: true)
                : new ReceptionStep(status, RehandleAnswer: Text(context, "rehandleAnswer", required: true), Closes: true),
            _ => throw new InvalidOperationException(
                $"'{status}' is not a reception request status the workflow sets ({string.Join(", ", ReceptionStatus.Names.Keys.Where(s => s != ReceptionStatus.Recorded))})"),
        };
        var number = RequestNumberOf(context);
        if (!await requests.RecordStepAsync(context.Transaction!, number, context.InstanceId, step, context.Now, cancellationToken))
            throw new InvalidOperationException(
                $"no reception request {number} belongs to this instance; requests start through POST /api/v1/reception/sessions/{{id}}/requests");
        return new JsonObject { ["requestStatus"] = status };
    }

    /// <summary>The request number: the instance's business key (the intake sets it), else the variable <c>requestNumber</c>.</summary>
    private static string RequestNumberOf(ServiceTaskContext context) =>
        context.BusinessKey is { Length: > 0 } key ? key
        : Text(context, "requestNumber", required: false)
          ?? throw new InvalidOperationException("the instance has no request number (business key); start requests through the reception intake");

    private static string Office(ServiceTaskContext context)
    {
        var office = Text(context, "office", required: true)!;
        return ReceptionTerms.Offices.ContainsKey(office) && office != ReceptionTerms.Outside
            ? office
            : throw new InvalidOperationException($"'{office}' is not an office a request can be assigned to");
    }

    private static string? Text(ServiceTaskContext context, string variable, bool required) =>
        context.Variables[variable] is JsonValue v && v.GetValueKind() == JsonValueKind.String && !string.IsNullOrWhiteSpace(v.GetValue<string>())
            ? v.GetValue<string>().Trim()
            : required ? throw new InvalidOperationException($"the instance has no variable '{variable}'") : null;
}
