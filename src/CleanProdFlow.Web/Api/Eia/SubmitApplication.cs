using System.Security.Claims;
using System.Text.Json.Nodes;
using CleanProdFlow.Data.Eia;
using CleanProdFlow.Data.Enterprises;
using CleanProdFlow.Data.Timing;
using CleanProdFlow.Domain.Access;
using CleanProdFlow.Domain.Eia;
using CleanProdFlow.Domain.Eligibility;
using CleanProdFlow.Engine.Execution;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.Web.Api.Clocks;
using CleanProdFlow.Web.Api.Enterprises;
using CleanProdFlow.Web.Api.Problems;
using CleanProdFlow.Web.Api.Workflows;
using CleanProdFlow.Web.Eia;
using CleanProdFlow.Web.Timing;
using Serilog.Context;
using static CleanProdFlow.Web.Api.Eia.EiaViews;
using TaskStatus = CleanProdFlow.Engine.Runtime.TaskStatus;

namespace CleanProdFlow.Web.Api.Eia;

/// <summary>
/// <c>POST /api/v1/eia/applications</c>: an acceptance officer (or an administrator) records an EIA application on
/// the day it arrives. The enterprise must be in the register; the track is decided by its eligibility on the
/// acceptance date; the application gets its case number and the matching workflow starts at once, for the city.
/// With an <c>Idempotency-Key</c> a retry (a double click, a lost answer) gets the case it recorded, never a second
/// number: case numbers are gap-free and never reused, so a duplicate could only be withdrawn, not undone.
/// </summary>
public static class SubmitApplication
{
    public sealed record SubmitApplicationRequest(string? CreditCode, string? ProjectName, string? Kind, string? DocumentType, string? City,
        JsonObject? QuotaNeeds, string? ReceivedAt);

