using System.Security.Claims;
using System.Text.Json.Nodes;
using CleanProdFlow.Data.Enterprises;
using CleanProdFlow.Data.Quota;
using CleanProdFlow.Domain.Access;
using CleanProdFlow.Domain.Common;
using CleanProdFlow.Domain.Enterprises;
using CleanProdFlow.Domain.Quota;
using CleanProdFlow.Engine.Runtime;
using BeijingTime = CleanProdFlow.Timing.BeijingTime;
using CleanProdFlow.Web.Api.Enterprises;
using CleanProdFlow.Web.Api.Problems;
using CleanProdFlow.Web.Api.Workflows;
using CleanProdFlow.Web.Quota;

namespace CleanProdFlow.Web.Api.Quota;

/// <summary>
/// Total-emission quota (issue 10, measures 8 and 9): balances per holder and pollutant, an account's movements,
/// the registration of an audit-formed reduction, bids, offers (quota-trade) with their cancellation, settled
/// trades, deposits into the city reserve (quota-reserve) and the allocations of EIA cases. Amounts are tonnes per
/// year with at most three decimals, prices yuan per tonne. Staff of a city see and act on their city's holders and
/// reserve only (another city's is a 404); the province sees all. Offers, bids and deposits are recorded by the
/// quota officers (the reserve manager is a quota officer of the city), reductions by the audit officers.
/// </summary>
public static class QuotaEndpoints
{
    public sealed record AccountView(string HolderKind, string HolderId, string Pollutant, string City, decimal Balance, decimal Reserved, decimal Available);

    public sealed record MovementView(long Sequence, Guid EntryId, string Kind, string Reference, string? Memo, decimal Amount, decimal BalanceAfter,
        DateTimeOffset CreatedAt, string CreatedBy);

    public sealed record ReductionRequest(string? CreditCode, string? Pollutant, decimal? Amount, string? AuditReference);

    public sealed record ReductionView(Guid EntryId, bool Replayed, string CreditCode, string Pollutant, decimal Amount, decimal Balance, long AuditResultId,
        string AuditReference);

    public sealed record PoolingRequest(string? FromCity, string? Pollutant, decimal? Amount, string? Reference, string? Reason);

    public sealed record PoolingView(Guid EntryId, bool Replayed, string FromCity, string Pollutant, decimal Amount, string Reference, decimal CityReserveBalance,
        decimal ProvinceReserveBalance);

    public sealed record OrderRequest(string? CreditCode, string? Pollutant, decimal? Amount, decimal? Price);

    public sealed record BidView(Guid Id, string CreditCode, string City, string Pollutant, decimal Remaining, decimal MaxPrice, string Status, DateTimeOffset CreatedAt);

    public sealed record OfferView(Guid Id, string CreditCode, string City, string Pollutant, decimal Amount, decimal Price, string Status, string? BuyerCode,
        string? BuyerCity, int? BuyerRank, Guid? EntryId, Guid? InstanceId, DateTimeOffset StatusChangedAt, DateTimeOffset CreatedAt, string CreatedBy);

    public sealed record DepositView(Guid Id, string CreditCode, string City, string Pollutant, decimal Amount, decimal Price, string Status, Guid? EntryId,
        Guid? InstanceId, DateTimeOffset StatusChangedAt, DateTimeOffset CreatedAt, string CreatedBy);

    public sealed record AllocationView(Guid Id, string CaseNumber, string CreditCode, string City, string Pollutant, decimal Amount, bool Priority, string Status,
        string? SourceKind, string? SourceId, Guid? EntryId, Guid InstanceId, DateTimeOffset? PriorityWithdrawnAt, DateTimeOffset CreatedAt, DateTimeOffset ChangedAt);

