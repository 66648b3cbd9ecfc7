using System.Security.Claims;
using CleanProdFlow.Data.Eia;
using CleanProdFlow.Data.Timing;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.Timing;
using CleanProdFlow.Web.Api.Clocks;
using CleanProdFlow.Web.Api.Enterprises;
using CleanProdFlow.Web.Api.Problems;
using CleanProdFlow.Web.Api.Workflows;
using CleanProdFlow.Web.Timing;
using Serilog.Context;
using static CleanProdFlow.Web.Api.Eia.EiaViews;
using TaskStatus = CleanProdFlow.Engine.Runtime.TaskStatus;

namespace CleanProdFlow.Web.Api.Eia;

/// <summary>
/// <c>GET /api/v1/eia/applications/{caseNumber}</c>: the case as a whole — application, track and reason, status,
/// current tasks (of every role and organisation, e.g. a quota escalation at the province), every clock with its
/// explanation, and the journal. The city's staff, the province and auditors see it; another city gets a 404.
/// </summary>
public static class GetCase
{
    public static void MapGetCase(this RouteGroupBuilder group) =>
        group.MapGet("/{caseNumber}", GetAsync).WithName("GetEiaCase")
            .WithSummary("An EIA case: application, track and reason, status, current tasks, clocks with their explanation, journal")
            .Produces<CaseView>().ProducesProblem(StatusCodes.Status404NotFound);

    private static IResult NotFound(string caseNumber) =>
        Problem.Status(StatusCodes.Status404NotFound, new("找不到该环评申请", "No such EIA application"),
            new($"没有受理编号为 {caseNumber} 的环评申请（或不属于本单位）", $"No EIA application {caseNumber} (or not of your organisation)"));

    private static async Task<IResult> GetAsync(string caseNumber, ClaimsPrincipal principal, EiaApplicationStore applications, IWorkflowStore workflows,
        ClockStore clocks, StatutoryTime statutory, TimeProvider time, CancellationToken cancellationToken)
    {
        using var _ = LogContext.PushProperty("CaseNumber", caseNumber);
        var application = await applications.FindAsync(caseNumber.Trim(), cancellationToken);
        // Another city's case is "not found": its existence does not leak.
        if (application is null || !WorkflowCaller.Of(principal).MaySeeInstanceOf(application.City))
            return NotFound(caseNumber);

        CaseInstanceView? instance = null;
        List<WorkflowViews.TaskView> tasks = [];
        List<ClockEndpoints.ClockView> clockViews = [];
        List<WorkflowViews.JournalView> journal = [];
        if (application.InstanceId is { } id && await workflows.FindInstanceAsync(id, cancellationToken) is { } stored)
        {
            var state = stored.State;
            instance = new CaseInstanceView(state.Id, state.DefinitionKey, state.Version, WorkflowViews.Word(state.Status), state.ActiveElementIds,
                WorkflowViews.ViewOf(state).Incidents);
            tasks = (await workflows.ListTasksAsync(new TaskQuery { InstanceId = id, Status = TaskStatus.Open, Limit = 200 }, cancellationToken))
                .Select(WorkflowViews.ViewOf).ToList();
            clockViews = await ClockEndpoints.ClocksOfAsync(id, clocks, statutory, time.GetUtcNow(), cancellationToken);
            journal = (await workflows.JournalAsync(id, cancellationToken)).OrderBy(j => j.Sequence).Select(WorkflowViews.ViewOf).ToList();
        }

        return TypedResults.Ok(new CaseView(ViewOf(application), application.Track, TrackReason(application),
            EnterpriseEndpoints.ViewOf(application.Eligibility),
            application.FastTrackEndedAt is { } endedAt ? new FastTrackEndedView(endedAt.ToBeijing(), application.FastTrackEndReason) : null,
            application.Status, StatusName(application.Status), application.StatusChangedAt.ToBeijing(), instance, tasks, clockViews, journal));
    }
}
