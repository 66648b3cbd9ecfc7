using System.Security.Claims;
using System.Text.Json.Nodes;
using CleanProdFlow.Data.Programmes;
using CleanProdFlow.Data.Timing;
using CleanProdFlow.Domain.Access;
using CleanProdFlow.Domain.Enterprises;
using CleanProdFlow.Domain.Programmes;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.Timing;
using CleanProdFlow.Web.Api.Clocks;
using CleanProdFlow.Web.Api.Enterprises;
using CleanProdFlow.Web.Api.Problems;
using CleanProdFlow.Web.Api.Workflows;
using CleanProdFlow.Web.Timing;

namespace CleanProdFlow.Web.Api.Programmes;

/// <summary>
/// The yearly green-finance batches (环保贷/环保担项目库推荐, measure 5): the batches, one batch with its candidates
/// and its selection clock, a start by hand for a year the timer missed, and a reviewer's exclusion of a candidate
/// with a reason. The province's approver acts (the recommendation is the department's outward decision, like
/// admission to the register); city staff read their own city's candidates only; auditors read everything.
/// </summary>
public static class GreenFinanceEndpoints
{
    public sealed record YearRequest(int? Year);

    public sealed record ExclusionRequest(string? Reason);

    public sealed record CandidateView(string CreditCode, string EnterpriseName, string City, string CertificateNumber, string Status, string? Reason,
        DateTimeOffset ChangedAt, string ChangedBy);

    public sealed record BatchSummary(int Year, string Status, Guid InstanceId, DateTimeOffset BuiltAt, string BuiltBy, DateTimeOffset? RecommendedAt,
        IReadOnlyDictionary<string, int> Counts);

    public sealed record BatchDetails(int Year, string Status, Guid InstanceId, DateTimeOffset BuiltAt, string BuiltBy, DateTimeOffset? RecommendedAt,
        ClockEndpoints.ClockView? Clock, IReadOnlyDictionary<string, int> Counts, IReadOnlyList<CandidateView> Candidates);

