using System.Security.Claims;
using CleanProdFlow.Data.Enterprises;
using CleanProdFlow.Domain.Access;
using CleanProdFlow.Domain.Common;
using CleanProdFlow.Domain.Eligibility;
using CleanProdFlow.Domain.Enterprises;
using CleanProdFlow.Domain.Facts;
using CleanProdFlow.Domain.Revocation;
using CleanProdFlow.Timing;
using CleanProdFlow.Web.Api.Problems;
using CleanProdFlow.Web.Revocation;

namespace CleanProdFlow.Web.Api.Enterprises;

/// <summary>
/// /api/v1/enterprises: the register's enterprises and the facts that decide their eligibility. Every recorded
/// fact re-evaluates eligibility as of today (Beijing date) and keeps the decision in the history.
/// </summary>
public static class EnterpriseEndpoints
{
    public sealed record AuditResultRequest(string? AcceptedOn, string? Level, string? Authority, string? DocumentNumber);

    public sealed record VerificationRequest(bool? VerifiedTrue);

    public sealed record EnterpriseView(string CreditCode, string Name, string City, string? County, string? Industry, string? Address,
        bool OnlineMonitoring, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset UpdatedAt, string UpdatedBy);

    public sealed record EnterpriseDetails(EnterpriseView Enterprise, IReadOnlyList<AuditResult> AuditResults, IReadOnlyList<Penalty> Penalties,
        IReadOnlyList<Accident> Accidents, IReadOnlyList<Complaint> Complaints, EligibilityView Eligibility);

    public sealed record RuleView(string Id, bool Passed, string Detail);

    public sealed record EligibilityView(DateOnly AsOf, bool Eligible, IReadOnlyList<RuleView> Rules);

    public sealed record EnterprisePage(IReadOnlyList<EnterpriseView> Enterprises, string? Next);

    public static void MapEnterprises(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/enterprises").WithTags("enterprises");
        group.MapPost("/", CreateAsync).WithName("CreateEnterprise").WithSummary("Register an enterprise (统一社会信用代码 checked)")
            .Produces<EnterpriseView>(StatusCodes.Status201Created).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/", ListAsync).WithName("ListEnterprises").Produces<EnterprisePage>();
        group.MapGet("/{creditCode}", GetAsync).WithName("GetEnterprise").Produces<EnterpriseDetails>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{creditCode}/eligibility", GetEligibilityAsync).WithName("GetEligibility")
            .WithSummary("Eligibility as of a date (default today), each rule with the dates it used").Produces<EligibilityView>();
        group.MapGet("/{creditCode}/eligibility/history", GetEligibilityHistoryAsync).WithName("GetEligibilityHistory");
        group.MapPost("/{creditCode}/audit-results", AddAuditResultAsync).WithName("AddAuditResult").Produces<EligibilityView>(StatusCodes.Status201Created);
        group.MapPost("/{creditCode}/penalties", AddPenaltyAsync).WithName("AddPenalty").Produces<EligibilityView>(StatusCodes.Status201Created);
        group.MapPost("/{creditCode}/penalties/{decisionNumber}/annulment", AnnulPenaltyAsync).WithName("AnnulPenalty").Produces<EligibilityView>();
        group.MapPost("/{creditCode}/accidents", AddAccidentAsync).WithName("AddAccident").Produces(StatusCodes.Status201Created);
        group.MapPost("/{creditCode}/complaints", AddComplaintAsync).WithName("AddComplaint").Produces(StatusCodes.Status201Created);
        group.MapPost("/{creditCode}/complaints/{id:long}/verification", VerifyComplaintAsync).WithName("VerifyComplaint");
    }

    /// <summary>Today in Beijing, the date facts and eligibility are counted in.</summary>
    internal static DateOnly Today(TimeProvider time) => BeijingTime.DateOf(time.GetUtcNow());

    private static IResult Forbidden() =>
        Problem.Status(StatusCodes.Status403Forbidden, new("无权执行此操作", "You may not do this"),
            new("只能查看和办理本单位辖区内企业的事项，且须具备相应角色", "Only enterprises of your own city, with a role that records this"));

    private static IResult NotFound(string creditCode) =>
        Problem.Status(StatusCodes.Status404NotFound, new("找不到该企业", "No such enterprise"),
            new($"登记簿中没有统一社会信用代码为 {creditCode} 的企业（或不在本单位辖区）", $"No enterprise {creditCode} in the register (or not in your city)"));

