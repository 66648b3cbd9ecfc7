using System.Security.Claims;
using System.Text.Json.Nodes;
using CleanProdFlow.Domain.Common;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.Web.Api.Problems;
using CleanProdFlow.Web.Security;
using Microsoft.AspNetCore.Mvc;
using Serilog.Context;
using static CleanProdFlow.Web.Api.Workflows.WorkflowViews;

namespace CleanProdFlow.Web.Api.Workflows;

/// <summary>
/// /api/v1/instances: start a process, read where it stands and what happened (the journal), and the
/// administrator's repairs: retry an incident, cancel, migrate to a newer version.
/// </summary>
public static class InstanceEndpoints
{
    private const int MaxBusinessKeyLength = 200;
    private const int MaxReasonLength = 1_000;

    public sealed record StartRequest(string? DefinitionKey, string? BusinessKey, JsonObject? Variables);

    public sealed record StartedView(Guid Id, string Status);

    public sealed record CancelRequest(string? Reason);

    public sealed record MigrateRequest(int? ToVersion, Dictionary<string, string>? Mapping, bool? DryRun);

    public sealed record MigrationView(Guid InstanceId, int FromVersion, int ToVersion, bool DryRun, bool Migrated,
        IReadOnlyDictionary<string, string> Mapping, IReadOnlyList<EngineProblems.ElementProblem> Problems);

