using CleanProdFlow.Data.Programmes;
using CleanProdFlow.Data.Timing;
using CleanProdFlow.Domain.Programmes;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.Web.Api.Enterprises;

namespace CleanProdFlow.Web.Pages.Programmes;

/// <summary>A green-finance batch as the page shows it: the candidates the user may see and the selection period's due date.</summary>
public sealed record BatchView(GreenFinanceBatchRecord Batch, DateOnly? DueDate, IReadOnlyList<GreenFinanceCandidate> Candidates);

/// <summary>A typical-case campaign with the nominations the user may see.</summary>
public sealed record CampaignView(TypicalCaseCampaign Campaign, IReadOnlyList<TypicalCaseNomination> Nominations);

/// <summary>
/// 年度专项: the yearly green-finance batches (measure 5) and typical-case campaigns (measure 3), read only — the work
/// itself is done in the inbox and through the API. A city's staff see their city's candidates and nominations, the
/// province (and its auditors) every one, by the same rule as the API.
/// </summary>
public sealed class IndexModel(GreenFinanceStore batches, TypicalCaseStore campaigns, ClockStore clocks) : CpfPageModel
{
    public IReadOnlyList<BatchView> Batches { get; private set; } = [];
    public IReadOnlyList<CampaignView> Campaigns { get; private set; } = [];
    public EnterpriseAccess Access { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Access = EnterpriseAccess.Of(User);
        var city = Access.IsProvince ? null : Access.OrganisationCode;
        var batchViews = new List<BatchView>();
        foreach (var batch in await batches.ListAsync(cancellationToken))
        {
            var clock = await clocks.FindAsync(WorkflowRuntime.ClockSubject(batch.InstanceId, GreenFinanceBatch.ClockName), cancellationToken);
            batchViews.Add(new(batch, clock?.Clock.DueDate, await batches.CandidatesAsync(batch.Year, city, cancellationToken)));
        }
        Batches = batchViews;
        var campaignViews = new List<CampaignView>();
        foreach (var campaign in await campaigns.ListAsync(cancellationToken))
            campaignViews.Add(new(campaign, await campaigns.NominationsAsync(campaign.Year, city, cancellationToken)));
        Campaigns = campaignViews;
    }

    public static string CandidateStatusName(string status) => status switch
    {
        GreenFinanceCandidateStatus.Candidate => Ui.T("候选", "Candidate"),
        GreenFinanceCandidateStatus.Excluded => Ui.T("已排除", "Excluded"),
        GreenFinanceCandidateStatus.DroppedRevoked => Ui.T("撤销后剔除", "Dropped (revoked)"),
        GreenFinanceCandidateStatus.Recommended => Ui.T("已推荐入库", "Recommended"),
        _ => status,
    };

    public static string BatchStatusName(string status) => status switch
    {
        GreenFinanceBatch.Reviewing => Ui.T("审核中", "Under review"),
        GreenFinanceBatch.Recommended => Ui.T("已推荐", "Recommended"),
        _ => status,
    };

    public static string CampaignStatusName(string status) => status switch
    {
        TypicalCases.Starting => Ui.T("启动中", "Starting"),
        TypicalCases.Nominating => Ui.T("征集推荐中", "Taking nominations"),
        TypicalCases.Reviewing => Ui.T("专家评审中", "Expert review"),
        TypicalCases.Selecting => Ui.T("待确定", "Selecting"),
        TypicalCases.Published => Ui.T("已发布", "Published"),
        _ => status,
    };

    public static string NominationStatusName(string status) => status switch
    {
        NominationStatus.Nominated => Ui.T("已推荐", "Nominated"),
        NominationStatus.Selected => Ui.T("入选", "Selected"),
        NominationStatus.NotSelected => Ui.T("未入选", "Not selected"),
        _ => status,
    };
}
