using System.Security.Claims;
using System.Text.Json.Nodes;
using CleanProdFlow.Data.Audit;
using CleanProdFlow.Data.Enterprises;
using CleanProdFlow.Data.Timing;
using CleanProdFlow.Domain.Access;
using CleanProdFlow.Domain.Audit;
using CleanProdFlow.Domain.Common;
using FieldError = CleanProdFlow.Domain.Common.FieldError;
using CleanProdFlow.Domain.Enterprises;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.Timing;
using CleanProdFlow.Web.Api.Clocks;
using CleanProdFlow.Web.Api.Enterprises;
using CleanProdFlow.Web.Api.Problems;
using CleanProdFlow.Web.Api.Workflows;
using CleanProdFlow.Web.Audit;
using CleanProdFlow.Web.Timing;
using TaskStatus = CleanProdFlow.Engine.Runtime.TaskStatus;

namespace CleanProdFlow.Web.Api.Audit;

/// <summary>
/// Clean-production audit cycles (issue 9): the city's audit officer records a published mandatory-audit list (one cycle
/// and one <c>audit-cycle</c> instance per enterprise), everyone concerned reads cycles with their milestones, clocks,
/// extension requests and result, and the officer records an enterprise's request to extend its cycle to two years
/// (measure 7), which goes into the instance as the message <c>audit.extension-requested</c>. The re-audit obligations
/// (measure 6) are listed too. A city's staff see their city's cycles (another city's is a 404); the province and
/// auditors see all.
/// </summary>
public static class AuditCycleEndpoints
{
    public const string ExtensionMessage = "audit.extension-requested";

    public sealed record NewAuditListRequest(string? ListReference, string? ListedOn, List<string?>? CreditCodes, string? CreditCode);

    public sealed record ExtensionRequestBody(string? Ground, string? Evidence, string? PenaltyDecisionNumber);

    public sealed record CycleSummary(Guid Id, string CreditCode, string City, string Kind, string ListReference, DateOnly ListedOn, string Status,
        DateTimeOffset StatusChangedAt, string CycleRule, Guid? InstanceId, DateTimeOffset CreatedAt);

    public sealed record MilestoneView(string Name, string Clock, DateOnly? RecordedOn, string? Evidence);

    public sealed record ResultView(string? EvaluationOutcome, DateOnly? EvaluatedOn, string? EvaluationOpinion, string? AcceptanceOutcome, DateOnly? AcceptedOn,
        string? Level, string? DocumentNumber, string? AcceptanceOpinion, string? ClosedReason);

    public sealed record ExtensionView(Guid Id, string Ground, string GroundName, string Evidence, string? PenaltyDecisionNumber, string Status,
        DateTimeOffset RequestedAt, string RequestedBy, string? ReviewOutcome, string? ReviewOpinion, string? DecisionReasons, DateTimeOffset? DecidedAt,
        DateOnly? DueBefore, DateOnly? DueAfter);

    public sealed record CycleDetails(CycleSummary Cycle, string? EnterpriseName, Guid? ObligationId, IReadOnlyList<MilestoneView> Milestones,
        ResultView Result, IReadOnlyList<ExtensionView> ExtensionRequests, IReadOnlyList<ClockEndpoints.ClockView> Clocks,
        IReadOnlyList<WorkflowViews.TaskView> Tasks);

    public sealed record ObligationView(Guid Id, string CreditCode, string City, string PreviousDocumentNumber, DateOnly PreviousAcceptedOn, DateOnly DueOn,
        string Status, Guid? InstanceId, string? Choice, string? CertificationBody, string? CertificateNumber, DateOnly? CertifiedOn, string? CertificationLevel,
        Guid? CycleId, string? Outcome, DateTimeOffset? ClosedAt);