    public static void MapQuota(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/quota").WithTags("quota");
        group.MapGet("/accounts", AccountsAsync).WithName("ListQuotaAccounts")
            .WithSummary("Balances per holder and pollutant (tonnes/year; reserved = held by open offers and deposits), filtered by holderKind, holderId, pollutant")
            .Produces<IReadOnlyList<AccountView>>().ProducesValidationProblem();
        group.MapGet("/accounts/{holderKind}/{holderId}/{pollutant}/movements", MovementsAsync).WithName("ListQuotaMovements")
            .WithSummary("An account's movements, newest first, each with its entry and the balance after it")
            .Produces<IReadOnlyList<MovementView>>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/reductions", ReductionAsync).WithName("RegisterQuotaReduction")
            .WithSummary("Register an accepted audit's verified reduction: auditReference names an accepted audit of the enterprise (its acceptance document number); credited to its tradable balance once per audit and pollutant (audit officers)")
            .Produces<ReductionView>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/pooling", PoolingAsync).WithName("PoolQuotaIntoProvincialReserve")
            .WithSummary("Move quota from a city reserve into the provincial reserve (上级统筹储备) under the province's decision reference (the province's quota officers); once per reference, city and pollutant")
            .Produces<PoolingView>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/bids/{id:guid}/withdraw", WithdrawBidAsync).WithName("WithdrawQuotaBid")
            .WithSummary("Withdraw a buyer's bid before any offer is matched to it (quota officers of the buyer's city); 409 once matched, filled or withdrawn")
            .Produces<BidView>().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/bids", BidsAsync).WithName("ListQuotaBids").WithSummary("Buyers' standing requests (求购)").Produces<IReadOnlyList<BidView>>();
        group.MapPost("/bids", PlaceBidAsync).WithName("PlaceQuotaBid")
            .WithSummary("Record a buyer's request (pollutant, amount, highest price); offers are matched to bids by priority, then age (quota officers)")
            .Produces<BidView>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/offers", OffersAsync).WithName("ListQuotaOffers").WithSummary("Offers to sell quota (出让), newest first").Produces<IReadOnlyList<OfferView>>();
        group.MapGet("/offers/{id:guid}", OfferAsync).WithName("GetQuotaOffer").WithSummary("One offer").Produces<OfferView>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/offers", OfferCreateAsync).WithName("CreateQuotaOffer")
            .WithSummary("Record a seller's offer: the amount is held on its account and quota-trade starts (quota officers); an Idempotency-Key makes a retry answer the offer it recorded")
            .Produces<OfferView>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/offers/{id:guid}/cancel", CancelAsync).WithName("CancelQuotaOffer")
            .WithSummary("Cancel an offer before settlement: sends quota.offer.cancel, which releases the hold")
            .Produces<OfferView>().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/trades", TradesAsync).WithName("ListQuotaTrades").WithSummary("Settled trades (offers with their buyer and ledger entry)")
            .Produces<IReadOnlyList<OfferView>>();
        group.MapGet("/deposits", DepositsAsync).WithName("ListQuotaDeposits").WithSummary("Deposits into the city reserve (收储), newest first")
            .Produces<IReadOnlyList<DepositView>>();
        group.MapGet("/deposits/{id:guid}", DepositAsync).WithName("GetQuotaDeposit").WithSummary("One deposit").Produces<DepositView>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/deposits", DepositCreateAsync).WithName("CreateQuotaDeposit")
            .WithSummary("Record an application to deposit quota into the city reserve (收储): the amount is held and quota-reserve starts (quota officers)")
            .Produces<DepositView>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/allocations", AllocationsAsync).WithName("ListQuotaAllocations")
            .WithSummary("EIA cases' quota allocations: waiting first, priority (advanced enterprises) before the others, then by age")
            .Produces<IReadOnlyList<AllocationView>>();
    }

    private static readonly string[] QuotaRoles = [Roles.QuotaOfficer, Roles.Admin];
    private static readonly string[] ReductionRoles = [Roles.AuditOfficer, Roles.Admin];

    private static string? CityFilter(EnterpriseAccess access) => access.IsProvince ? null : access.OrganisationCode;

    private static IResult Forbidden(LocalizedText detail) => EngineProblems.Forbidden(detail);

