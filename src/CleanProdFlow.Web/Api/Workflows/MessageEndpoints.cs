using System.Security.Claims;
using System.Text.Json.Nodes;
using CleanProdFlow.Domain.Common;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.Web.Api.Problems;

namespace CleanProdFlow.Web.Api.Workflows;

/// <summary>
/// /api/v1/messages: tell waiting instances that something happened (a document arrived, an enterprise answered).
/// Every message catch or boundary event waiting for the name and correlation key receives it.
/// </summary>
public static class MessageEndpoints
{
    private const int MaxLength = 200;

    public sealed record MessageRequest(string? Name, string? CorrelationKey, JsonObject? Variables);

    public sealed record CorrelatedView(int Correlated);

    public static void MapMessages(this IEndpointRouteBuilder api)
    {
        api.MapPost("/messages", CorrelateAsync).WithTags("workflows").WithName("CorrelateMessage")
            .WithSummary("Correlate a message by name and correlation key (by default the instance's business key) to every waiting event (staff; not auditors)")
            .Produces<CorrelatedView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden);
    }

    private static async Task<IResult> CorrelateAsync(MessageRequest request, ClaimsPrincipal principal, WorkflowRuntime runtime,
        CancellationToken cancellationToken)
    {
        var caller = WorkflowCaller.Of(principal);
        if (!caller.MayAct)
            return EngineProblems.Forbidden(EngineProblems.AuditorsChangeNothing);
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(request.Name))
            errors.Add(new("name", new("须指定消息名称（name）", "name is required")));
        else if (request.Name.Length > MaxLength)
            errors.Add(new("name", new($"消息名称不能超过 {MaxLength} 个字符", $"name must be at most {MaxLength} characters")));
        if (request.CorrelationKey is { Length: > MaxLength })
            errors.Add(new("correlationKey", new($"关联键不能超过 {MaxLength} 个字符", $"correlationKey must be at most {MaxLength} characters")));
        if (errors.Count > 0)
            return Problem.Validation(errors);
        return await EngineProblems.RunAsync(async () => TypedResults.Ok(new CorrelatedView(
            await runtime.CorrelateAsync(request.Name!.Trim(), request.CorrelationKey ?? "", request.Variables ?? [], caller.Username, cancellationToken))));
    }
}
