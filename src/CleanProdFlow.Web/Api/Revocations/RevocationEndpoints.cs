using System.Security.Claims;
using System.Text.Json.Nodes;
using CleanProdFlow.Data.Enterprises;
using CleanProdFlow.Data.Register;
using CleanProdFlow.Data.Revocation;
using CleanProdFlow.Domain.Access;
using CleanProdFlow.Domain.Enterprises;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.Web.Api.Enterprises;
using CleanProdFlow.Web.Api.Problems;
using CleanProdFlow.Web.Api.Workflows;
using CleanProdFlow.Web.Revocation;
using TaskStatus = CleanProdFlow.Engine.Runtime.TaskStatus;

namespace CleanProdFlow.Web.Api.Revocations;

/// <summary>
/// Revocation cases (取消激励, notice section 三): an enterprise's cases, one case with its whole trail (trigger,
/// steps with actors and times from the instance, decision, effect, the EIA cases the revocation reached, the
/// review after an annulment), the enterprise's statement sent in as a message, and the public list of revoked
/// certificates. The tasks themselves go through the inbox (/api/v1/tasks). A city's staff see their city's cases
/// (another city's case is a 404); the province and auditors see all.
/// </summary>
public static class RevocationEndpoints
{
    public sealed record TriggerView(string Kind, string Id, string Summary, DateTimeOffset? AnnulledAt);

    public sealed record DecisionView(string Decision, string? DecisionNumber, string? Reasons, DateOnly? DecidedOn);

    public sealed record ReviewView(Guid? InstanceId, string? Outcome, string? Reasons, DateTimeOffset? ReviewedAt);

    public sealed record StepView(Guid InstanceId, string ElementId, string Name, string Status, string? Outcome, string? Actor, DateTimeOffset CreatedAt,
        DateTimeOffset? DueAt, DateTimeOffset? CompletedAt);

    public sealed record RevocationSummary(Guid Id, string CreditCode, string City, TriggerView Trigger, string Status, DateTimeOffset StatusChangedAt,
        Guid? InstanceId, DecisionView? Decision, DateTimeOffset CreatedAt);

    public sealed record RevocationDetails(Guid Id, string CreditCode, string? EnterpriseName, string City, TriggerView Trigger, string Status,
        DateTimeOffset StatusChangedAt, Guid? InstanceId, DecisionView? Decision, JsonNode? Effect, string? CorrelationStatus, JsonNode? Correlated,
        DateTimeOffset? CorrelatedAt, ReviewView? Review, IReadOnlyList<StepView> Steps, IReadOnlyList<WorkflowViews.JournalView> Journal,
        DateTimeOffset CreatedAt, string CreatedBy);

    public sealed record StatementRequest(string? Statement);

    public sealed record RevokedCertificate(string CertificateNumber, string CreditCode, string Name, string City, string Status, DateOnly? RevokedOn);