    /// <summary>The enterprise when the caller may see it; otherwise the 404 (existence does not leak across cities).</summary>
    private static async Task<(StoredEnterprise? Enterprise, IResult? Refusal)> VisibleAsync(
        string creditCode, EnterpriseAccess access, EnterpriseStore store, CancellationToken cancellationToken)
    {
        var code = UnifiedSocialCreditCode.Normalise(creditCode);
        var stored = await store.FindAsync(code, cancellationToken);
        return stored is not null && access.MaySee(stored.Enterprise.City) ? (stored, null) : (null, NotFound(code));
    }

    /// <summary>The enterprise when the caller may change it with one of <paramref name="roles"/>; otherwise the 404 or 403.</summary>
    private static async Task<(EnterpriseAccess Access, StoredEnterprise? Enterprise, IResult? Refusal)> ChangeableAsync(
        string creditCode, ClaimsPrincipal principal, EnterpriseStore store, string[] roles, CancellationToken cancellationToken)
    {
        var access = EnterpriseAccess.Of(principal);
        var (stored, refusal) = await VisibleAsync(creditCode, access, store, cancellationToken);
        if (stored is null)
            return (access, null, refusal);
        return access.MayChange(stored.Enterprise.City, roles) ? (access, stored, null) : (access, null, Forbidden());
    }

    public static EnterpriseView ViewOf(StoredEnterprise s) =>
        new(s.Enterprise.CreditCode, s.Enterprise.Name, s.Enterprise.City, s.Enterprise.County, s.Enterprise.Industry, s.Enterprise.Address,
            s.Enterprise.OnlineMonitoring, s.CreatedAt, s.CreatedBy, s.UpdatedAt, s.UpdatedBy);

    public static EligibilityView ViewOf(EligibilityDecision decision) =>
        new(decision.AsOf, decision.Eligible, decision.Rules.Select(r => new RuleView(r.Id, r.Passed, r.Detail.In())).ToList());

    private static async Task<IResult> CreateAsync(NewEnterprise request, ClaimsPrincipal principal, EnterpriseStore store, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var errors = request.Validate();
        if (errors.Count > 0)
            return Problem.Validation(errors);
        var enterprise = request.ToEnterprise();
        var access = EnterpriseAccess.Of(principal);
        if (!access.MayChange(enterprise.City, EnterpriseAccess.RegisterRoles))
            return Forbidden();
        if (await store.FindAsync(enterprise.CreditCode, cancellationToken) is not null)
            return Problem.Status(StatusCodes.Status409Conflict, new("该企业已登记", "The enterprise is registered already"),
                new($"统一社会信用代码 {enterprise.CreditCode} 已在登记簿中", $"{enterprise.CreditCode} is in the register already"));
        await store.UpsertAsync([enterprise], time.GetUtcNow(), access.Username, cancellationToken);
        var stored = (await store.FindAsync(enterprise.CreditCode, cancellationToken))!;
        return TypedResults.Created($"/api/v1/enterprises/{enterprise.CreditCode}", ViewOf(stored));
    }

    private static async Task<IResult> ListAsync(ClaimsPrincipal principal, EnterpriseStore store, string? city, string? after, int? limit,
        CancellationToken cancellationToken)
    {
        var access = EnterpriseAccess.Of(principal);
        if (limit is < 1 or > 500)
            return Problem.Validation("limit", new("每页条数须在 1–500 之间", "limit must be from 1 to 500"));
        if (city is not null && (Organisation.Find(city) is null || city == Organisation.ProvinceCode))
            return Problem.Validation("city", new($"未知的设区市“{city}”", $"unknown city '{city}'"));
        if (city is not null && !access.MaySee(city))
            return Forbidden();
        var scope = city ?? (access.IsProvince ? null : access.OrganisationCode);
        var size = limit ?? 50;
        var page = await store.ListAsync(scope, after, size, cancellationToken);
        return TypedResults.Ok(new EnterprisePage(page.Select(ViewOf).ToList(), page.Count == size ? page[^1].Enterprise.CreditCode : null));
    }

    private static async Task<IResult> GetAsync(string creditCode, ClaimsPrincipal principal, EnterpriseStore store, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var (stored, refusal) = await VisibleAsync(creditCode, EnterpriseAccess.Of(principal), store, cancellationToken);
        if (stored is null)
            return refusal!;
        var code = stored.Enterprise.CreditCode;
        var audits = await store.AuditResultsAsync(code, cancellationToken);
        var penalties = await store.PenaltiesAsync(code, cancellationToken);
        return TypedResults.Ok(new EnterpriseDetails(ViewOf(stored), audits, penalties, await store.AccidentsAsync(code, cancellationToken),
            await store.ComplaintsAsync(code, cancellationToken), ViewOf(EligibilityDecision.Evaluate(Today(time), audits, penalties))));
    }