    public static void MapInstances(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/instances").WithTags("workflows");
        group.MapPost("/", StartAsync).WithName("StartInstance")
            .WithSummary("Start an instance of the published version of a definition, for the caller's organisation (staff; not auditors)")
            .Produces<StartedView>(StatusCodes.Status201Created).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/{id:guid}", GetAsync).WithName("GetInstance")
            .WithSummary("Where an instance stands: status, active elements, variables, open incidents")
            .Produces<InstanceView>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id:guid}/journal", JournalAsync).WithName("GetInstanceJournal")
            .WithSummary("Everything that happened to an instance, in order (append-only evidence; times in Beijing time)")
            .Produces<IReadOnlyList<JournalView>>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id:guid}/journal/verify", VerifyJournalAsync).WithName("VerifyInstanceJournal")
            .WithSummary("Recompute the journal's hash chain: intact, or the first position where a row was altered, inserted or removed")
            .Produces<JournalVerification>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id:guid}/incidents/{incidentId:guid}/retry", RetryAsync).WithName("RetryIncident")
            .WithSummary("Retry an incident: the failed handler runs again, or the gateway is evaluated again (administrators)")
            .RequireAuthorization(SecurityRegistration.AdminPolicy)
            .Produces<InstanceView>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{id:guid}/cancel", CancelAsync).WithName("CancelInstance")
            .WithSummary("Terminate a running instance with a reason (administrators)")
            .RequireAuthorization(SecurityRegistration.AdminPolicy)
            .Produces<InstanceView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{id:guid}/migrate", MigrateAsync).WithName("MigrateInstance")
            .WithSummary("Plan (dryRun, the default) or perform the move of a running instance to a newer published version, mapping its active elements (administrators)")
            .RequireAuthorization(SecurityRegistration.AdminPolicy)
            .Produces<MigrationView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static IResult NotFound(Guid id) =>
        Problem.Status(StatusCodes.Status404NotFound, new("找不到该流程实例", "No such instance"),
            new($"没有标识为 {id} 的流程实例（或不属于本单位）", $"No instance {id} (or not of your organisation)"));

    /// <summary>The instance when the caller may see it; otherwise null (answer 404: existence does not leak).</summary>
    private static async Task<StoredInstance?> VisibleAsync(Guid id, WorkflowCaller caller, IWorkflowStore store, CancellationToken cancellationToken)
    {
        var stored = await store.FindInstanceAsync(id, cancellationToken);
        return stored is not null && caller.MaySeeInstanceOf(stored.State.Organisation) ? stored : null;
    }

    private static async Task<IResult> StartAsync(StartRequest request, ClaimsPrincipal principal, WorkflowRuntime runtime, ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var caller = WorkflowCaller.Of(principal);
        if (!caller.MayAct)
            return EngineProblems.Forbidden(EngineProblems.AuditorsChangeNothing);
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(request.DefinitionKey))
            errors.Add(new("definitionKey", new("须指定流程定义（definitionKey）", "definitionKey is required")));
        if (request.BusinessKey is { Length: > MaxBusinessKeyLength })
            errors.Add(new("businessKey", new($"业务编号不能超过 {MaxBusinessKeyLength} 个字符", $"businessKey must be at most {MaxBusinessKeyLength} characters")));
        if (errors.Count > 0)
            return Problem.Validation(errors);

        return await EngineProblems.RunAsync(async () =>
        {
            var started = await runtime.StartAsync(request.DefinitionKey!.Trim(), string.IsNullOrWhiteSpace(request.BusinessKey) ? null : request.BusinessKey.Trim(),
                request.Variables ?? [], caller.Organisation, caller.Username, cancellationToken);
            using (LogContext.PushProperty("InstanceId", started.Id))
                loggers.CreateLogger(typeof(InstanceEndpoints)).LogInformation("{User} of {Organisation} started an instance of {DefinitionKey}",
                    caller.Username, caller.Organisation, request.DefinitionKey);
            return TypedResults.Created($"/api/v1/instances/{started.Id}", new StartedView(started.Id, Word(started.Status)));
        });
    }

    private static async Task<IResult> GetAsync(Guid id, ClaimsPrincipal principal, IWorkflowStore store, CancellationToken cancellationToken)
    {
        using var _ = LogContext.PushProperty("InstanceId", id);
        var stored = await VisibleAsync(id, WorkflowCaller.Of(principal), store, cancellationToken);
        return stored is null ? NotFound(id) : TypedResults.Ok(ViewOf(stored.State));
    }

    private static async Task<IResult> JournalAsync(Guid id, ClaimsPrincipal principal, IWorkflowStore store, CancellationToken cancellationToken)
    {
        using var _ = LogContext.PushProperty("InstanceId", id);
        if (await VisibleAsync(id, WorkflowCaller.Of(principal), store, cancellationToken) is null)
            return NotFound(id);
        var journal = await store.JournalAsync(id, cancellationToken);
        return TypedResults.Ok(journal.OrderBy(j => j.Sequence).Select(ViewOf).ToList());
    }

    private static async Task<IResult> VerifyJournalAsync(Guid id, ClaimsPrincipal principal, IWorkflowStore store, CancellationToken cancellationToken)
    {
        using var _ = LogContext.PushProperty("InstanceId", id);
        if (await VisibleAsync(id, WorkflowCaller.Of(principal), store, cancellationToken) is null)
            return NotFound(id);
        return TypedResults.Ok(JournalChain.Verify(id, await store.JournalAsync(id, cancellationToken)));
    }

    private static async Task<IResult> RetryAsync(Guid id, Guid incidentId, ClaimsPrincipal principal, WorkflowRuntime runtime, IWorkflowStore store,
        CancellationToken cancellationToken)
    {
        using var _ = LogContext.PushProperty("InstanceId", id);
        var caller = WorkflowCaller.Of(principal);
        if (await VisibleAsync(id, caller, store, cancellationToken) is null)
            return NotFound(id);
        return await EngineProblems.RunAsync(async () =>
        {
            await runtime.RetryIncidentAsync(id, incidentId, caller.Username, cancellationToken);
            return TypedResults.Ok(ViewOf((await store.FindInstanceAsync(id, cancellationToken))!.State));
        });
    }

    private static async Task<IResult> CancelAsync(Guid id, CancelRequest request, ClaimsPrincipal principal, WorkflowRuntime runtime, IWorkflowStore store,
        CancellationToken cancellationToken)
    {
        using var _ = LogContext.PushProperty("InstanceId", id);
        var caller = WorkflowCaller.Of(principal);
        if (string.IsNullOrWhiteSpace(request.Reason))
            return Problem.Validation("reason", new("须说明终止的理由", "a reason is required"));
        if (request.Reason.Length > MaxReasonLength)
            return Problem.Validation("reason", new($"理由不能超过 {MaxReasonLength} 个字符", $"the reason must be at most {MaxReasonLength} characters"));
        if (await VisibleAsync(id, caller, store, cancellationToken) is null)
            return NotFound(id);
        return await EngineProblems.RunAsync(async () =>
        {
            await runtime.CancelInstanceAsync(id, caller.Username, request.Reason.Trim(), cancellationToken);
            return TypedResults.Ok(ViewOf((await store.FindInstanceAsync(id, cancellationToken))!.State));
        });
    }

    private static async Task<IResult> MigrateAsync(Guid id, MigrateRequest request, ClaimsPrincipal principal, WorkflowRuntime runtime, IWorkflowStore store,
        CancellationToken cancellationToken)
    {
        using var _ = LogContext.PushProperty("InstanceId", id);
        var caller = WorkflowCaller.Of(principal);
        if (request.ToVersion is not { } toVersion || toVersion < 1)
            return Problem.Validation("toVersion", new("须指定目标版本（toVersion，正整数）", "toVersion (a positive whole number) is required"));
        var blank = (request.Mapping ?? []).Where(p => string.IsNullOrWhiteSpace(p.Key) || string.IsNullOrWhiteSpace(p.Value)).ToList();
        if (blank.Count > 0)
            return Problem.Validation(blank.Select(p => new FieldError($"mapping.{p.Key}",
                new("映射的源元素和目标元素都须为元素标识", "both sides of a mapping must be element ids"))));
        if (await VisibleAsync(id, caller, store, cancellationToken) is null)
            return NotFound(id);
        var dryRun = request.DryRun ?? true;
        return await EngineProblems.RunAsync(async () =>
        {
            var result = await runtime.MigrateAsync(id, toVersion, request.Mapping ?? [], dryRun, caller.Username, cancellationToken);
            var view = new MigrationView(result.InstanceId, result.FromVersion, result.ToVersion, result.DryRun, result.Migrated, result.Mapping,
                result.Problems.Select(EngineProblems.View).ToList());
            if (dryRun || result.Problems.Count == 0)
                return TypedResults.Ok(view);
            var problem = new ProblemDetails
            {
                Status = StatusCodes.Status409Conflict,
                Title = new LocalizedText("无法迁移该实例，未作任何更改", "The instance cannot be migrated; nothing changed").In(),
                Detail = new LocalizedText("每个问题都标明了所涉及的元素；请调整映射（mapping）后重试", "Each problem names its element; adjust the mapping and try again").In(),
            };
            problem.Extensions["instanceId"] = view.InstanceId;
            problem.Extensions["fromVersion"] = view.FromVersion;
            problem.Extensions["toVersion"] = view.ToVersion;
            problem.Extensions["dryRun"] = view.DryRun;
            problem.Extensions["migrated"] = view.Migrated;
            problem.Extensions["mapping"] = view.Mapping;
            problem.Extensions["problems"] = view.Problems;
            return TypedResults.Problem(problem);
        });
    }
}