    private static IResult NoEnterprise(string code) =>
        Problem.Status(StatusCodes.Status404NotFound, new("找不到该企业", "No such enterprise"),
            new($"登记簿中没有统一社会信用代码为 {code} 的企业（或不在本单位辖区）", $"No enterprise {code} in the register (or not in your city)"));

    private static IResult NotFound(LocalizedText what) =>
        Problem.Status(StatusCodes.Status404NotFound, what, new("没有该记录，或不属于本单位辖区", "No such record, or not in your city"));

    private static decimal T(long milli) => QuotaAmount.ToTonnes(milli);

    private static AccountView View(QuotaAccount a) => new(a.HolderKind, a.HolderId, a.Pollutant, a.City, T(a.Balance), T(a.Reserved), T(a.Available));

    private static OfferView View(QuotaOffer o) => new(o.Id, o.CreditCode, o.City, o.Pollutant, T(o.Amount), o.PriceCents / 100m, o.Status, o.BuyerCode, o.BuyerCity,
        o.BuyerRank, o.EntryId, o.InstanceId, o.StatusChangedAt, o.CreatedAt, o.CreatedBy);

    private static DepositView View(QuotaDeposit d) => new(d.Id, d.CreditCode, d.City, d.Pollutant, T(d.Amount), d.PriceCents / 100m, d.Status, d.EntryId,
        d.InstanceId, d.StatusChangedAt, d.CreatedAt, d.CreatedBy);

    private static BidView View(QuotaBid b) => new(b.Id, b.CreditCode, b.City, b.Pollutant, T(b.Remaining), b.MaxPriceCents / 100m, b.Status, b.CreatedAt);

    private static AllocationView View(QuotaAllocation a) => new(a.Id, a.CaseNumber, a.CreditCode, a.City, a.Pollutant, T(a.Amount), a.Priority, a.Status,
        a.SourceKind, a.SourceId, a.EntryId, a.InstanceId, a.PriorityWithdrawnAt, a.CreatedAt, a.ChangedAt);

    /// <summary>The checked fields of an offer, bid or deposit: every bad one is named.</summary>
    private static (string Code, string Pollutant, long Milli, long PriceCents)? Check(OrderRequest request, string priceField, List<FieldError> errors)
    {
        var code = string.IsNullOrWhiteSpace(request.CreditCode) ? null : UnifiedSocialCreditCode.Normalise(request.CreditCode);
        if (code is null)
            errors.Add(new("creditCode", new("须填写企业的统一社会信用代码", "creditCode is required")));
        var pollutant = CheckPollutant(request.Pollutant, errors);
        long milli = 0;
        if (request.Amount is not { } amount || !QuotaAmount.TryFromTonnes(amount, out milli))
            errors.Add(new("amount", QuotaAmount.Refusal("amount")));
        long cents = 0;
        if (request.Price is not { } price || price < 0 || price > 100_000_000m || decimal.Round(price, 2) != price)
            errors.Add(new(priceField, new($"{priceField} 须为 0 至 100000000 之间的金额（元/吨，最多两位小数）", $"{priceField} must be an amount from 0 to 100,000,000 (yuan per tonne, at most two decimals)")));
        else
            cents = (long)(request.Price.Value * 100m);
        return errors.Count > 0 ? null : (code!, pollutant!, milli, cents);
    }

    private static string? CheckPollutant(string? text, List<FieldError> errors)
    {
        var pollutant = Pollutant.Normalise(text);
        if (pollutant is null)
            errors.Add(new("pollutant", new($"污染物须为 {string.Join("、", Pollutant.Names.Keys)} 之一", $"pollutant must be one of {string.Join(", ", Pollutant.Names.Keys)}")));
        return pollutant;
    }