    public static void MapRevocations(this IEndpointRouteBuilder api, IEndpointRouteBuilder app)
    {
        api.MapGet("/enterprises/{creditCode}/revocations", ListAsync).WithTags("revocations").WithName("ListEnterpriseRevocations")
            .WithSummary("An enterprise's revocation cases (取消激励), oldest first").Produces<IReadOnlyList<RevocationSummary>>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        var group = api.MapGroup("/revocations").WithTags("revocations");
        group.MapGet("/{id:guid}", GetAsync).WithName("GetRevocation")
            .WithSummary("A revocation case with its trail: trigger, steps with actors and times, decision, effect, EIA cases reached, review")
            .Produces<RevocationDetails>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id:guid}/statement", StatementAsync).WithName("RecordRevocationStatement")
            .WithSummary("The enterprise's statement and defence (陈述申辩) received during the window; sends revocation.statement-received")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        app.MapGet("/public/revoked-certificates.json", RevokedAsync).AllowAnonymous().WithTags("public").WithName("PublicRevokedCertificates")
            .WithSummary("Honour certificates revoked (取消激励), for publication beside the list of advanced enterprises");
    }

    private static IResult NotFound() =>
        Problem.Status(StatusCodes.Status404NotFound, new("找不到该取消激励案件", "No such revocation case"),
            new("没有该案件，或不属于本单位辖区", "No such case, or not in your city"));

    private static async Task<IResult> ListAsync(string creditCode, ClaimsPrincipal principal, EnterpriseStore enterprises, RevocationStore cases,
        CancellationToken cancellationToken)
    {
        var code = UnifiedSocialCreditCode.Normalise(creditCode);
        var stored = await enterprises.FindAsync(code, cancellationToken);
        if (stored is null || !EnterpriseAccess.Of(principal).MaySee(stored.Enterprise.City))
            return Problem.Status(StatusCodes.Status404NotFound, new("找不到该企业", "No such enterprise"),
                new($"登记簿中没有统一社会信用代码为 {code} 的企业（或不在本单位辖区）", $"No enterprise {code} in the register (or not in your city)"));
        return TypedResults.Ok((await cases.OfEnterpriseAsync(code, cancellationToken)).Select(c => new RevocationSummary(c.Id, c.CreditCode, c.City,
            TriggerOf(c), c.Status, c.StatusChangedAt, c.InstanceId, DecisionOf(c), c.CreatedAt)).ToList());
    }

    private static async Task<IResult> GetAsync(Guid id, ClaimsPrincipal principal, RevocationStore cases, EnterpriseStore enterprises, IWorkflowStore workflows,
        CancellationToken cancellationToken)
    {
        var found = await cases.FindAsync(id, cancellationToken);
        if (found is null || !EnterpriseAccess.Of(principal).MaySee(found.City))
            return NotFound();
        var steps = new List<StepView>();
        var journal = new List<WorkflowViews.JournalView>();
        foreach (var instanceId in new[] { found.InstanceId, found.ReviewInstanceId }.OfType<Guid>())
        {
            var tasks = await workflows.ListTasksAsync(new TaskQuery { InstanceId = instanceId, Limit = 500 }, cancellationToken);
            steps.AddRange(tasks.Select(t => new StepView(instanceId, t.ElementId, t.Name, t.Status.ToString().ToLowerInvariant(), t.Outcome,
                t.CompletedBy ?? t.Assignee, t.CreatedAt, t.DueAt, t.CompletedAt)));
            journal.AddRange((await workflows.JournalAsync(instanceId, cancellationToken)).OrderBy(j => j.Sequence).Select(WorkflowViews.ViewOf));
        }
        return TypedResults.Ok(new RevocationDetails(found.Id, found.CreditCode, (await enterprises.FindAsync(found.CreditCode, cancellationToken))?.Enterprise.Name,
            found.City, TriggerOf(found), found.Status, found.StatusChangedAt, found.InstanceId, DecisionOf(found), Parse(found.Effect),
            found.CorrelationStatus, Parse(found.Correlated), found.CorrelatedAt,
            found.ReviewInstanceId is null && found.ReviewOutcome is null ? null
                : new ReviewView(found.ReviewInstanceId, found.ReviewOutcome, found.ReviewReasons, found.ReviewedAt),
            steps.OrderBy(s => s.CreatedAt).ToList(), journal, found.CreatedAt, found.CreatedBy));
    }

    private static async Task<IResult> StatementAsync(Guid id, StatementRequest request, ClaimsPrincipal principal, RevocationStore cases,
        WorkflowRuntime runtime, CancellationToken cancellationToken)
    {
        var found = await cases.FindAsync(id, cancellationToken);
        var access = EnterpriseAccess.Of(principal);
        if (found is null || !access.MaySee(found.City))
            return NotFound();
        if (!access.MayChange(found.City, Roles.Enforcement, Roles.Admin))
            return Problem.Status(StatusCodes.Status403Forbidden, new("无权执行此操作", "You may not do this"),
                new("陈述申辩由企业所在设区市的执法人员登记", "The enforcement officers of the enterprise's city record statements"));
        if (string.IsNullOrWhiteSpace(request.Statement) || request.Statement.Length > 10_000)
            return Problem.Validation("statement", new("须填写陈述申辩意见（不超过 10000 字）", "statement is required (at most 10,000 characters)"));
        var correlated = await runtime.CorrelateAsync("revocation.statement-received", id.ToString("D"),
            new JsonObject { ["statement"] = request.Statement.Trim(), ["statementRecordedBy"] = access.Username }, access.Username, cancellationToken);
        return correlated > 0
            ? TypedResults.Ok(new { id, received = true })
            : Problem.Status(StatusCodes.Status409Conflict, new("该案件不在陈述申辩期内", "The case is not in its statement window"),
                new("陈述申辩期尚未开始、已届满或已登记", "The window has not begun, has ended, or a statement was recorded already"));
    }

    private static async Task<IResult> RevokedAsync(RegisterStore register, CancellationToken cancellationToken) =>
        TypedResults.Ok((await register.ListAsync(activeOnly: false, city: null, cancellationToken)).Where(e => e.Status == "revoked")
            .Select(e => new RevokedCertificate(e.CertificateNumber, e.CreditCode, e.Name, Organisation.Find(e.City)?.NameZh ?? e.City, e.Status, e.RevokedOn))
            .ToList());

    private static TriggerView TriggerOf(RevocationCase c) => new(c.TriggerKind, c.TriggerId, c.TriggerSummary, c.TriggerAnnulledAt);

    private static DecisionView? DecisionOf(RevocationCase c) =>
        c.Decision is null ? null : new(c.Decision, c.DecisionNumber, c.DecisionReasons, c.DecidedOn);

    private static JsonNode? Parse(string? json) => json is null ? null : JsonNode.Parse(json);
}