    private static async Task<IResult> GetEligibilityAsync(string creditCode, string? asOf, ClaimsPrincipal principal, EnterpriseStore store,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var date = Today(time);
        if (asOf is not null && !DateOnly.TryParseExact(asOf, "yyyy-MM-dd", out date))
            return Problem.Validation("asOf", new("asOf 须为 yyyy-MM-dd 格式的日期", "asOf must be a date as yyyy-MM-dd"));
        var (stored, refusal) = await VisibleAsync(creditCode, EnterpriseAccess.Of(principal), store, cancellationToken);
        if (stored is null)
            return refusal!;
        var code = stored.Enterprise.CreditCode;
        return TypedResults.Ok(ViewOf(EligibilityDecision.Evaluate(date,
            await store.AuditResultsAsync(code, cancellationToken), await store.PenaltiesAsync(code, cancellationToken))));
    }

    private static async Task<IResult> GetEligibilityHistoryAsync(string creditCode, ClaimsPrincipal principal, EnterpriseStore store,
        CancellationToken cancellationToken)
    {
        var (stored, refusal) = await VisibleAsync(creditCode, EnterpriseAccess.Of(principal), store, cancellationToken);
        if (stored is null)
            return refusal!;
        var history = await store.EligibilityHistoryAsync(stored.Enterprise.CreditCode, cancellationToken);
        return TypedResults.Ok(history.Select(h => new { h.Id, decision = ViewOf(h.Decision), h.Cause, h.EvaluatedAt, h.EvaluatedBy }));
    }

    /// <summary>Re-evaluates as of today after a fact changed and keeps the decision with its cause.</summary>
    public static async Task<EligibilityDecision> ReevaluateAsync(EnterpriseStore store, string creditCode, string cause, string by, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var decision = EligibilityDecision.Evaluate(Today(time),
            await store.AuditResultsAsync(creditCode, cancellationToken), await store.PenaltiesAsync(creditCode, cancellationToken));
        await store.RecordEligibilityAsync(creditCode, decision, cause, time.GetUtcNow(), by, cancellationToken);
        return decision;
    }

    private static async Task<IResult> AddAuditResultAsync(string creditCode, AuditResultRequest request, ClaimsPrincipal principal,
        EnterpriseStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var (access, stored, refusal) = await ChangeableAsync(creditCode, principal, store, [Roles.AuditOfficer, Roles.Admin], cancellationToken);
        if (stored is null)
            return refusal!;
        var code = stored.Enterprise.CreditCode;
        var input = new NewAuditResult(code, request.AcceptedOn, request.Level, request.Authority, request.DocumentNumber);
        var errors = input.Validate(Today(time));
        if (errors.Count > 0)
            return Problem.Validation(errors);
        var result = input.ToAuditResult();
        if (await store.AddAuditResultsAsync([result], time.GetUtcNow(), access.Username, cancellationToken) == 0)
            return Problem.Status(StatusCodes.Status409Conflict, new("该验收结果已登记", "This audit result is recorded already"),
                new($"文号 {result.DocumentNumber} 已登记", $"Document {result.DocumentNumber} is recorded already"));
        var decision = await ReevaluateAsync(store, code, $"audit result {result.DocumentNumber} recorded", access.Username, time, cancellationToken);
        return TypedResults.Created($"/api/v1/enterprises/{code}", ViewOf(decision));
    }

    private static async Task<IResult> AddPenaltyAsync(string creditCode, NewPenalty request, ClaimsPrincipal principal,
        EnterpriseStore store, RevocationTriggers revocations, TimeProvider time, CancellationToken cancellationToken)
    {
        var (access, stored, refusal) = await ChangeableAsync(creditCode, principal, store, [Roles.Enforcement, Roles.Admin], cancellationToken);
        if (stored is null)
            return refusal!;
        var (penalty, errors) = request.Check(Today(time));
        if (penalty is null)
            return Problem.Validation(errors);
        var code = stored.Enterprise.CreditCode;
        try
        {
            await store.AddPenaltyAsync(code, penalty, time.GetUtcNow(), access.Username, cancellationToken);
        }
        catch (DuplicateFactException)
        {
            return Problem.Status(StatusCodes.Status409Conflict, new("该处罚决定已登记", "This penalty decision is recorded already"));
        }
        var decision = await ReevaluateAsync(store, code, $"penalty {penalty.DecisionNumber} recorded", access.Username, time, cancellationToken);
        await revocations.FactRecordedAsync(code, RevocationTrigger.OfPenalty(penalty), access.Username, cancellationToken); // notice 三(二)
        return TypedResults.Created($"/api/v1/enterprises/{code}", ViewOf(decision));
    }