    private static async Task<IResult> AccountsAsync(string? holderKind, string? holderId, string? pollutant, ClaimsPrincipal principal, QuotaLedger ledger,
        CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        if (holderKind is not null && holderKind is not (QuotaHolder.EnterpriseKind or QuotaHolder.CityReserveKind or QuotaHolder.ProvinceReserveKind))
            errors.Add(new("holderKind", new("holderKind 须为 enterprise、city-reserve 或 province-reserve", "holderKind must be enterprise, city-reserve or province-reserve")));
        var code = pollutant is null ? null : CheckPollutant(pollutant, errors);
        if (errors.Count > 0)
            return Problem.Validation(errors);
        var access = EnterpriseAccess.Of(principal);
        var accounts = await ledger.AccountsAsync(CityFilter(access), holderKind, holderId, code, cancellationToken: cancellationToken);
        return TypedResults.Ok(accounts.Select(View).ToList());
    }

    private static async Task<IResult> MovementsAsync(string holderKind, string holderId, string pollutant, int? limit, ClaimsPrincipal principal,
        QuotaLedger ledger, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        var code = CheckPollutant(pollutant, errors);
        if (limit is < 1 or > 1000)
            errors.Add(new("limit", new("limit 须在 1 至 1000 之间", "limit must be from 1 to 1000")));
        if (errors.Count > 0)
            return Problem.Validation(errors);
        var account = (await ledger.AccountsAsync(null, holderKind, holderId, code, cancellationToken: cancellationToken)).SingleOrDefault();
        if (account is null || account.HolderKind == QuotaHolder.SystemKind || !EnterpriseAccess.Of(principal).MaySee(account.City))
            return NotFound(new("找不到该账户", "No such quota account"));
        var holder = new QuotaHolder(account.HolderKind, account.HolderId, account.City);
        return TypedResults.Ok((await ledger.HistoryAsync(holder, account.Pollutant, limit ?? 200, cancellationToken))
            .Select(m => new MovementView(m.Sequence, m.EntryId, m.Kind, m.Reference, m.Memo, T(m.Amount), T(m.BalanceAfter), m.CreatedAt, m.CreatedBy)).ToList());
    }

    private static async Task<IResult> ReductionAsync(ReductionRequest request, ClaimsPrincipal principal, EnterpriseStore enterprises, QuotaReductionStore reductions,
        QuotaLedger ledger, TimeProvider time, CancellationToken cancellationToken)
    {
        var access = EnterpriseAccess.Of(principal);
        if (!access.HasAny(ReductionRoles))
            return Forbidden(new("审核形成的减排量由审核岗（或管理员）核定登记", "Audit officers (or administrators) register audit-formed reductions"));
        var errors = new List<FieldError>();
        var order = Check(new OrderRequest(request.CreditCode, request.Pollutant, request.Amount, 0m), "price", errors);
        if (string.IsNullOrWhiteSpace(request.AuditReference) || request.AuditReference.Trim().Length > 120)
            errors.Add(new("auditReference", new("须填写该企业已验收的清洁生产审核的验收文号（不超过 120 字）", "auditReference (the acceptance document number of the enterprise's accepted audit, at most 120 characters) is required")));
        if (order is not { } o || errors.Count > 0)
            return Problem.Validation(errors);
        var enterprise = await enterprises.FindAsync(o.Code, cancellationToken);
        if (enterprise is null || !access.MaySee(enterprise.Enterprise.City))
            return NoEnterprise(o.Code);
        var reference = request.AuditReference!.Trim();
        // The reduction stands on an accepted audit of this enterprise: recorded through the register or by an audit cycle's qualified acceptance.
        var numbered = await reductions.AuditsNumberedAsync(reference, cancellationToken);
        var audit = numbered.FirstOrDefault(a => a.CreditCode == o.Code);
        if (audit is null)
            return Problem.Validation("auditReference", numbered.Count > 0
                ? new($"验收文号 {reference} 是另一企业的审核验收，不能为 {o.Code} 登记减排量", $"The accepted audit {reference} is another enterprise's; it cannot credit {o.Code}")
                : new($"{o.Code} 没有验收文号为 {reference} 的清洁生产审核（须先在登记簿登记验收结果，或经审核周期验收合格）",
                    $"{o.Code} has no accepted audit numbered {reference} (record the acceptance in the register, or have the audit cycle accept it, first)"));
        if (audit.IsCertification)
            return Problem.Validation("auditReference", new($"{reference} 是视同审核的自愿性清洁生产认证，不是核定减排量的审核验收",
                $"{reference} is a voluntary certification counted as an audit, not an audit acceptance that verified a reduction"));
        var holder = QuotaHolder.Enterprise(o.Code, enterprise.Enterprise.City);
        var (reduction, replayed) = await reductions.RegisterAsync(audit, holder, o.Pollutant, o.Milli, access.Username, time.GetUtcNow(), cancellationToken);
        if (replayed && reduction.Amount != o.Milli)
            return Problem.Validation("auditReference", new(
                $"审核 {reference} 的 {o.Pollutant} 减排量已于 {BeijingTime.DateOf(reduction.RegisteredAt):yyyy-MM-dd} 核定登记 {T(reduction.Amount)} 吨/年：每次审核每种污染物只登记一次",
                $"Audit {reference}'s {o.Pollutant} reduction was registered on {BeijingTime.DateOf(reduction.RegisteredAt):yyyy-MM-dd} as {T(reduction.Amount)} t/a: one registration per audit and pollutant"));
        var balance = (await ledger.AccountAsync(holder, o.Pollutant, cancellationToken: cancellationToken))!.Balance;
        var view = new ReductionView(reduction.EntryId, replayed, o.Code, o.Pollutant, T(reduction.Amount), T(balance), reduction.AuditResultId, audit.DocumentNumber);
        return replayed ? TypedResults.Ok(view) : TypedResults.Created($"/api/v1/quota/accounts/enterprise/{o.Code}/{o.Pollutant}/movements", view);
    }

