using CleanProdFlow.Data.Quota;
using CleanProdFlow.Domain.Quota;
using CleanProdFlow.Web.Api.Enterprises;
using Microsoft.AspNetCore.Mvc;

namespace CleanProdFlow.Web.Pages.Quota;

/// <summary>
/// 总量指标 (issue 10), read only: the balances of the caller's city's holders and reserve per pollutant (the province:
/// every account), one account's movements, open offers and bids, and deposits under review. A city's staff see their
/// city's by the same rule as the API; another city's account is the 404 page. The work is done in the inbox and the API.
/// </summary>
public sealed class IndexModel(QuotaLedger ledger, QuotaMarketStore market) : CpfPageModel
{
    public IReadOnlyList<QuotaAccount> Accounts { get; private set; } = [];
    public QuotaAccount? Selected { get; private set; }
    public IReadOnlyList<QuotaMovement> Movements { get; private set; } = [];
    public IReadOnlyList<QuotaOffer> OpenOffers { get; private set; } = [];
    public IReadOnlyList<QuotaBid> OpenBids { get; private set; } = [];
    public IReadOnlyList<QuotaDeposit> OpenDeposits { get; private set; } = [];
    public EnterpriseAccess Access { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string? holderKind, string? holderId, string? pollutant, CancellationToken cancellationToken)
    {
        Access = EnterpriseAccess.Of(User);
        if (!Access.Roles.Any())
            return StatusPage(StatusCodes.Status403Forbidden);
        var city = Access.IsProvince ? null : Access.OrganisationCode;
        Accounts = await ledger.AccountsAsync(city, cancellationToken: cancellationToken);
        if (holderKind is not null || holderId is not null || pollutant is not null)
        {
            var code = Pollutant.Normalise(pollutant);
            Selected = code is null || holderKind is null || holderId is null || holderKind == QuotaHolder.SystemKind ? null
                : (await ledger.AccountsAsync(null, holderKind, holderId, code, cancellationToken: cancellationToken)).SingleOrDefault();
            if (Selected is null || !Access.MaySee(Selected.City))
                return StatusPage(StatusCodes.Status404NotFound);
            Movements = await ledger.HistoryAsync(new QuotaHolder(Selected.HolderKind, Selected.HolderId, Selected.City), Selected.Pollutant, 200, cancellationToken);
        }
        OpenOffers = (await market.OffersAsync(city, cancellationToken)).Where(o => o.Status is QuotaStatus.Review or QuotaStatus.Listed).ToList();
        OpenBids = (await market.BidsAsync(city, cancellationToken)).Where(b => b.Status == QuotaStatus.BidOpen).ToList();
        OpenDeposits = (await market.DepositsAsync(city, cancellationToken)).Where(d => d.Status == QuotaStatus.Review).ToList();
        return Page();
    }

    public static string Tonnes(long milli) => QuotaAmount.ToTonnes(milli).ToString("0.000", System.Globalization.CultureInfo.InvariantCulture);

    public static string Price(long cents) => (cents / 100m).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);

    public static string PollutantName(string code) =>
        Pollutant.Names.TryGetValue(code, out var name) ? Ui.T($"{name.Zh}（{code}）", $"{name.En} ({code})") : code;

    public static string HolderName(string kind, string id) => kind switch
    {
        QuotaHolder.CityReserveKind => Ui.T($"市级储备库（{Ui.OrganisationName(id)}）", $"City reserve ({Ui.OrganisationName(id)})"),
        QuotaHolder.ProvinceReserveKind => Ui.T("省级储备库", "Provincial reserve"),
        _ => id,
    };

    public static string KindName(string kind) => kind switch
    {
        QuotaEntryDraft.IssuanceKind => Ui.T("审核减排量核定", "Audit reduction"),
        QuotaEntryDraft.TradeKind => Ui.T("交易", "Trade"),
        QuotaEntryDraft.DepositKind => Ui.T("收储", "Deposit"),
        QuotaEntryDraft.AllocationKind => Ui.T("环评调剂", "EIA allocation"),
        QuotaEntryDraft.PoolingKind => Ui.T("上级统筹储备", "Pooled by the province"),
        QuotaEntryDraft.RetirementKind => Ui.T("注销", "Retirement"),
        _ => kind,
    };

    public static string OfferStatusName(string status) => status switch
    {
        QuotaStatus.Review => Ui.T("审核中", "Under review"),
        QuotaStatus.Listed => Ui.T("挂牌等待买方", "Listed"),
        _ => status,
    };

    public static string MovementsHref(QuotaAccount a) =>
        $"/quota?holderKind={Uri.EscapeDataString(a.HolderKind)}&holderId={Uri.EscapeDataString(a.HolderId)}&pollutant={Uri.EscapeDataString(a.Pollutant)}#movements";
}
