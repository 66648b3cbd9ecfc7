using System.Security.Claims;
using System.Text.Json.Nodes;
using CleanProdFlow.Data.Enterprises;
using CleanProdFlow.Data.Programmes;
using CleanProdFlow.Data.Register;
using CleanProdFlow.Domain.Access;
using CleanProdFlow.Domain.Common;
using CleanProdFlow.Domain.Enterprises;
using CleanProdFlow.Domain.Programmes;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.Timing;
using CleanProdFlow.Web.Api.Enterprises;
using CleanProdFlow.Web.Api.Problems;
using CleanProdFlow.Web.Api.Workflows;
using TaskStatus = CleanProdFlow.Engine.Runtime.TaskStatus;

namespace CleanProdFlow.Web.Api.Programmes;

/// <summary>
/// The yearly top-10 typical cases (清洁生产审核十大典型案例, measure 3): the province starts a year's campaign (one per
/// year); the city bureaus' audit officers nominate their own city's active advanced enterprises while it takes
/// nominations; the province's experts (review) score each nomination; the province's approver selects at most ten,
/// which publishes them. A city's staff see their city's nominations (another city's enterprise is a 404); the
/// province and auditors see all. The published cases are public at /public/typical-cases.json.
/// </summary>
public static class TypicalCaseEndpoints
{
    public sealed record YearRequest(int? Year);

    public sealed record NominationRequest(string? CreditCode, string? Title, string? Summary, List<TechnologyInput?>? Technologies);

    public sealed record ReviewRequest(int? Score, string? Opinion);

    public sealed record SelectionRequest(List<Guid>? NominationIds, string? SelectionNote);

    public sealed record TechnologyView(string Name, string Description, bool RecommendedToNationalCatalogue, DateTimeOffset? RecommendedAt);

    public sealed record NominationView(Guid Id, int Year, string CreditCode, string EnterpriseName, string City, string Title, string Summary, string Status,
        int? Score, string? Opinion, DateTimeOffset? ReviewedAt, string? ReviewedBy, DateTimeOffset NominatedAt, string NominatedBy,
        IReadOnlyList<TechnologyView> Technologies);

    public sealed record CampaignView(int Year, string Status, Guid? InstanceId, DateTimeOffset StatusChangedAt, DateTimeOffset? PublishedAt,
        DateTimeOffset CreatedAt, string CreatedBy, int Nominations, int Selected);

    /// <summary>What the public sees of a published case: nothing beyond what the department publishes.</summary>
    public sealed record PublishedCase(string Title, string EnterpriseName, string CreditCode, string City, string Summary, int? Score,
        IReadOnlyList<TechnologyView> Technologies);

    public sealed record PublishedYear(int Year, DateTimeOffset? PublishedAt, IReadOnlyList<PublishedCase> Cases);

