using System.Security.Claims;
using CleanProdFlow.Domain.Common;
using CleanProdFlow.Engine.Expressions;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.Timing;
using CleanProdFlow.Web.Api.Problems;
using CleanProdFlow.Web.Scheduling;
using CleanProdFlow.Web.Security;
using FieldError = CleanProdFlow.Domain.Common.FieldError;

namespace CleanProdFlow.Web.VirtualTime;

/// <summary>
/// /api/v1/clock, mapped only with <c>Clock:Mode=Virtual</c> (a 404 otherwise): read the virtual time, and move it
/// forward, firing every workflow timer that falls due on the way (chains and cycles included) before answering.
/// </summary>
public static class ClockEndpoints
{
    public sealed record AdvanceRequest(string? By, string? To);

    public sealed record ClockView(DateTimeOffset Now, string Mode);

    public sealed record AdvancedView(DateTimeOffset Now, int TimersFired);

    public static void MapClock(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/clock").WithTags("clock");
        group.MapGet("", (VirtualTimeProvider clock) => TypedResults.Ok(new ClockView(clock.GetUtcNow().ToBeijing(), "virtual")))
            .WithName("GetClock").WithSummary("The virtual time (only with Clock:Mode=Virtual)")
            .Produces<ClockView>();
        group.MapPost("/advance", AdvanceAsync).WithName("AdvanceClock")
            .WithSummary("Move the virtual clock forward by an ISO-8601 duration ({\"by\":\"P3D\"}) or to an instant ({\"to\":\"…+08:00\"}) and fire every timer that fell due (administrators)")
            .RequireAuthorization(SecurityRegistration.AdminPolicy)
            .Produces<AdvancedView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden);
    }

    private static async Task<IResult> AdvanceAsync(AdvanceRequest request, VirtualTimeProvider clock, WorkflowRuntime runtime,
        ClaimsPrincipal principal, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var by = string.IsNullOrWhiteSpace(request.By) ? null : request.By.Trim();
        var to = string.IsNullOrWhiteSpace(request.To) ? null : request.To.Trim();
        if (by is not null && to is not null)
        {
            var both = new LocalizedText("请只给出 by（时长）或 to（时刻）之一", "give either by (a duration) or to (an instant), not both");
            return Problem.Validation([new FieldError("by", both), new FieldError("to", both)]);
        }
        if (by is null && to is null)
        {
            var neither = new LocalizedText("请给出 by（ISO-8601 时长，如 P3D）或 to（带时区的时刻，如 2026-10-12T09:00:00+08:00）",
                "give by (an ISO-8601 duration such as P3D) or to (an instant with its offset such as 2026-10-12T09:00:00+08:00)");
            return Problem.Validation([new FieldError("by", neither), new FieldError("to", neither)]);
        }

        await clock.Moving.WaitAsync(cancellationToken);
        try
        {
            var now = clock.GetUtcNow();
            DateTimeOffset target;
            if (by is not null)
            {
                if (TimerSchedule.TryParse(TimerKind.Duration, by, out var error) is not { } duration || duration.NextAfter(now) is not { } after)
                    return Problem.Validation("by", new(error?.MessageZh ?? $"“{by}”不是 ISO-8601 时长", error?.Message ?? $"'{by}' is not an ISO-8601 duration"));
                target = after;
            }
            else
            {
                if (ClockSettings.ParseInstantWithOffset(to) is not { } instant)
                    return Problem.Validation("to", new($"“{to}”不是带时区的 ISO-8601 时刻（如 2026-10-12T09:00:00+08:00）",
                        $"'{to}' is not an ISO-8601 instant with its offset (e.g. 2026-10-12T09:00:00+08:00)"));
                if (instant <= now)
                    return Problem.Validation("to", new($"时钟只能向前拨：{BeijingTime.Format(instant)} 不晚于当前的 {BeijingTime.Format(now)}（北京时间）",
                        $"the clock only moves forward: {BeijingTime.Format(instant)} is not later than the current {BeijingTime.Format(now)} (Beijing time)"));
                target = instant;
            }
            clock.MoveTo(target);

            // Everything due before the new now fires, including timers that firing armed (chains, cycles).
            var logger = loggers.CreateLogger(typeof(ClockEndpoints));
            var fired = await TimerJobs.FireAllDueAsync(runtime, logger, cancellationToken);
            logger.LogWarning("{User} moved the virtual clock from {From} to {To}; {Fired} timers fired",
                principal.Username(), now, clock.GetUtcNow(), fired);
            return TypedResults.Ok(new AdvancedView(clock.GetUtcNow().ToBeijing(), fired));
        }
        finally
        {
            clock.Moving.Release();
        }
    }
}