    public static void MapSubmitApplication(this RouteGroupBuilder group) =>
        group.MapPost("/", SubmitAsync).WithName("SubmitEiaApplication")
            .WithSummary("Record an EIA application received today: case number, track (green channel or standard) with the reason, and its workflow started (acceptance officers and administrators); an Idempotency-Key makes a retry answer the case it recorded (200)")
            .Produces<SubmittedView>(StatusCodes.Status201Created).Produces<SubmittedView>(StatusCodes.Status200OK).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    private static async Task<IResult> SubmitAsync(SubmitApplicationRequest request, HttpRequest http, ClaimsPrincipal principal,
        EnterpriseStore enterprises, EiaApplicationStore applications, IWorkflowStore workflows, EiaWorkflowStart starts, ClockStore clocks,
        StatutoryTime statutory, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var caller = WorkflowCaller.Of(principal);
        if (!caller.Roles.Contains(Roles.Acceptance) && !caller.Roles.Contains(Roles.Admin))
            return EngineProblems.Forbidden(new("只有受理岗或管理员可以登记环评申请（督查/审计人员只能查看）",
                "Only acceptance officers and administrators record EIA applications (auditors read only)"));
        string? key = null;
        if (http.Headers.TryGetValue(TaskEndpoints.IdempotencyKeyHeader, out var values))
        {
            key = values.Count == 1 ? values[0]?.Trim() : null;
            if (string.IsNullOrEmpty(key) || key.Length > TaskEndpoints.MaxIdempotencyKeyLength)
                return Problem.Validation(TaskEndpoints.IdempotencyKeyHeader, new($"{TaskEndpoints.IdempotencyKeyHeader} 须为 1–{TaskEndpoints.MaxIdempotencyKeyLength} 个字符的单个值",
                    $"{TaskEndpoints.IdempotencyKeyHeader} must be one value of 1 to {TaskEndpoints.MaxIdempotencyKeyLength} characters"));
            // A retry of a request that was recorded: its case, not a second number (also on a later day).
            if (await applications.FindByIntakeKeyAsync(caller.Username, key, cancellationToken) is { } earlier)
                return await ReplayAsync(earlier, request, applications, workflows, starts, clocks, statutory, time, loggers, cancellationToken);
        }

        var now = time.GetUtcNow();
        var input = new NewEiaApplication(request.CreditCode, request.ProjectName, request.Kind, request.DocumentType, request.City,
            request.QuotaNeeds, request.ReceivedAt).Check(now, out var errors);
        if (input is null)
            return Problem.Validation(errors);
        if (!caller.IsProvince && caller.Organisation != input.City)
            return EngineProblems.Forbidden(new($"设区市工作人员只能登记本市（{caller.Organisation}）的环评申请", $"City staff record applications of their own city ({caller.Organisation}) only"));
        if (await enterprises.FindAsync(input.CreditCode, cancellationToken) is not { } enterprise)
            return Problem.Validation("creditCode", new($"登记簿中没有统一社会信用代码为 {input.CreditCode} 的企业：请先登记企业（POST /api/v1/enterprises）",
                $"no enterprise {input.CreditCode} in the register: register it first (POST /api/v1/enterprises)"));

        var eligibility = EligibilityDecision.Evaluate(input.AcceptanceDate,
            await enterprises.AuditResultsAsync(input.CreditCode, cancellationToken), await enterprises.PenaltiesAsync(input.CreditCode, cancellationToken));
        var track = EiaTrack.Decide(eligibility);
        // Checked before a number is taken: a number, once given, belongs to a case for good.
        if (await workflows.LatestPublishedAsync(track.DefinitionKey, cancellationToken) is null)
            return Problem.Status(StatusCodes.Status503ServiceUnavailable, new("环评审批流程未发布，暂不能登记", "The EIA workflow is not published; nothing was recorded"),
                new($"流程定义“{track.DefinitionKey}”没有已发布的版本（随程序发布的 workflows/{track.DefinitionKey}.bpmn 应在启动时发布）",
                    $"definition '{track.DefinitionKey}' has no published version (workflows/{track.DefinitionKey}.bpmn is published at start-up)"));

        var (caseNumber, created) = await applications.CreateAsync(input, track, now, caller.Username, key, cancellationToken);
        if (!created)
            return await ReplayAsync((await applications.FindAsync(caseNumber, cancellationToken))!, request, applications, workflows, starts, clocks,
                statutory, time, loggers, cancellationToken);
        using var _ = LogContext.PushProperty("CaseNumber", caseNumber);
        var logger = loggers.CreateLogger(typeof(SubmitApplication));
        StartedInstance started;
        try
        {
            started = await starts.StartAsync(caseNumber, input, enterprise.Enterprise.Name, track, caller.Username, cancellationToken);
        }
        catch (EngineRefusal refusal)
        {
            return NotStarted(logger, caseNumber, track.DefinitionKey, refusal);
        }
        logger.LogInformation("{User} recorded EIA application {CaseNumber} of {CreditCode} for {City}: {Track} track, instance {InstanceId}",
            caller.Username, caseNumber, input.CreditCode, input.City, track.Name, started.Id);

        var stored = (await applications.FindAsync(caseNumber, cancellationToken))!;
        return TypedResults.Created(Location(caseNumber), await AnswerAsync(stored, workflows, clocks, statutory, time, cancellationToken));
    }

    private static string Location(string caseNumber) => $"/api/v1/eia/applications/{Uri.EscapeDataString(caseNumber)}";

    /// <summary>The application is recorded; its workflow could not start (not published, refused): 503 naming the case.</summary>
    private static IResult NotStarted(ILogger logger, string caseNumber, string definitionKey, EngineRefusal refusal)
    {
        logger.LogError("EIA application {CaseNumber} was recorded but its workflow {DefinitionKey} did not start: {Reason}",
            caseNumber, definitionKey, refusal.Message);
        return Problem.Status(StatusCodes.Status503ServiceUnavailable, new("申请已登记，但审批流程未能启动", "The application was recorded but its workflow did not start"),
            new($"受理编号 {caseNumber}；原因：{refusal.MessageZh}。请联系管理员", $"case number {caseNumber}; reason: {refusal.Message}. Contact an administrator"));
    }

