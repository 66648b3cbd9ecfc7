using System.Text.Json;
using System.Text.Json.Nodes;
using CleanProdFlow.Data.Eia;
using CleanProdFlow.Domain.Eia;
using CleanProdFlow.Engine.Runtime;

namespace CleanProdFlow.Web.Eia;

/// <summary>
/// <c>eia.application.status</c>, input <c>status</c>: records where the case stands on its application row, in the
/// step's transaction. The first call (the start step) links the application to its instance, so an instance and
/// its application are never apart. Sets the variable <c>caseStatus</c>, which the gateways after the decision
/// period read (the variable <c>outcome</c> changes with every completed task, a reminder's included).
/// </summary>
public sealed class EiaStatusHandler(EiaApplicationStore applications) : IServiceTaskHandler
{
    public const string HandlerName = "eia.application.status";

    public string Name => HandlerName;

    public async Task<JsonObject?> ExecuteAsync(ServiceTaskContext context, CancellationToken cancellationToken)
    {
        var status = context.Input("status");
        if (!EiaStatus.IsKnown(status))
            throw new InvalidOperationException($"'{status}' is not an EIA case status ({string.Join(", ", EiaStatus.Names.Keys)})");
        var caseNumber = EiaHandlerInput.CaseNumber(context);
        if (!await applications.SetStatusAsync(context.Transaction!, caseNumber, context.DefinitionKey, context.InstanceId, status, context.Now,
                cancellationToken))
            throw new InvalidOperationException(
                $"no EIA application {caseNumber} of {context.DefinitionKey} belongs to this instance; start EIA cases through POST /api/v1/eia/applications");
        return new JsonObject { ["caseStatus"] = status };
    }
}

/// <summary>
/// <c>eia.fast-track.ended</c>: records on the application, once, that the case left the green channel (the
/// enterprise's incentive was revoked; the reference comes with the message as <c>revocationReference</c>). The
/// clock itself is switched to the full limit by <c>clock.end-fast-track</c> just before.
/// </summary>
public sealed class EiaFastTrackEndedHandler(EiaApplicationStore applications) : IServiceTaskHandler
{
    public const string HandlerName = "eia.fast-track.ended";

    public string Name => HandlerName;

    public async Task<JsonObject?> ExecuteAsync(ServiceTaskContext context, CancellationToken cancellationToken)
    {
        var reference = context.Variables["revocationReference"] is JsonValue v && v.GetValueKind() == JsonValueKind.String
            && !string.IsNullOrWhiteSpace(v.GetValue<string>())
            ? v.GetValue<string>().Trim()
            : null;
        var reason = reference is null ? "激励资格撤销（incentive.revoked）" : $"激励资格撤销：{reference}";
        await applications.EndFastTrackAsync(context.Transaction!, EiaHandlerInput.CaseNumber(context), context.InstanceId, reason, context.Now,
            cancellationToken);
        return new JsonObject { ["fastTrackEnded"] = true, ["fastTrackEndedAt"] = context.Now };
    }
}

internal static class EiaHandlerInput
{
    /// <summary>The case number: the instance's business key (the intake sets it), else the variable <c>caseNumber</c>.</summary>
    public static string CaseNumber(ServiceTaskContext context) =>
        context.BusinessKey is { Length: > 0 } key ? key
        : context.Variables["caseNumber"] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>()
        : throw new InvalidOperationException("the instance has no case number (business key); start EIA cases through POST /api/v1/eia/applications");
}