    public static void MapTypicalCases(this IEndpointRouteBuilder api, IEndpointRouteBuilder app)
    {
        var group = api.MapGroup("/programmes/typical-cases").WithTags("programmes");
        group.MapGet("/", ListAsync).WithName("ListTypicalCaseCampaigns").WithSummary("The yearly typical-case campaigns, newest first")
            .Produces<IReadOnlyList<CampaignView>>();
        group.MapPost("/", StartAsync).WithName("StartTypicalCaseCampaign")
            .WithSummary("Start a year's campaign (province approver or audit officer; one per year)")
            .Produces<CampaignView>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/{year:int}", GetAsync).WithName("GetTypicalCaseCampaign").Produces<CampaignView>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{year:int}/nominations", NominationsAsync).WithName("ListTypicalCaseNominations")
            .WithSummary("The year's nominations (city staff: their city's) with scores and technologies")
            .Produces<IReadOnlyList<NominationView>>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{year:int}/nominations", NominateAsync).WithName("NominateTypicalCase")
            .WithSummary("A city bureau nominates an active advanced enterprise of its city: title, summary, technologies (audit officer)")
            .Produces<NominationView>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{year:int}/nominations/{id:guid}/review", ReviewAsync).WithName("ReviewTypicalCaseNomination")
            .WithSummary("An expert's score (0–100) and opinion of one nomination (the province's review staff, during the review)")
            .Produces<NominationView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{year:int}/selection", SelectAsync).WithName("SelectTypicalCases")
            .WithSummary("The province's approver selects at most ten scored nominations of the year; completes the selection and publishes them")
            .Produces<CampaignView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        app.MapGet("/public/typical-cases.json", PublishedAsync).AllowAnonymous().WithTags("public").WithName("PublicTypicalCases")
            .WithSummary("The published typical cases by year, their technologies flagged as recommended to the national catalogue");
    }

    private static IResult NoCampaign(int year) =>
        Problem.Status(StatusCodes.Status404NotFound, new("找不到该年度典型案例遴选", "No such campaign"),
            new($"{year} 年度尚未发起清洁生产审核十大典型案例遴选", $"No typical-case campaign was started for {year}"));

    private static IResult Forbidden(LocalizedText detail) =>
        Problem.Status(StatusCodes.Status403Forbidden, new("无权执行此操作", "You may not do this"), detail);

    private static IResult Conflict(LocalizedText title, LocalizedText detail) => Problem.Status(StatusCodes.Status409Conflict, title, detail);

    private static IResult WrongStage(TypicalCaseCampaign campaign, string expected) =>
        Conflict(new("当前阶段不能办理此事项", "Not at this stage"),
            new($"{campaign.Year} 年度遴选当前为 {campaign.Status}，此事项须在 {expected} 阶段办理",
                $"The {campaign.Year} campaign is {campaign.Status}; this is done while it is {expected}"));

    private static async Task<IResult> ListAsync(TypicalCaseStore campaigns, CancellationToken cancellationToken)
    {
        var views = new List<CampaignView>();
        foreach (var campaign in await campaigns.ListAsync(cancellationToken))
            views.Add(ViewOf(campaign, await campaigns.NominationsAsync(campaign.Year, null, cancellationToken)));
        return TypedResults.Ok(views);
    }

    private static async Task<IResult> GetAsync(int year, TypicalCaseStore campaigns, CancellationToken cancellationToken) =>
        await campaigns.FindAsync(year, cancellationToken) is { } campaign
            ? TypedResults.Ok(ViewOf(campaign, await campaigns.NominationsAsync(year, null, cancellationToken)))
            : NoCampaign(year);

    private static async Task<IResult> StartAsync(YearRequest? request, ClaimsPrincipal principal, TypicalCaseStore campaigns, WorkflowRuntime runtime,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var access = EnterpriseAccess.Of(principal);
        if (!access.IsProvince || !access.HasAny(Roles.Approver, Roles.AuditOfficer))
            return Forbidden(new("典型案例遴选由省厅审批人员或审核管理人员发起", "The province's approvers or audit officers start a campaign"));
        if (TypicalCases.RefusalOfYear(request?.Year, BeijingTime.DateOf(time.GetUtcNow())) is { } refusal)
            return Problem.Validation("year", refusal);
        var year = request!.Year!.Value;
        var now = time.GetUtcNow();
        var (campaign, created) = await campaigns.OpenAsync(year, now, access.Username, cancellationToken);
        // A campaign left "starting" for over a minute (its start failed) is started again by the one caller who claims
        // it; any other is there already (or being started right now).
        var restart = !created && campaign.Status == TypicalCases.Starting && campaign.InstanceId is null
            && now - campaign.StatusChangedAt > TimeSpan.FromMinutes(1) && await campaigns.ClaimRestartAsync(campaign, now, cancellationToken);
        if (!created && !restart)
            return Conflict(new("该年度遴选已发起", "The year's campaign exists already"),
                new($"{year} 年度遴选已于 {campaign.CreatedAt.ToBeijing():yyyy-MM-dd HH:mm} 由 {campaign.CreatedBy} 发起，本次未做任何事",
                    $"The {year} campaign was started by {campaign.CreatedBy}; nothing was done"));
        return await EngineProblems.RunAsync(async () =>
        {
            await runtime.StartAsync(TypicalCases.DefinitionKey, TypicalCases.BusinessKey(year),
                new JsonObject { ["year"] = year, ["province"] = Organisation.ProvinceCode }, Organisation.ProvinceCode, access.Username, cancellationToken);
            var started = (await campaigns.FindAsync(year, cancellationToken))!;
            return TypedResults.Created($"/api/v1/programmes/typical-cases/{year}", ViewOf(started, []));
        });
    }

    private static async Task<IResult> NominationsAsync(int year, ClaimsPrincipal principal, TypicalCaseStore campaigns, CancellationToken cancellationToken)
    {
        if (await campaigns.FindAsync(year, cancellationToken) is null)
            return NoCampaign(year);
        var access = EnterpriseAccess.Of(principal);
        return TypedResults.Ok((await campaigns.NominationsAsync(year, access.IsProvince ? null : access.OrganisationCode, cancellationToken))
            .Select(ViewOf).ToList());
    }

    private static async Task<IResult> NominateAsync(int year, NominationRequest? request, ClaimsPrincipal principal, TypicalCaseStore campaigns,
        EnterpriseStore enterprises, RegisterStore register, TimeProvider time, CancellationToken cancellationToken)
    {
        var access = EnterpriseAccess.Of(principal);
        if (!access.HasAny(Roles.AuditOfficer))
            return Forbidden(new("典型案例由设区市清洁生产审核管理人员推荐", "The cities' audit officers nominate typical cases"));
        var campaign = await campaigns.FindAsync(year, cancellationToken);
        if (campaign is null)
            return NoCampaign(year);
        if (campaign.Status != TypicalCases.Nominating)
            return WrongStage(campaign, TypicalCases.Nominating);
        var nomination = new NewNomination(request?.CreditCode, request?.Title, request?.Summary, request?.Technologies);
        var checkedNomination = nomination.Check(out var errors);
        var code = string.IsNullOrWhiteSpace(request?.CreditCode) ? null : UnifiedSocialCreditCode.Normalise(request.CreditCode);
        if (code is null)
            errors = [.. errors, new Domain.Common.FieldError("creditCode", new("须填写企业统一社会信用代码", "creditCode is required"))];
        if (errors.Count > 0)
            return Problem.Validation(errors);
        var enterprise = await enterprises.FindAsync(code!, cancellationToken);
        if (enterprise is null || !access.MaySee(enterprise.Enterprise.City))
            return Problem.Status(StatusCodes.Status404NotFound, new("找不到该企业", "No such enterprise"),
                new($"登记簿中没有统一社会信用代码为 {code} 的企业（或不在本单位辖区）", $"No enterprise {code} in the register (or not in your city)"));
        if ((await register.FindAsync(code!, cancellationToken))?.Status != "active")
            return Problem.Validation("creditCode", new($"{code} 不是有效的清洁生产先进企业，不能推荐为典型案例",
                $"{code} is not an active clean-production advanced enterprise, so it cannot be nominated"));
        var (created, refusal) = await campaigns.NominateAsync(year, code!, enterprise.Enterprise.City, checkedNomination!.Value.Title,
            checkedNomination.Value.Summary, checkedNomination.Value.Technologies, time.GetUtcNow(), access.Username, cancellationToken);
        if (created is null)
            return refusal == "duplicate"
                ? Conflict(new("该企业本年度已被推荐", "The enterprise is nominated already"),
                    new($"{code} 已有 {year} 年度的推荐", $"{code} has a {year} nomination already"))
                : WrongStage((await campaigns.FindAsync(year, cancellationToken))!, TypicalCases.Nominating);
        return TypedResults.Created($"/api/v1/programmes/typical-cases/{year}/nominations", ViewOf(created));
    }

    private static async Task<IResult> ReviewAsync(int year, Guid id, ReviewRequest? request, ClaimsPrincipal principal, TypicalCaseStore campaigns,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var access = EnterpriseAccess.Of(principal);
        if (!access.IsProvince || !access.HasAny(Roles.Review))
            return Forbidden(new("评分由省厅组织的评审人员录入", "The province's review staff record the experts' scores"));
        var campaign = await campaigns.FindAsync(year, cancellationToken);
        if (campaign is null)
            return NoCampaign(year);
        if ((await campaigns.NominationsAsync(year, null, cancellationToken)).All(n => n.Id != id))
            return Problem.Status(StatusCodes.Status404NotFound, new("找不到该推荐", "No such nomination"),
                new($"{year} 年度没有编号为 {id} 的推荐", $"No nomination {id} in {year}"));
        if (new NominationReview(request?.Score, request?.Opinion).Check(out var errors) is not { } review)
            return Problem.Validation(errors);
        if (campaign.Status != TypicalCases.Reviewing
            || !await campaigns.ReviewAsync(year, id, review.Score, review.Opinion, time.GetUtcNow(), access.Username, cancellationToken))
            return WrongStage((await campaigns.FindAsync(year, cancellationToken))!, TypicalCases.Reviewing);
        return TypedResults.Ok(ViewOf((await campaigns.NominationsAsync(year, null, cancellationToken)).Single(n => n.Id == id)));
    }

    private static async Task<IResult> SelectAsync(int year, SelectionRequest? request, ClaimsPrincipal principal, TypicalCaseStore campaigns,
        WorkflowRuntime runtime, IWorkflowStore workflows, CancellationToken cancellationToken)
    {
        var access = EnterpriseAccess.Of(principal);
        if (!access.IsProvince || !access.HasAny(Roles.Approver))
            return Forbidden(new("典型案例由省厅审批人员确定", "The province's approvers select the typical cases"));
        var campaign = await campaigns.FindAsync(year, cancellationToken);
        if (campaign is null)
            return NoCampaign(year);
        if (new Selection(request?.NominationIds).Check(out var errors) is not { } ids)
            return Problem.Validation(errors);
        var refused = Selection.CheckAgainst(ids, year, await campaigns.ScoresAsync(ids, cancellationToken));
        if (refused.Count > 0)
            return Problem.Validation(refused);
        var task = campaign.InstanceId is { } instanceId && campaign.Status == TypicalCases.Selecting
            ? (await workflows.ListTasksAsync(new TaskQuery { InstanceId = instanceId, Status = TaskStatus.Open, Limit = 50 }, cancellationToken))
                .FirstOrDefault(t => t.ElementId == "select")
            : null;
        if (task is null)
            return WrongStage(campaign, TypicalCases.Selecting);
        var variables = new JsonObject { ["selectedNominations"] = new JsonArray(ids.Select(i => (JsonNode)i.ToString("D")).ToArray()) };
        if (!string.IsNullOrWhiteSpace(request!.SelectionNote))
            variables["selectionNote"] = request.SelectionNote.Trim();
        var caller = WorkflowCaller.Of(principal);
        return await EngineProblems.RunAsync(async () =>
        {
            await runtime.CompleteTaskAsync(task.Id, caller.Actor, null, variables, null,
                completed => new IdempotentReply(StatusCodes.Status200OK, ""), cancellationToken);
            var published = (await campaigns.FindAsync(year, cancellationToken))!;
            return TypedResults.Ok(ViewOf(published, await campaigns.NominationsAsync(year, null, cancellationToken)));
        });
    }

    private static async Task<IResult> PublishedAsync(int? year, TypicalCaseStore campaigns, CancellationToken cancellationToken)
    {
        var years = new List<PublishedYear>();
        foreach (var campaign in (await campaigns.ListAsync(cancellationToken)).Where(c => c.Status == TypicalCases.Published && (year is null || c.Year == year)))
            years.Add(new(campaign.Year, campaign.PublishedAt, (await campaigns.NominationsAsync(campaign.Year, null, cancellationToken))
                .Where(n => n.Status == NominationStatus.Selected)
                .OrderByDescending(n => n.Score).ThenBy(n => n.NominatedAt)
                .Select(n => new PublishedCase(n.Title, n.EnterpriseName, n.CreditCode, Organisation.Find(n.City)?.NameZh ?? n.City, n.Summary, n.Score,
                    n.Technologies.Select(TechnologyOf).ToList()))
                .ToList()));
        return TypedResults.Ok(years);
    }

    private static CampaignView ViewOf(TypicalCaseCampaign c, IReadOnlyList<TypicalCaseNomination> nominations) =>
        new(c.Year, c.Status, c.InstanceId, c.StatusChangedAt, c.PublishedAt, c.CreatedAt, c.CreatedBy, nominations.Count,
            nominations.Count(n => n.Status == NominationStatus.Selected));

    private static NominationView ViewOf(TypicalCaseNomination n) =>
        new(n.Id, n.Year, n.CreditCode, n.EnterpriseName, n.City, n.Title, n.Summary, n.Status, n.Score, n.Opinion, n.ReviewedAt, n.ReviewedBy,
            n.NominatedAt, n.NominatedBy, n.Technologies.Select(TechnologyOf).ToList());

    private static TechnologyView TechnologyOf(StoredTechnology t) =>
        new(t.Name, t.Description, t.CatalogueRecommendedAt is not null, t.CatalogueRecommendedAt);
}