    private static async Task<IResult> PoolingAsync(PoolingRequest request, ClaimsPrincipal principal, QuotaLedger ledger, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var access = EnterpriseAccess.Of(principal);
        if (!access.IsProvince || !access.HasAny(QuotaRoles))
            return Forbidden(new("上级统筹储备由省厅总量岗（或省级管理员）办理", "The province's quota officers (or administrators) pool quota into the provincial reserve"));
        var errors = new List<FieldError>();
        var fromCity = request.FromCity?.Trim();
        if (Organisation.Find(fromCity) is not { IsProvince: false })
            errors.Add(new("fromCity", new("fromCity 须为设区市代码（调出储备库所在的市）", "fromCity must be a city code (the city whose reserve gives the quota)")));
        var pollutant = CheckPollutant(request.Pollutant, errors);
        long milli = 0;
        if (request.Amount is not { } amount || !QuotaAmount.TryFromTonnes(amount, out milli))
            errors.Add(new("amount", QuotaAmount.Refusal("amount")));
        if (string.IsNullOrWhiteSpace(request.Reference) || request.Reference.Trim().Length > 120)
            errors.Add(new("reference", new("须填写省厅统筹决定的文号（不超过 120 字）", "reference (the number of the province's pooling decision, at most 120 characters) is required")));
        if (request.Reason is { Length: > 500 })
            errors.Add(new("reason", new("reason 不超过 500 字", "reason is at most 500 characters")));
        if (errors.Count > 0)
            return Problem.Validation(errors);
        var reference = request.Reference!.Trim();
        var posted = await ledger.PostAsync(QuotaEntryDraft.Pooling(fromCity!, pollutant!, milli, reference, request.Reason?.Trim() is { Length: > 0 } r ? r : "上级统筹储备"),
            access.Username, time.GetUtcNow(), cancellationToken: cancellationToken);
        if (!posted.Done)
            return Problem.Status(StatusCodes.Status409Conflict, new("储备库可用指标不足", "Not enough quota in the reserve"),
                new($"{fromCity} 储备库的 {pollutant} 可用余额不足 {T(milli)} 吨/年", $"{fromCity}'s reserve has less than {T(milli)} t/a of {pollutant} available"));
        if (posted.Replayed && await ledger.EntryAsync(posted.EntryId!.Value, cancellationToken) is { } earlier && earlier.Amount != milli)
            return Problem.Validation("reference", new($"文号 {reference} 已用于从 {fromCity} 统筹 {T(earlier.Amount)} 吨/年 {pollutant}", 
                $"Reference {reference} already pooled {T(earlier.Amount)} t/a of {pollutant} from {fromCity}"));
        var city = await ledger.AccountAsync(QuotaHolder.CityReserve(fromCity!), pollutant!, cancellationToken: cancellationToken);
        var province = await ledger.AccountAsync(QuotaHolder.ProvinceReserve, pollutant!, cancellationToken: cancellationToken);
        var view = new PoolingView(posted.EntryId!.Value, posted.Replayed, fromCity!, pollutant!, T(milli), reference, T(city?.Balance ?? 0), T(province?.Balance ?? 0));
        return posted.Replayed ? TypedResults.Ok(view) : TypedResults.Created($"/api/v1/quota/accounts/province-reserve/{Organisation.ProvinceCode}/{pollutant}/movements", view);
    }

