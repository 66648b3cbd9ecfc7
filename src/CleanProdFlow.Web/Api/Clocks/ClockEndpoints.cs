using System.Globalization;
using System.Security.Claims;
using CleanProdFlow.Data.Timing;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.Timing;
using CleanProdFlow.Timing.Clocks;
using CleanProdFlow.Web.Api.Problems;
using CleanProdFlow.Web.Api.Workflows;
using CleanProdFlow.Web.Clocks;
using CleanProdFlow.Web.Timing;

namespace CleanProdFlow.Web.Api.Clocks;

/// <summary>
/// The statutory clocks of an instance: each with its explanation (rule, legal basis, start, pauses and extensions,
/// calendar version, due date, used and left), and the staff actions the law allows — pause and resume with the
/// reason and legal basis (e.g. 专家评审, 行政许可法 art. 45), extension by the approver (art. 42). Each action moves
/// the timers and task due dates bound to the clock in the same transaction and is journaled.
/// </summary>
public static class ClockEndpoints
{
    public sealed record ClockView(string Name, string? Rule, string RuleName, string? LegalBasis, string State, bool FastTrack, bool Halved,
        DateTimeOffset StartedAt, DateTimeOffset? DueAt, string? DueDate, string CalendarVersion, int WorkingDaysUsed, int? WorkingDaysLeft,
        bool Overdue, IReadOnlyList<string> Explanation);

    public sealed record BreachView(string Clock, string? Rule, DateTimeOffset DueAt, DateTimeOffset DetectedAt, int WorkingDaysOverdue, string? ElementId);

    public sealed record PauseRequest(string? Reason, string? LegalBasis);

    public sealed record ExtendRequest(int? Days, string? Reason);

    public static void MapClocks(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/instances/{id:guid}").WithTags("clocks");
        group.MapGet("/clocks", ListAsync).WithName("ListInstanceClocks")
            .WithSummary("The statutory clocks of an instance, each with its explanation, due date, working days used and left")
            .Produces<List<ClockView>>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/breaches", BreachesAsync).WithName("ListInstanceBreaches")
            .WithSummary("The time limits of an instance that were not met")
            .Produces<List<BreachView>>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/clocks/{name}/pause", PauseAsync).WithName("PauseClock")
            .WithSummary("Pause a clock with its reason and legal basis (time not counted, e.g. expert review — 行政许可法 art. 45)")
            .Produces<ClockView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/clocks/{name}/resume", ResumeAsync).WithName("ResumeClock")
            .WithSummary("Resume a paused clock")
            .Produces<ClockView>().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/clocks/{name}/extend", ExtendAsync).WithName("ExtendClock")
            .WithSummary("Extend a clock by working days, approved by the caller (approvers; 行政许可法 art. 42)")
            .Produces<ClockView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static Language CallerLanguage => Languages.FromTag(CultureInfo.CurrentUICulture.Name);

    public static ClockView ViewOf(string name, Clock clock, DateTimeOffset now, StatutoryTime statutory)
    {
        var progress = clock.ProgressAt(now, statutory.Calendar);
        return new ClockView(name, clock.EffectiveLimit.RuleId, clock.EffectiveLimit.Name(CallerLanguage), clock.EffectiveLimit.LegalBasis, clock.State.ToString().ToLowerInvariant(),
            clock.IsFastTrackInForce, clock.EffectiveLimit.IsHalved(clock.IsFastTrackInForce), clock.StartedAt.ToBeijing(), clock.DueAt?.ToBeijing(),
            clock.DueDate is { } due ? BeijingTime.Format(due) : null, clock.CalendarVersion, progress.WorkingDaysUsed, progress.WorkingDaysLeft,
            progress.IsOverdue, clock.Explain(now, statutory.Calendar, CallerLanguage));
    }

    /// <summary>Every clock of an instance as the case pages and the EIA case view show it.</summary>
    public static async Task<List<ClockView>> ClocksOfAsync(Guid instanceId, ClockStore clocks, StatutoryTime statutory, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var prefix = WorkflowRuntime.ClockSubject(instanceId, "");
        var stored = await clocks.ListBySubjectPrefixAsync(prefix, cancellationToken);
        return stored.Select(c => ViewOf(c.Subject[prefix.Length..], c.Clock, now, statutory)).ToList();
    }

    private static IResult NoInstance(Guid id) =>
        Problem.Status(StatusCodes.Status404NotFound, new("找不到该流程实例", "No such instance"),
            new($"没有标识为 {id} 的流程实例（或不属于本单位）", $"No instance {id} (or not of your organisation)"));

    private static async Task<bool> VisibleAsync(Guid id, WorkflowCaller caller, IWorkflowStore store, CancellationToken cancellationToken) =>
        await store.FindInstanceAsync(id, cancellationToken) is { } stored && caller.MaySeeInstanceOf(stored.State.Organisation);

    private static async Task<IResult> ListAsync(Guid id, ClaimsPrincipal principal, IWorkflowStore store, ClockStore clocks, StatutoryTime statutory,
        TimeProvider time, CancellationToken cancellationToken)
    {
        if (!await VisibleAsync(id, WorkflowCaller.Of(principal), store, cancellationToken))
            return NoInstance(id);
        return TypedResults.Ok(await ClocksOfAsync(id, clocks, statutory, time.GetUtcNow(), cancellationToken));
    }

    private static async Task<IResult> BreachesAsync(Guid id, ClaimsPrincipal principal, IWorkflowStore store, ClockBreachStore breaches,
        CancellationToken cancellationToken)
    {
        if (!await VisibleAsync(id, WorkflowCaller.Of(principal), store, cancellationToken))
            return NoInstance(id);
        var rows = await breaches.OfInstanceAsync(id, cancellationToken);
        return TypedResults.Ok(rows.Select(b => new BreachView(b.ClockName, b.RuleId, b.DueAt.ToBeijing(), b.DetectedAt.ToBeijing(),
            b.WorkingDaysOverdue, b.ElementId)).ToList());
    }

    private static async Task<IResult> PauseAsync(Guid id, string name, PauseRequest request, ClaimsPrincipal principal, ClockActions actions,
        CancellationToken cancellationToken) =>
        ResultOf(await actions.PauseAsync(id, name, request.Reason, request.LegalBasis, WorkflowCaller.Of(principal), cancellationToken));

    private static async Task<IResult> ResumeAsync(Guid id, string name, ClaimsPrincipal principal, ClockActions actions,
        CancellationToken cancellationToken) =>
        ResultOf(await actions.ResumeAsync(id, name, WorkflowCaller.Of(principal), cancellationToken));

    private static async Task<IResult> ExtendAsync(Guid id, string name, ExtendRequest request, ClaimsPrincipal principal, ClockActions actions,
        CancellationToken cancellationToken) =>
        ResultOf(await actions.ExtendAsync(id, name, request.Days, request.Reason, WorkflowCaller.Of(principal), cancellationToken));

    /// <summary>A staff action's outcome as the API answers it: the clock, or problem+json (the engine's refusals as everywhere).</summary>
    private static IResult ResultOf(ClockActionResult result) => result switch
    {
        { Clock: { } clock } => TypedResults.Ok(clock),
        { EngineRefused: { } refusal } => EngineProblems.From(refusal),
        { Refused: { Errors.Count: > 0 } refused } => Problem.Validation(refused.Errors),
        { Refused: { } refused } => Problem.Status(refused.Status, refused.Title, refused.Detail),
        _ => throw new InvalidOperationException("a clock action ended with neither a clock nor a refusal"),
    };
}
