using System.Buffers.Text;
using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CleanProdFlow.Domain.Common;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.Web.Api.Problems;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Serilog.Context;
using static CleanProdFlow.Web.Api.Workflows.WorkflowViews;
using TaskStatus = CleanProdFlow.Engine.Runtime.TaskStatus;

namespace CleanProdFlow.Web.Api.Workflows;

/// <summary>
/// /api/v1/tasks: the inbox. A caller sees the tasks of their organisation offered to one of their roles or assigned
/// to them (auditors see every task and work none). Claim, give back, complete with an outcome and form values;
/// completion honours an <c>Idempotency-Key</c>: a replay answers the first answer and changes nothing.
/// </summary>
public static class TaskEndpoints
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    public const string NextCursorHeader = "X-Next-Cursor";
    public const int MaxIdempotencyKeyLength = 200;
    private const int DefaultLimit = 50;
    private const int MaxLimit = 200;

    public sealed record CompleteRequest(string? Outcome, JsonObject? Variables);

    public static void MapTasks(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/tasks").WithTags("workflows");
        group.MapGet("/", ListAsync).WithName("ListTasks")
            .WithSummary("The caller's tasks by due date (status open by default); the next page's cursor is in the X-Next-Cursor header")
            .Produces<IReadOnlyList<TaskView>>().ProducesValidationProblem();
        group.MapGet("/{id:guid}", GetAsync).WithName("GetTask")
            .WithSummary("One task with its form and outcomes")
            .Produces<TaskView>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id:guid}/claim", ClaimAsync).WithName("ClaimTask")
            .WithSummary("Take a task offered to one of the caller's roles")
            .Produces<TaskView>().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{id:guid}/unclaim", UnclaimAsync).WithName("UnclaimTask")
            .WithSummary("Give a claimed task back to its candidate roles")
            .Produces<TaskView>().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{id:guid}/complete", CompleteAsync).WithName("CompleteTask")
            .WithSummary("Complete a task with an outcome and form values; send an Idempotency-Key (at most 200 characters) to make retries safe")
            .Produces<CompletedTaskView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static IResult NotFound(Guid id) =>
        Problem.Status(StatusCodes.Status404NotFound, new("找不到该任务", "No such task"),
            new($"没有标识为 {id} 的任务（或您无权查看）", $"No task {id} (or not visible to you)"));

    private static async Task<IResult> ListAsync(HttpContext http, ClaimsPrincipal principal, IWorkflowStore store, string? candidateGroup, string? assignee,
        string? status, string? instanceId, string? definitionKey, string? businessKey, string? after, string? limit, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        TaskStatus? statusFilter = TaskStatus.Open;
        switch (status?.Trim().ToLowerInvariant())
        {
            case null or "" or "open":
                break;
            case "completed":
                statusFilter = TaskStatus.Completed;
                break;
            case "cancelled":
                statusFilter = TaskStatus.Cancelled;
                break;
            case "any":
                statusFilter = null;
                break;
            default:
                errors.Add(new("status", new($"状态“{status}”未知（可用：open、completed、cancelled、any）",
                    $"unknown status '{status}' (one of open, completed, cancelled, any)")));
                break;
        }
        Guid? instance = null;
        if (!string.IsNullOrWhiteSpace(instanceId))
        {
            if (Guid.TryParse(instanceId, out var parsed))
                instance = parsed;
            else
                errors.Add(new("instanceId", new($"“{instanceId}”不是有效的实例标识", $"'{instanceId}' is not an instance id (a GUID)")));
        }
        var size = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > MaxLimit))
            errors.Add(new("limit", new($"每页条数须在 1–{MaxLimit} 之间", $"limit must be from 1 to {MaxLimit}")));
        (DateTimeOffset? DueAt, Guid Id)? cursor = null;
        if (after is not null)
        {
            if (Cursor.TryDecode(after, out var decoded))
                cursor = decoded;
            else
                errors.Add(new("after", new("翻页游标无效：请使用上一页响应头 X-Next-Cursor 中的值", "the cursor is not valid: use the X-Next-Cursor header of the previous page")));
        }
        if (errors.Count > 0)
            return Problem.Validation(errors);

        var caller = WorkflowCaller.Of(principal);
        var actor = caller.Actor;
        var page = await store.ListTasksAsync(new TaskQuery
        {
            Organisations = actor.ReadsEverything ? null : [actor.Organisation],
            Groups = actor.ReadsEverything ? null : actor.Groups,
            CandidateGroup = string.IsNullOrWhiteSpace(candidateGroup) ? null : candidateGroup.Trim(),
            Assignee = string.IsNullOrWhiteSpace(assignee) ? null : assignee.Trim(),
            Status = statusFilter,
            InstanceId = instance,
            DefinitionKey = string.IsNullOrWhiteSpace(definitionKey) ? null : definitionKey.Trim(),
            BusinessKey = string.IsNullOrWhiteSpace(businessKey) ? null : businessKey.Trim(),
            Limit = size,
            After = cursor,
        }, cancellationToken);
        if (page.Count == size)
            http.Response.Headers[NextCursorHeader] = Cursor.Encode(page[^1]);
        // The store already restricts to what the caller may see; checked again here, the one rule in one place.
        return TypedResults.Ok(page.Where(actor.CanSee).Select(ViewOf).ToList());
    }

    private static async Task<IResult> GetAsync(Guid id, ClaimsPrincipal principal, IWorkflowStore store, CancellationToken cancellationToken)
    {
        using var _ = LogContext.PushProperty("TaskId", id);
        var task = await store.FindTaskAsync(id, cancellationToken);
        return task is not null && WorkflowCaller.Of(principal).Actor.CanSee(task) ? TypedResults.Ok(ViewOf(task)) : NotFound(id);
    }

    private static async Task<IResult> ClaimAsync(Guid id, ClaimsPrincipal principal, WorkflowRuntime runtime, CancellationToken cancellationToken)
    {
        using var _ = LogContext.PushProperty("TaskId", id);
        var caller = WorkflowCaller.Of(principal);
        if (!caller.MayAct)
            return EngineProblems.Forbidden(EngineProblems.AuditorsChangeNothing);
        return await EngineProblems.RunAsync(async () => TypedResults.Ok(ViewOf(await runtime.ClaimAsync(id, caller.Actor, cancellationToken))));
    }

    private static async Task<IResult> UnclaimAsync(Guid id, ClaimsPrincipal principal, WorkflowRuntime runtime, CancellationToken cancellationToken)
    {
        using var _ = LogContext.PushProperty("TaskId", id);
        var caller = WorkflowCaller.Of(principal);
        if (!caller.MayAct)
            return EngineProblems.Forbidden(EngineProblems.AuditorsChangeNothing);
        return await EngineProblems.RunAsync(async () => TypedResults.Ok(ViewOf(await runtime.UnclaimAsync(id, caller.Actor, cancellationToken))));
    }

    private static async Task<IResult> CompleteAsync(Guid id, [FromBody] CompleteRequest? request, HttpRequest http, ClaimsPrincipal principal,
        WorkflowRuntime runtime, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken cancellationToken)
    {
        using var _ = LogContext.PushProperty("TaskId", id);
        var caller = WorkflowCaller.Of(principal);
        if (!caller.MayAct)
            return EngineProblems.Forbidden(EngineProblems.AuditorsChangeNothing);
        string? key = null;
        if (http.Headers.TryGetValue(IdempotencyKeyHeader, out var values))
        {
            key = values.Count == 1 ? values[0]?.Trim() : null;
            if (string.IsNullOrEmpty(key) || key.Length > MaxIdempotencyKeyLength)
                return Problem.Validation(IdempotencyKeyHeader, new($"{IdempotencyKeyHeader} 须为 1–{MaxIdempotencyKeyLength} 个字符的单个值",
                    $"{IdempotencyKeyHeader} must be one value of 1 to {MaxIdempotencyKeyLength} characters"));
        }

        return await EngineProblems.RunAsync(async () =>
        {
            var reply = await runtime.CompleteTaskAsync(id, caller.Actor, request?.Outcome, request?.Variables ?? [], key,
                completed => new IdempotentReply(StatusCodes.Status200OK, JsonSerializer.Serialize(
                    new CompletedTaskView(completed.TaskId, completed.InstanceId, Word(completed.InstanceStatus), completed.ActiveElementIds),
                    json.Value.SerializerOptions)),
                cancellationToken);
            // The first answer and every replay are the same bytes.
            return Results.Text(reply.Body, "application/json; charset=utf-8", Encoding.UTF8, reply.Status);
        });
    }

    /// <summary>The opaque keyset cursor: the last task's due date (or none) and id.</summary>
    internal static class Cursor
    {
        public static string Encode(TaskRecord last) =>
            Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
                $"{(last.DueAt is { } due ? due.UtcTicks.ToString(CultureInfo.InvariantCulture) : "-")}~{last.Id:N}"));

        public static bool TryDecode(string text, out (DateTimeOffset? DueAt, Guid Id) after)
        {
            after = default;
            if (text.Length is 0 or > 200 || !Base64Url.IsValid(text))
                return false;
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text)).Split('~');
            if (parts.Length != 2 || !Guid.TryParseExact(parts[1], "N", out var id))
                return false;
            if (parts[0] == "-")
            {
                after = (null, id);
                return true;
            }
            if (!long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                || ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
                return false;
            after = (new DateTimeOffset(ticks, TimeSpan.Zero), id);
            return true;
        }
    }
}