    /// <summary>The enterprise of an order, when the caller may act on it; otherwise the 403/404 to answer.</summary>
    private static async Task<(QuotaHolder? Holder, string Name, IResult? Problem)> HolderAsync(EnterpriseAccess access, string code, EnterpriseStore enterprises,
        CancellationToken cancellationToken)
    {
        var enterprise = await enterprises.FindAsync(code, cancellationToken);
        if (enterprise is null || !access.MaySee(enterprise.Enterprise.City))
            return (null, "", NoEnterprise(code));
        return (QuotaHolder.Enterprise(code, enterprise.Enterprise.City), enterprise.Enterprise.Name, null);
    }

    private static async Task<IResult> PlaceBidAsync(OrderRequest request, ClaimsPrincipal principal, EnterpriseStore enterprises, QuotaMarketStore market,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var access = EnterpriseAccess.Of(principal);
        if (!access.HasAny(QuotaRoles))
            return Forbidden(new("求购由总量岗（或管理员）登记", "Quota officers (or administrators) record bids"));
        var errors = new List<FieldError>();
        if (Check(request, "price", errors) is not { } o)
            return Problem.Validation(errors);
        var (holder, _, problem) = await HolderAsync(access, o.Code, enterprises, cancellationToken);
        if (problem is not null)
            return problem;
        var bid = await market.PlaceBidAsync(holder!, o.Pollutant, o.Milli, o.PriceCents, access.Username, time.GetUtcNow(), cancellationToken);
        return TypedResults.Created($"/api/v1/quota/bids", View(bid));
    }

    private static async Task<IResult> WithdrawBidAsync(Guid id, ClaimsPrincipal principal, QuotaMarketStore market, CancellationToken cancellationToken)
    {
        var access = EnterpriseAccess.Of(principal);
        var bid = await market.FindBidAsync(id, cancellationToken);
        if (bid is null || !access.MaySee(bid.City))
            return NotFound(new("找不到该求购", "No such bid"));
        if (!access.MayChange(bid.City, QuotaRoles))
            return Forbidden(new("求购由买方所在设区市的总量岗撤回", "The quota officers of the buyer's city withdraw bids"));
        return await market.WithdrawBidAsync(bid, cancellationToken)
            ? TypedResults.Ok(View((await market.FindBidAsync(id, cancellationToken))!))
            : Problem.Status(StatusCodes.Status409Conflict, new("该求购已不能撤回", "The bid can no longer be withdrawn"),
                new($"求购状态为 {bid.Status}：已撮合、已成交或已撤回的求购不能撤回", $"the bid is {bid.Status}: a bid that was matched, filled or withdrawn cannot be withdrawn"));
    }