    public static void MapAuditCycles(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/audit-cycles").WithTags("audit");
        group.MapPost("/", RecordListAsync).WithName("RecordMandatoryAuditList")
            .WithSummary("Record a published mandatory-audit list (强制性清洁生产审核名单): one cycle and workflow per enterprise (the city's audit officers; Idempotency-Key honoured)")
            .Produces<List<CycleSummary>>(StatusCodes.Status201Created).Produces<List<CycleSummary>>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapGet("/", ListAsync).WithName("ListAuditCycles").WithSummary("Audit cycles, newest first, by status, city and enterprise")
            .Produces<List<CycleSummary>>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden);
        group.MapGet("/{id:guid}", GetAsync).WithName("GetAuditCycle")
            .WithSummary("An audit cycle: milestones, clocks with their explanation, open tasks, extension requests and the result")
            .Produces<CycleDetails>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id:guid}/extension-requests", RequestExtensionAsync).WithName("RequestAuditCycleExtension")
            .WithSummary("Record an enterprise's request to extend its audit cycle to two years (measure 7); reviewed and decided in the workflow")
            .Produces<ExtensionView>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/audit-obligations", ObligationsAsync).WithTags("audit").WithName("ListAuditObligations")
            .WithSummary("Re-audit obligations of Level Ⅰ enterprises (measure 6): due date, choice, certification and how each closed")
            .Produces<List<ObligationView>>().ProducesProblem(StatusCodes.Status403Forbidden);
    }

    private static readonly string[] WriterRoles = [Roles.AuditOfficer, Roles.Admin];

    private static IResult NotFound() =>
        Problem.Status(StatusCodes.Status404NotFound, new("找不到该审核周期", "No such audit cycle"),
            new("没有该审核周期，或不属于本单位辖区", "No such audit cycle, or not in your city"));

    private static IResult Forbidden(LocalizedText detail) => Problem.Status(StatusCodes.Status403Forbidden, new("无权执行此操作", "You may not do this"), detail);

    private static CycleSummary SummaryOf(AuditCycle c) => new(c.Id, c.CreditCode, c.City, c.Kind, c.ListReference, c.ListedOn, c.Status,
        c.StatusChangedAt.ToBeijing(), c.CycleRule, c.InstanceId, c.CreatedAt.ToBeijing());

    private static ExtensionView ViewOf(AuditExtensionRequest r) => new(r.Id, r.Ground,
        NewExtensionRequest.Grounds.TryGetValue(r.Ground, out var name) ? name.In() : r.Ground, r.Evidence, r.PenaltyDecisionNumber, r.Status,
        r.RequestedAt.ToBeijing(), r.RequestedBy, r.ReviewOutcome, r.ReviewOpinion, r.DecisionReasons, r.DecidedAt?.ToBeijing(), r.DueBefore, r.DueAfter);

    private static string? LevelName(int? level) => level switch { 1 => "Ⅰ", 2 => "Ⅱ", 3 => "Ⅲ", _ => null };

    private static async Task<IResult> RecordListAsync(NewAuditListRequest request, HttpRequest http, ClaimsPrincipal principal, EnterpriseStore enterprises,
        AuditStore audits, AuditCycleStarter starter, IWorkflowStore workflows, TimeProvider time, CancellationToken cancellationToken)
    {
        var access = EnterpriseAccess.Of(principal);
        if (!access.HasAny(WriterRoles))
            return Forbidden(new("强制性审核名单由设区市（或省厅）的清洁生产审核岗登记", "Mandatory-audit lists are recorded by the audit officers of the city (or the province)"));
        string? key = null;
        if (http.Headers.TryGetValue(TaskEndpoints.IdempotencyKeyHeader, out var values))
        {
            key = values.Count == 1 ? values[0]?.Trim() : null;
            if (string.IsNullOrEmpty(key) || key.Length > TaskEndpoints.MaxIdempotencyKeyLength)
                return Problem.Validation(TaskEndpoints.IdempotencyKeyHeader, new($"{TaskEndpoints.IdempotencyKeyHeader} 须为 1–{TaskEndpoints.MaxIdempotencyKeyLength} 个字符的单个值",
                    $"{TaskEndpoints.IdempotencyKeyHeader} must be one value of 1 to {TaskEndpoints.MaxIdempotencyKeyLength} characters"));
            // A retry of an intake that was recorded answers what it recorded (the same key with another list is a conflict).
            if (await audits.ByIntakeKeyAsync(access.Username, key, cancellationToken) is { Count: > 0 } earlier)
                return earlier[0].ListReference == request.ListReference?.Trim()
                    ? TypedResults.Ok(earlier.Select(SummaryOf).ToList())
                    : Problem.Status(StatusCodes.Status409Conflict, new("该 Idempotency-Key 已用于另一份名单", "This Idempotency-Key was used for another list"));
        }

        var list = new NewAuditList(request.ListReference, request.ListedOn, request.CreditCodes, request.CreditCode)
            .Check(EnterpriseEndpoints.Today(time), out var errors);
        if (list is null)
            return Problem.Validation(errors);

        // Every enterprise is checked before anything is written: all or nothing.
        var problems = new List<FieldError>();
        var cycles = new List<AuditStore.NewCycle>();
        var open = await audits.OpenOnListAsync(list.Reference, list.CreditCodes, cancellationToken);
        for (var i = 0; i < list.CreditCodes.Count; i++)
        {
            var code = list.CreditCodes[i];
            var stored = await enterprises.FindAsync(code, cancellationToken);
            if (stored is null || !access.MaySee(stored.Enterprise.City))
                problems.Add(new(list.FieldOf(i), new($"登记簿中没有统一社会信用代码为 {code} 的企业（或不在本单位辖区）：请先登记企业",
                    $"no enterprise {code} in the register (or not in your city): register it first")));
            else if (open.Contains(code))
                problems.Add(new(list.FieldOf(i), new($"{code} 已有本名单（{list.Reference}）下尚未结束的审核周期", $"{code} has an open cycle of this list ({list.Reference}) already")));
            else
                cycles.Add(new(code, stored.Enterprise.City));
        }
        if (problems.Count > 0)
            return Problem.Validation(problems);
        if (await workflows.LatestPublishedAsync(AuditCycleStarter.DefinitionKey, cancellationToken) is null)
            return Problem.Status(StatusCodes.Status503ServiceUnavailable, new("审核周期流程未发布，暂不能登记", "The audit-cycle workflow is not published; nothing was recorded"));

        var opened = await audits.OpenCyclesAsync(cycles, list.Reference, list.ListedOn, key, time.GetUtcNow(), access.Username, cancellationToken);
        foreach (var cycle in opened)
            await starter.StartAsync(cycle, access.Username, cancellationToken);
        var started = new List<CycleSummary>();
        foreach (var cycle in opened)
            started.Add(SummaryOf((await audits.FindAsync(cycle.Id, cancellationToken))!));
        return TypedResults.Created("/api/v1/audit-cycles", started);
    }

    private static async Task<IResult> ListAsync(string? status, string? city, string? creditCode, ClaimsPrincipal principal, AuditStore audits,
        CancellationToken cancellationToken)
    {
        var access = EnterpriseAccess.Of(principal);
        if (status is not null && !AuditCycleStatus.All.Contains(status))
            return Problem.Validation("status", new($"状态须为 {string.Join("、", AuditCycleStatus.All)} 之一", $"status must be one of {string.Join(", ", AuditCycleStatus.All)}"));
        if (city is not null && (Organisation.Find(city) is null || city == Organisation.ProvinceCode))
            return Problem.Validation("city", new($"未知的设区市“{city}”", $"unknown city '{city}'"));
        if (city is not null && !access.MaySee(city))
            return Forbidden(new("只能查看本单位辖区的审核周期", "Only your own city's audit cycles"));
        var scope = city ?? (access.IsProvince ? null : access.OrganisationCode);
        var code = string.IsNullOrWhiteSpace(creditCode) ? null : UnifiedSocialCreditCode.Normalise(creditCode);
        return TypedResults.Ok((await audits.ListAsync(status, scope, code, cancellationToken)).Select(SummaryOf).ToList());
    }

    private static async Task<IResult> GetAsync(Guid id, ClaimsPrincipal principal, AuditStore audits, EnterpriseStore enterprises, IWorkflowStore workflows,
        ClockStore clocks, StatutoryTime statutory, TimeProvider time, CancellationToken cancellationToken)
    {
        var cycle = await audits.FindAsync(id, cancellationToken);
        if (cycle is null || !EnterpriseAccess.Of(principal).MaySee(cycle.City))
            return NotFound();
        List<ClockEndpoints.ClockView> clockViews = [];
        List<WorkflowViews.TaskView> tasks = [];
        if (cycle.InstanceId is { } instanceId)
        {
            clockViews = await ClockEndpoints.ClocksOfAsync(instanceId, clocks, statutory, time.GetUtcNow(), cancellationToken);
            tasks = (await workflows.ListTasksAsync(new TaskQuery { InstanceId = instanceId, Status = TaskStatus.Open, Limit = 200 }, cancellationToken))
                .Select(WorkflowViews.ViewOf).ToList();
        }
        var milestones = new List<MilestoneView>
        {
            new("information-published", AuditClocks.Information, cycle.InformationPublishedOn, cycle.InformationEvidence),
            new("audit-started", AuditClocks.Start, cycle.AuditStartedOn, cycle.AuditStartedEvidence),
            new("report-submitted", AuditClocks.Cycle, cycle.ReportSubmittedOn, cycle.ReportNumber),
        };
        var result = new ResultView(cycle.EvaluationOutcome, cycle.EvaluatedOn, cycle.EvaluationOpinion, cycle.AcceptanceOutcome, cycle.AcceptedOn,
            LevelName(cycle.Level), cycle.DocumentNumber, cycle.AcceptanceOpinion, cycle.ClosedReason);
        return TypedResults.Ok(new CycleDetails(SummaryOf(cycle), (await enterprises.FindAsync(cycle.CreditCode, cancellationToken))?.Enterprise.Name,
            cycle.ObligationId, milestones, result, (await audits.ExtensionRequestsAsync(id, cancellationToken)).Select(ViewOf).ToList(), clockViews, tasks));
    }

    private static async Task<IResult> RequestExtensionAsync(Guid id, ExtensionRequestBody request, ClaimsPrincipal principal, AuditStore audits,
        EnterpriseStore enterprises, ClockStore clocks, WorkflowRuntime runtime, TimeProvider time, CancellationToken cancellationToken)
    {
        var access = EnterpriseAccess.Of(principal);
        var cycle = await audits.FindAsync(id, cancellationToken);
        if (cycle is null || !access.MaySee(cycle.City))
            return NotFound();
        if (!access.MayChange(cycle.City, WriterRoles))
            return Forbidden(new("延期申请由企业所在设区市的清洁生产审核岗登记", "Extension requests are recorded by the audit officers of the enterprise's city"));
        var input = new NewExtensionRequest(request.Ground, request.Evidence, request.PenaltyDecisionNumber);
        var errors = input.Validate();
        if (errors.Count > 0)
            return Problem.Validation(errors);
        var requests = await audits.ExtensionRequestsAsync(id, cancellationToken);
        if (ExtensionRules.CheckCycle(cycle.Status, cycle.ReportSubmittedOn is not null, requests.Any(r => r.Status == "pending"),
                requests.Any(r => r.Status == "approved") || cycle.CycleRule == AuditClocks.ExtendedCycleRule) is { } refused)
            return Problem.Validation([refused]);
        if (input.Ground == NewExtensionRequest.PenaltyRectification
            && ExtensionRules.CheckPenalty(input.PenaltyDecisionNumber!, await enterprises.PenaltiesAsync(cycle.CreditCode, cancellationToken), cycle.ListedOn) is { } penalty)
            return Problem.Validation([penalty]);

        var due = cycle.InstanceId is { } instanceId
            ? (await clocks.FindAsync(WorkflowRuntime.ClockSubject(instanceId, AuditClocks.Cycle), cancellationToken))?.Clock.DueDate
            : null;
        var stored = await audits.AddExtensionRequestAsync(id, input.Ground!, input.Evidence!.Trim(), input.PenaltyDecisionNumber?.Trim(), due, time.GetUtcNow(),
            access.Username, cancellationToken);
        var groundName = NewExtensionRequest.Grounds[stored.Ground];
        var correlated = await runtime.CorrelateAsync(ExtensionMessage, id.ToString("D"), new JsonObject
        {
            ["extensionRequestId"] = stored.Id.ToString("D"),
            ["extensionGround"] = stored.Ground,
            ["extensionReason"] = $"{groundName.Zh}（{stored.Evidence}{(stored.PenaltyDecisionNumber is null ? "" : $"；处罚决定 {stored.PenaltyDecisionNumber}")}）",
        }, access.Username, cancellationToken);
        if (correlated == 0)
        {
            // The instance is not in its first year (or has not started): the request is withdrawn, nothing changed.
            await audits.DeleteExtensionRequestAsync(stored.Id, cancellationToken);
            return Problem.Status(StatusCodes.Status409Conflict, new("该审核周期的流程当前不受理延期申请", "The cycle's workflow does not take extension requests now"));
        }
        return TypedResults.Created($"/api/v1/audit-cycles/{id}", ViewOf(stored));
    }

    private static async Task<IResult> ObligationsAsync(string? city, string? creditCode, ClaimsPrincipal principal, AuditStore audits,
        CancellationToken cancellationToken)
    {
        var access = EnterpriseAccess.Of(principal);
        if (city is not null && (Organisation.Find(city) is null || city == Organisation.ProvinceCode))
            return Problem.Validation("city", new($"未知的设区市“{city}”", $"unknown city '{city}'"));
        if (city is not null && !access.MaySee(city))
            return Forbidden(new("只能查看本单位辖区的复审核义务", "Only your own city's re-audit obligations"));
        var scope = city ?? (access.IsProvince ? null : access.OrganisationCode);
        var code = string.IsNullOrWhiteSpace(creditCode) ? null : UnifiedSocialCreditCode.Normalise(creditCode);
        return TypedResults.Ok((await audits.ObligationsAsync(scope, code, cancellationToken)).Select(o => new ObligationView(o.Id, o.CreditCode, o.City,
            o.PreviousDocumentNumber, o.PreviousAcceptedOn, o.DueOn, o.Status, o.InstanceId, o.Choice, o.CertificationBody, o.CertificateNumber, o.CertifiedOn,
            LevelName(o.CertificationLevel), o.CycleId, o.Outcome, o.ClosedAt?.ToBeijing())).ToList());
    }
}