    /// <summary>
    /// The same Idempotency-Key again: the case it recorded (200), where it stands now — started now if the first
    /// request stopped before its workflow started. The key belongs to one application: another body with it is a
    /// 409, nothing recorded.
    /// </summary>
    private static async Task<IResult> ReplayAsync(EiaApplication earlier, SubmitApplicationRequest request, EiaApplicationStore applications,
        IWorkflowStore workflows, EiaWorkflowStart starts, ClockStore clocks, StatutoryTime statutory, TimeProvider time, ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var same = string.Equals(request.CreditCode?.Trim(), earlier.CreditCode, StringComparison.OrdinalIgnoreCase)
            && request.City?.Trim() == earlier.City && request.DocumentType?.Trim() == earlier.DocumentType
            && request.Kind?.Trim() == earlier.Kind && request.ProjectName?.Trim() == earlier.ProjectName;
        if (!same)
            return Problem.Status(StatusCodes.Status409Conflict, new("该幂等键已用于另一项申请", "This Idempotency-Key was used for another application"),
                new($"您此前以该键登记了 {earlier.CaseNumber}；新的申请请使用新的键", $"you recorded {earlier.CaseNumber} with this key; use a new key for a new application"));
        if (earlier.InstanceId is null)
        {
            // The first request recorded the application and stopped before its workflow started: the retry finishes it.
            try
            {
                await starts.StartAsync(earlier, cancellationToken);
            }
            catch (EngineRefusal refusal)
            {
                return NotStarted(loggers.CreateLogger(typeof(SubmitApplication)), earlier.CaseNumber, earlier.DefinitionKey, refusal);
            }
            earlier = (await applications.FindAsync(earlier.CaseNumber, cancellationToken))!;
        }
        return TypedResults.Json(await AnswerAsync(earlier, workflows, clocks, statutory, time, cancellationToken), statusCode: StatusCodes.Status200OK);
    }

    /// <summary>The answer to an accepted application: the track with its reason and where the case stands right away.</summary>
    private static async Task<SubmittedView> AnswerAsync(EiaApplication application, IWorkflowStore workflows, ClockStore clocks, StatutoryTime statutory,
        TimeProvider time, CancellationToken cancellationToken)
    {
        List<ClockEndpoints.ClockView> clockViews = [];
        List<WorkflowViews.TaskView> tasks = [];
        if (application.InstanceId is { } id)
        {
            clockViews = await ClockEndpoints.ClocksOfAsync(id, clocks, statutory, time.GetUtcNow(), cancellationToken);
            tasks = (await workflows.ListTasksAsync(new TaskQuery { InstanceId = id, Status = TaskStatus.Open, Limit = 200 }, cancellationToken))
                .Select(WorkflowViews.ViewOf).ToList();
        }
        return new SubmittedView(application.CaseNumber, application.Track, TrackReason(application), EnterpriseEndpoints.ViewOf(application.Eligibility),
            application.InstanceId, application.DefinitionKey, application.Status, StatusName(application.Status),
            clockViews.FirstOrDefault(c => c.Name == EiaTerms.DecisionClock), tasks);
    }

    /// <summary>The instance's variables: what the BPMN conditions, task organisations and handlers read.</summary>
    internal static JsonObject Variables(string caseNumber, EiaApplicationInput input, string enterpriseName, EiaTrack track)
    {
        var quota = new JsonObject();
        foreach (var (pollutant, tonnes) in input.QuotaNeeds)
            quota[pollutant] = tonnes;
        return new JsonObject
        {
            ["caseNumber"] = caseNumber,
            ["creditCode"] = input.CreditCode,
            ["enterpriseName"] = enterpriseName,
            ["projectName"] = input.ProjectName,
            ["kind"] = input.Kind,
            ["documentType"] = input.DocumentType,
            ["city"] = input.City,
            ["cityOrganisation"] = input.City,
            [WorkflowRuntime.FastTrackVariable] = track.Fast,
            ["track"] = track.Name,
            ["acceptanceDate"] = input.AcceptanceDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            // The decision clock starts at the receipt itself (clock.start's input startAt), not when it was recorded.
            ["receivedAt"] = input.ReceivedAt.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", System.Globalization.CultureInfo.InvariantCulture),
            ["quotaNeeds"] = quota,
            ["quotaRequired"] = input.QuotaNeeds.Values.Any(t => t > 0),
            // 上级部门优先统筹: a city that cannot balance the quota hands it to the province's quota officer.
            ["quotaEscalationOrganisation"] = Organisation.ProvinceCode,
        };
    }
}