    private static async Task<IResult> BidsAsync(ClaimsPrincipal principal, QuotaMarketStore market, CancellationToken cancellationToken) =>
        TypedResults.Ok((await market.BidsAsync(CityFilter(EnterpriseAccess.Of(principal)), cancellationToken)).Select(View).ToList());

    private static async Task<IResult> OfferCreateAsync(OrderRequest request, HttpRequest http, ClaimsPrincipal principal, EnterpriseStore enterprises,
        QuotaMarketStore market, QuotaWorkflows workflows, TimeProvider time, CancellationToken cancellationToken)
    {
        var access = EnterpriseAccess.Of(principal);
        if (!access.HasAny(QuotaRoles))
            return Forbidden(new("出让申请由总量岗（或管理员）登记", "Quota officers (or administrators) record offers"));
        string? key = null;
        if (http.Headers.TryGetValue(TaskEndpoints.IdempotencyKeyHeader, out var values))
        {
            key = values.Count == 1 ? values[0]?.Trim() : null;
            if (string.IsNullOrEmpty(key) || key.Length > TaskEndpoints.MaxIdempotencyKeyLength)
                return Problem.Validation(TaskEndpoints.IdempotencyKeyHeader, new($"{TaskEndpoints.IdempotencyKeyHeader} 须为 1–{TaskEndpoints.MaxIdempotencyKeyLength} 个字符的单个值",
                    $"{TaskEndpoints.IdempotencyKeyHeader} must be one value of 1 to {TaskEndpoints.MaxIdempotencyKeyLength} characters"));
        }
        var errors = new List<FieldError>();
        if (Check(request, "price", errors) is not { } o)
            return Problem.Validation(errors);
        var (holder, name, problem) = await HolderAsync(access, o.Code, enterprises, cancellationToken);
        if (problem is not null)
            return problem;
        var (offer, created) = await market.CreateOfferAsync(holder!, o.Pollutant, o.Milli, o.PriceCents, access.Username, key, time.GetUtcNow(), cancellationToken);
        if (offer is null)
            return Problem.Status(StatusCodes.Status409Conflict, new("可交易余额不足", "Not enough tradable quota"),
                new($"{o.Code} 的 {o.Pollutant} 可用余额（余额减去已冻结）不足 {T(o.Milli)} 吨/年", $"{o.Code}'s available {o.Pollutant} (balance less holds) is below {T(o.Milli)} t/a"));
        if (!created)
            return TypedResults.Ok(View(offer));
        await workflows.StartTradeAsync(offer, name, access.Username, cancellationToken);
        return TypedResults.Created($"/api/v1/quota/offers/{offer.Id:D}", View((await market.FindOfferAsync(offer.Id, null, cancellationToken))!));
    }

    private static async Task<IResult> OffersAsync(ClaimsPrincipal principal, QuotaMarketStore market, CancellationToken cancellationToken) =>
        TypedResults.Ok((await market.OffersAsync(CityFilter(EnterpriseAccess.Of(principal)), cancellationToken)).Select(View).ToList());

    private static async Task<IResult> TradesAsync(ClaimsPrincipal principal, QuotaMarketStore market, CancellationToken cancellationToken) =>
        TypedResults.Ok((await market.OffersAsync(CityFilter(EnterpriseAccess.Of(principal)), cancellationToken))
            .Where(o => o.Status == QuotaStatus.Settled).Select(View).ToList());

    private static bool MaySee(EnterpriseAccess access, QuotaOffer offer) => access.MaySee(offer.City) || (offer.BuyerCity is { } b && access.MaySee(b));

    private static async Task<IResult> OfferAsync(Guid id, ClaimsPrincipal principal, QuotaMarketStore market, CancellationToken cancellationToken)
    {
        var offer = await market.FindOfferAsync(id, null, cancellationToken);
        return offer is null || !MaySee(EnterpriseAccess.Of(principal), offer) ? NotFound(new("找不到该出让申请", "No such offer")) : TypedResults.Ok(View(offer));
    }