    private static async Task<IResult> AnnulPenaltyAsync(string creditCode, string decisionNumber, ClaimsPrincipal principal,
        EnterpriseStore store, RevocationTriggers revocations, TimeProvider time, CancellationToken cancellationToken)
    {
        var (access, stored, refusal) = await ChangeableAsync(creditCode, principal, store, [Roles.Enforcement, Roles.Admin], cancellationToken);
        if (stored is null)
            return refusal!;
        var code = stored.Enterprise.CreditCode;
        if (!await store.AnnulPenaltyAsync(code, decisionNumber, cancellationToken))
            return Problem.Status(StatusCodes.Status404NotFound, new("找不到该处罚决定", "No such penalty decision"));
        var decision = await ReevaluateAsync(store, code, $"penalty {decisionNumber} annulled", access.Username, time, cancellationToken);
        await revocations.PenaltyAnnulledAsync(code, decisionNumber, access.Username, cancellationToken); // reopens a revocation for review
        return TypedResults.Ok(ViewOf(decision));
    }

    private static async Task<IResult> AddAccidentAsync(string creditCode, NewAccident request, ClaimsPrincipal principal,
        EnterpriseStore store, RevocationTriggers revocations, TimeProvider time, CancellationToken cancellationToken)
    {
        var (access, stored, refusal) = await ChangeableAsync(creditCode, principal, store, [Roles.Enforcement, Roles.Admin], cancellationToken);
        if (stored is null)
            return refusal!;
        if (request.Check(Today(time), out var errors) is not { } accident)
            return Problem.Validation(errors);
        var id = await store.AddAccidentAsync(stored.Enterprise.CreditCode, accident.OccurredOn, accident.Grade, accident.Description,
            time.GetUtcNow(), access.Username, cancellationToken);
        await revocations.FactRecordedAsync(stored.Enterprise.CreditCode, RevocationTrigger.OfAccident(id, accident.OccurredOn, accident.Grade),
            access.Username, cancellationToken); // notice 三(一)
        return TypedResults.Created($"/api/v1/enterprises/{stored.Enterprise.CreditCode}",
            new { id, accident.OccurredOn, accident.Grade, withdrawsIncentives = NewAccident.IsLargerOrWorse(accident.Grade) });
    }

    private static async Task<IResult> AddComplaintAsync(string creditCode, NewComplaint request, ClaimsPrincipal principal,
        EnterpriseStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var (access, stored, refusal) = await ChangeableAsync(creditCode, principal, store, [Roles.Enforcement, Roles.Acceptance, Roles.Admin], cancellationToken);
        if (stored is null)
            return refusal!;
        if (request.Check(Today(time), out var errors) is not { } complaint)
            return Problem.Validation(errors);
        var id = await store.AddComplaintAsync(stored.Enterprise.CreditCode, complaint.ReceivedOn, complaint.Summary, time.GetUtcNow(),
            access.Username, cancellationToken);
        return TypedResults.Created($"/api/v1/enterprises/{stored.Enterprise.CreditCode}", new { id, status = "pending" });
    }

    private static async Task<IResult> VerifyComplaintAsync(string creditCode, long id, VerificationRequest request, ClaimsPrincipal principal,
        EnterpriseStore store, RevocationTriggers revocations, TimeProvider time, CancellationToken cancellationToken)
    {
        var (access, stored, refusal) = await ChangeableAsync(creditCode, principal, store, [Roles.Enforcement, Roles.Admin], cancellationToken);
        if (stored is null)
            return refusal!;
        if (request.VerifiedTrue is not { } verifiedTrue)
            return Problem.Validation("verifiedTrue", new("须说明核实结果（true 属实 / false 不属实）", "verifiedTrue (true or false) is required"));
        if (!await store.VerifyComplaintAsync(stored.Enterprise.CreditCode, id, verifiedTrue, time.GetUtcNow(), access.Username, cancellationToken))
            return Problem.Status(StatusCodes.Status409Conflict, new("该投诉举报不存在或已核实", "No pending complaint with this id"));
        await revocations.FactRecordedAsync(stored.Enterprise.CreditCode, RevocationTrigger.OfComplaint(id, verifiedTrue, null), access.Username,
            cancellationToken); // notice 三(三)
        return TypedResults.Ok(new { id, status = verifiedTrue ? "true" : "false" });
    }
}