    public static void MapGreenFinance(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/programmes/green-finance").WithTags("programmes");
        group.MapGet("/batches", ListAsync).WithName("ListGreenFinanceBatches")
            .WithSummary("The yearly green-finance batches (环保贷/环保担项目库推荐), newest first").Produces<IReadOnlyList<BatchSummary>>();
        group.MapPost("/batches", StartAsync).WithName("StartGreenFinanceBatch")
            .WithSummary("Start last year's batch by hand (the timer starts it every 2 January); a year with a batch is a 409 and changes nothing")
            .Produces<BatchDetails>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/batches/{year:int}", GetAsync).WithName("GetGreenFinanceBatch")
            .WithSummary("One batch with its candidates (city staff: their city's) and its selection clock (finance.pool-selection)")
            .Produces<BatchDetails>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/batches/{year:int}/candidates/{creditCode}/exclusion", ExcludeAsync).WithName("ExcludeGreenFinanceCandidate")
            .WithSummary("Exclude a candidate from the recommendation with a reason (province approver, while the batch is under review)")
            .Produces<CandidateView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static IResult NoBatch(int year) =>
        Problem.Status(StatusCodes.Status404NotFound, new("找不到该年度推荐批次", "No such batch"),
            new($"{year} 年度没有环保贷/环保担推荐批次", $"There is no green-finance batch for {year}"));

    private static IResult Forbidden() =>
        Problem.Status(StatusCodes.Status403Forbidden, new("无权执行此操作", "You may not do this"),
            new("环保贷/环保担推荐批次由省厅审批人员办理", "The province's approvers handle the green-finance batches"));

    /// <summary>City staff read their own city's candidates; the province (and its auditors) read all.</summary>
    private static string? CityFilter(EnterpriseAccess access) => access.IsProvince ? null : access.OrganisationCode;

    private static bool MayAct(EnterpriseAccess access) => access.IsProvince && access.HasAny(Roles.Approver);

    private static async Task<IResult> ListAsync(ClaimsPrincipal principal, GreenFinanceStore batches, CancellationToken cancellationToken)
    {
        var city = CityFilter(EnterpriseAccess.Of(principal));
        var list = new List<BatchSummary>();
        foreach (var batch in await batches.ListAsync(cancellationToken))
            list.Add(new(batch.Year, batch.Status, batch.InstanceId, batch.BuiltAt, batch.BuiltBy, batch.RecommendedAt,
                Counts(await batches.CandidatesAsync(batch.Year, city, cancellationToken))));
        return TypedResults.Ok(list);
    }

    private static async Task<IResult> GetAsync(int year, ClaimsPrincipal principal, GreenFinanceStore batches, ClockStore clocks, StatutoryTime statutory,
        TimeProvider time, CancellationToken cancellationToken) =>
        await batches.FindAsync(year, cancellationToken) is { } batch
            ? TypedResults.Ok(await DetailsAsync(batch, CityFilter(EnterpriseAccess.Of(principal)), batches, clocks, statutory, time, cancellationToken))
            : NoBatch(year);

    private static async Task<IResult> StartAsync(YearRequest? request, ClaimsPrincipal principal, GreenFinanceStore batches, WorkflowRuntime runtime,
        ClockStore clocks, StatutoryTime statutory, TimeProvider time, CancellationToken cancellationToken)
    {
        var access = EnterpriseAccess.Of(principal);
        if (!MayAct(access))
            return Forbidden();
        var today = BeijingTime.DateOf(time.GetUtcNow());
        if (GreenFinanceBatch.RefusalOfYear(request?.Year, today) is { } refusal)
            return Problem.Validation("year", refusal);
        var year = request!.Year!.Value;
        if (await batches.FindAsync(year, cancellationToken) is { } existing)
            return Exists(existing);
        return await EngineProblems.RunAsync(async () =>
        {
            var started = await runtime.StartAsync(GreenFinanceBatch.DefinitionKey, $"green-finance-{year}",
                new JsonObject { ["year"] = year, ["startedBy"] = access.Username }, Organisation.ProvinceCode, access.Username, cancellationToken);
            var batch = await batches.FindAsync(year, cancellationToken);
            if (batch is null)
                return Problem.Status(StatusCodes.Status500InternalServerError, new("批次未能组建", "The batch was not built"),
                    new($"流程实例 {started.Id} 未组建批次，请查看其事件", $"Instance {started.Id} built no batch; see its incidents"));
            // Another start for the same year won the race: this instance ended at "batch exists".
            if (batch.InstanceId != started.Id)
                return Exists(batch);
            return TypedResults.Created($"/api/v1/programmes/green-finance/batches/{year}",
                await DetailsAsync(batch, null, batches, clocks, statutory, time, cancellationToken));
        });
    }

    private static IResult Exists(GreenFinanceBatchRecord batch) =>
        Problem.Status(StatusCodes.Status409Conflict, new("该年度推荐批次已存在", "The year's batch exists already"),
            new($"{batch.Year} 年度批次已由实例 {batch.InstanceId} 组建，本次未做任何事", $"The {batch.Year} batch was built by instance {batch.InstanceId}; nothing was done"));

    private static async Task<IResult> ExcludeAsync(int year, string creditCode, ExclusionRequest? request, ClaimsPrincipal principal,
        GreenFinanceStore batches, TimeProvider time, CancellationToken cancellationToken)
    {
        var access = EnterpriseAccess.Of(principal);
        if (!MayAct(access))
            return Forbidden();
        var batch = await batches.FindAsync(year, cancellationToken);
        if (batch is null)
            return NoBatch(year);
        var code = UnifiedSocialCreditCode.Normalise(creditCode);
        var candidate = (await batches.CandidatesAsync(year, null, cancellationToken)).FirstOrDefault(c => c.CreditCode == code);
        if (candidate is null)
            return Problem.Status(StatusCodes.Status404NotFound, new("该企业不在推荐批次中", "The enterprise is not in the batch"),
                new($"{year} 年度批次中没有统一社会信用代码为 {code} 的企业", $"No enterprise {code} in the {year} batch"));
        if (GreenFinanceBatch.CheckReason(request?.Reason, out var error) is not { } reason)
            return Problem.Validation([error!]);
        if (!await batches.ExcludeAsync(year, code, reason, time.GetUtcNow(), access.Username, cancellationToken))
            return Problem.Status(StatusCodes.Status409Conflict, new("不能排除该企业", "The enterprise cannot be excluded"),
                new($"批次状态为 {batch.Status}，该企业状态为 {candidate.Status}：只有审核中的批次可排除候选企业",
                    $"The batch is {batch.Status} and the enterprise {candidate.Status}: only a candidate of a batch under review can be excluded"));
        var changed = (await batches.CandidatesAsync(year, null, cancellationToken)).Single(c => c.CreditCode == code);
        return TypedResults.Ok(ViewOf(changed));
    }

    private static async Task<BatchDetails> DetailsAsync(GreenFinanceBatchRecord batch, string? city, GreenFinanceStore batches, ClockStore clocks,
        StatutoryTime statutory, TimeProvider time, CancellationToken cancellationToken)
    {
        var candidates = await batches.CandidatesAsync(batch.Year, city, cancellationToken);
        var clock = await clocks.FindAsync(WorkflowRuntime.ClockSubject(batch.InstanceId, GreenFinanceBatch.ClockName), cancellationToken);
        return new(batch.Year, batch.Status, batch.InstanceId, batch.BuiltAt, batch.BuiltBy, batch.RecommendedAt,
            clock is null ? null : ClockEndpoints.ViewOf(GreenFinanceBatch.ClockName, clock.Clock, time.GetUtcNow(), statutory),
            Counts(candidates), candidates.Select(ViewOf).ToList());
    }

    private static IReadOnlyDictionary<string, int> Counts(IReadOnlyList<GreenFinanceCandidate> candidates) =>
        new[] { GreenFinanceCandidateStatus.Candidate, GreenFinanceCandidateStatus.Excluded, GreenFinanceCandidateStatus.DroppedRevoked,
                GreenFinanceCandidateStatus.Recommended }
            .ToDictionary(s => s, s => candidates.Count(c => c.Status == s));

    private static CandidateView ViewOf(GreenFinanceCandidate c) =>
        new(c.CreditCode, c.EnterpriseName, c.City, c.CertificateNumber, c.Status, c.Reason, c.ChangedAt, c.ChangedBy);
}