    private static async Task<IResult> CancelAsync(Guid id, ClaimsPrincipal principal, QuotaMarketStore market, WorkflowRuntime runtime,
        CancellationToken cancellationToken)
    {
        var access = EnterpriseAccess.Of(principal);
        var offer = await market.FindOfferAsync(id, null, cancellationToken);
        if (offer is null || !MaySee(access, offer))
            return NotFound(new("找不到该出让申请", "No such offer"));
        if (!access.MayChange(offer.City, QuotaRoles))
            return Forbidden(new("出让由卖方所在设区市的总量岗撤销", "The quota officers of the seller's city cancel offers"));
        var correlated = await runtime.CorrelateAsync("quota.offer.cancel", id.ToString("D"), new JsonObject { ["cancelledBy"] = access.Username },
            access.Username, cancellationToken);
        return correlated > 0
            ? TypedResults.Ok(View((await market.FindOfferAsync(id, null, cancellationToken))!))
            : Problem.Status(StatusCodes.Status409Conflict, new("该出让已不能撤销", "The offer can no longer be cancelled"),
                new($"出让状态为 {offer.Status}：已结算、已撤销或不予挂牌的不能撤销", $"the offer is {offer.Status}: a settled, cancelled or rejected offer cannot be cancelled"));
    }

    private static async Task<IResult> DepositCreateAsync(OrderRequest request, ClaimsPrincipal principal, EnterpriseStore enterprises, QuotaMarketStore market,
        QuotaWorkflows workflows, TimeProvider time, CancellationToken cancellationToken)
    {
        var access = EnterpriseAccess.Of(principal);
        if (!access.HasAny(QuotaRoles))
            return Forbidden(new("收储申请由总量岗（储备库管理，或管理员）登记", "Quota officers (reserve managers, or administrators) record deposits"));
        var errors = new List<FieldError>();
        if (Check(request, "price", errors) is not { } o)
            return Problem.Validation(errors);
        var (holder, name, problem) = await HolderAsync(access, o.Code, enterprises, cancellationToken);
        if (problem is not null)
            return problem;
        var deposit = await market.CreateDepositAsync(holder!, o.Pollutant, o.Milli, o.PriceCents, access.Username, time.GetUtcNow(), cancellationToken);
        if (deposit is null)
            return Problem.Status(StatusCodes.Status409Conflict, new("可交易余额不足", "Not enough tradable quota"),
                new($"{o.Code} 的 {o.Pollutant} 可用余额（余额减去已冻结）不足 {T(o.Milli)} 吨/年", $"{o.Code}'s available {o.Pollutant} (balance less holds) is below {T(o.Milli)} t/a"));
        await workflows.StartReserveAsync(deposit, name, access.Username, cancellationToken);
        return TypedResults.Created($"/api/v1/quota/deposits/{deposit.Id:D}", View((await market.FindDepositAsync(deposit.Id, null, cancellationToken))!));
    }

    private static async Task<IResult> DepositsAsync(ClaimsPrincipal principal, QuotaMarketStore market, CancellationToken cancellationToken) =>
        TypedResults.Ok((await market.DepositsAsync(CityFilter(EnterpriseAccess.Of(principal)), cancellationToken)).Select(View).ToList());

    private static async Task<IResult> DepositAsync(Guid id, ClaimsPrincipal principal, QuotaMarketStore market, CancellationToken cancellationToken)
    {
        var deposit = await market.FindDepositAsync(id, null, cancellationToken);
        return deposit is null || !EnterpriseAccess.Of(principal).MaySee(deposit.City) ? NotFound(new("找不到该收储申请", "No such deposit")) : TypedResults.Ok(View(deposit));
    }

    private static async Task<IResult> AllocationsAsync(ClaimsPrincipal principal, QuotaAllocationStore allocations, CancellationToken cancellationToken) =>
        TypedResults.Ok((await allocations.ListAsync(CityFilter(EnterpriseAccess.Of(principal)), cancellationToken)).Select(View).ToList());
}
