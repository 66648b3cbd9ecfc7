using System.Globalization;
using System.Security.Claims;
using CleanProdFlow.Data.Timing;
using CleanProdFlow.Domain.Access;
using CleanProdFlow.Engine.Execution;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.Timing;
using CleanProdFlow.Timing.Clocks;
using CleanProdFlow.Timing.Rules;
using CleanProdFlow.Web.Api.Problems;
using CleanProdFlow.Web.Api.Workflows;
using CleanProdFlow.Web.Security;
using CleanProdFlow.Web.Timing;
using CleanProdFlow.Web.Workflows;
using Serilog.Context;

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
        return new ClockView(name, clock.Limit.RuleId, clock.Limit.Name(CallerLanguage), clock.Limit.LegalBasis, clock.State.ToString().ToLowerInvariant(),
            clock.IsFastTrackInForce, clock.Limit.IsHalved(clock.IsFastTrackInForce), clock.StartedAt.ToBeijing(), clock.DueAt?.ToBeijing(),
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

    private static IResult NoClock(string name) =>
        Problem.Status(StatusCodes.Status404NotFound, new("找不到该计时", "No such clock"),
            new($"该实例没有名为“{name}”的计时", $"The instance has no clock '{name}'"));

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

    private static Task<IResult> PauseAsync(Guid id, string name, PauseRequest request, ClaimsPrincipal principal, WorkflowRuntime runtime,
        IWorkflowStore store, ClockStore clocks, StatutoryTime statutory, TimeProvider time, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Reason))
            return Task.FromResult(Problem.Validation("reason", new("暂停须说明理由（如：专家评审、听证、申请人补正材料）",
                "a pause needs its reason (e.g. expert review, hearing, the applicant correcting materials)")));
        var reason = request.Reason.Trim();
        var legalBasis = string.IsNullOrWhiteSpace(request.LegalBasis) ? null : request.LegalBasis.Trim();
        return ChangeAsync(id, name, principal, approverOnly: false, runtime, store, clocks, statutory, time,
            legalBasis is null ? $"paused: {reason}" : $"paused: {reason} ({legalBasis})",
            (clock, now) => clock.Pause(now, reason, legalBasis, statutory.Calendar), cancellationToken);
    }

    private static Task<IResult> ResumeAsync(Guid id, string name, ClaimsPrincipal principal, WorkflowRuntime runtime, IWorkflowStore store,
        ClockStore clocks, StatutoryTime statutory, TimeProvider time, CancellationToken cancellationToken) =>
        ChangeAsync(id, name, principal, approverOnly: false, runtime, store, clocks, statutory, time, "resumed",
            (clock, now) => clock.Resume(now, statutory.Calendar), cancellationToken);

    private static Task<IResult> ExtendAsync(Guid id, string name, ExtendRequest request, ClaimsPrincipal principal, WorkflowRuntime runtime,
        IWorkflowStore store, ClockStore clocks, StatutoryTime statutory, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new List<Domain.Common.FieldError>();
        if (request.Days is not > 0)
            errors.Add(new("days", new("延长天数须为正整数（工作日）", "days must be a positive number of working days")));
        if (string.IsNullOrWhiteSpace(request.Reason))
            errors.Add(new("reason", new("延长须说明理由", "an extension needs its reason")));
        if (errors.Count > 0)
            return Task.FromResult(Problem.Validation(errors));
        var approver = principal.Username();
        var reason = request.Reason!.Trim();
        return ChangeAsync(id, name, principal, approverOnly: true, runtime, store, clocks, statutory, time,
            $"extended by {request.Days} working days, approved by {approver}: {reason}",
            (clock, now) => clock.Extend(now, request.Days!.Value, approver, reason, statutory.Calendar), cancellationToken);
    }

    /// <summary>One staff action on a clock: checked, applied in the engine's transaction, bound timers moved, journaled.</summary>
    private static async Task<IResult> ChangeAsync(Guid id, string name, ClaimsPrincipal principal, bool approverOnly, WorkflowRuntime runtime,
        IWorkflowStore store, ClockStore clocks, StatutoryTime statutory, TimeProvider time, string reason,
        Func<Clock, DateTimeOffset, ClockResult> change, CancellationToken cancellationToken)
    {
        using var _ = LogContext.PushProperty("InstanceId", id);
        var caller = WorkflowCaller.Of(principal);
        if (!await VisibleAsync(id, caller, store, cancellationToken))
            return NoInstance(id);
        if (!caller.MayAct)
            return EngineProblems.Forbidden(EngineProblems.AuditorsChangeNothing);
        if (approverOnly && !caller.Roles.Contains(Roles.Approver))
            return Problem.Status(StatusCodes.Status403Forbidden, new("只有审批人可以批准延长期限", "Only an approver may extend a time limit"),
                new("《中华人民共和国行政许可法》第四十二条：经本行政机关负责人批准，可以延长", "Administrative Licensing Law art. 42: extended with the approval of the head of the authority"));
        var subject = WorkflowRuntime.ClockSubject(id, name);
        if (await clocks.FindAsync(subject, cancellationToken) is null)
            return NoClock(name);

        Clock? changed = null;
        return await EngineProblems.RunAsync(async () =>
        {
            await runtime.ChangeClockAsync(id, name, caller.Username, reason, async transaction =>
            {
                var stored = await clocks.FindAsync(subject, cancellationToken, transaction)
                    ?? throw new EngineRefusal(RefusalKind.NotFound, $"the instance has no clock '{name}'", $"该实例没有名为“{name}”的计时");
                var result = change(stored.Clock, time.GetUtcNow());
                if (!result.Accepted)
                    throw Refusal(result.Refusal!);
                if (!await clocks.ReplaceAsync(stored, result.Clock!, time.GetUtcNow(), null, cancellationToken, transaction))
                    throw new EngineRefusal(RefusalKind.Conflict, "the clock was changed by someone else just now", "该计时刚被他人修改，请重试");
                changed = result.Clock!;
                return StatutoryDueDates.TimesOf(changed, statutory.Calendar);
            }, cancellationToken);
            return TypedResults.Ok(ViewOf(name, changed!, time.GetUtcNow(), statutory));
        });
    }

    /// <summary>A refused clock event: a missing or wrong value is 400 on its field; the clock's state forbidding it is 409.</summary>
    private static EngineRefusal Refusal(ClockRefusal refusal) => refusal.Reason is ClockRefusalReason.MissingField or ClockRefusalReason.InvalidDays
        ? new EngineRefusal(RefusalKind.Invalid, refusal.MessageEn, refusal.MessageZh, [new RefusalProblem(refusal.Field, refusal.MessageEn, refusal.MessageZh)])
        : new EngineRefusal(RefusalKind.Conflict, refusal.MessageEn, refusal.MessageZh);
}
