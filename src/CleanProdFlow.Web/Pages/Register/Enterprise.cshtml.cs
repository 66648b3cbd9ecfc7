using System.Globalization;
using CleanProdFlow.Data.Enterprises;
using CleanProdFlow.Data.Register;
using CleanProdFlow.Domain.Eligibility;
using CleanProdFlow.Domain.Enterprises;
using CleanProdFlow.Domain.Register;
using CleanProdFlow.Web.Api.Enterprises;
using Microsoft.AspNetCore.Mvc;

namespace CleanProdFlow.Web.Pages.Register;

/// <summary>
/// One enterprise: its data, the eligibility explanation (each rule passed or failed with the dates it used, as of
/// today or a chosen date), the decisions recorded when facts changed, the facts themselves (audits, penalties,
/// accidents, complaints), its register entry and its incentive lists with their history. Another city's
/// enterprise is the 404 page, as in the API (its existence does not leak).
/// </summary>
public sealed class EnterpriseModel(EnterpriseStore enterprises, RegisterStore register, TimeProvider time) : CpfPageModel
{
    public StoredEnterprise Stored { get; private set; } = null!;
    public EligibilityDecision Eligibility { get; private set; } = null!;
    public IReadOnlyList<RecordedEligibility> History { get; private set; } = [];
    public IReadOnlyList<AuditResult> Audits { get; private set; } = [];
    public IReadOnlyList<Penalty> Penalties { get; private set; } = [];
    public IReadOnlyList<Accident> Accidents { get; private set; } = [];
    public IReadOnlyList<Complaint> Complaints { get; private set; } = [];
    public RegisterEntry? Entry { get; private set; }
    public IReadOnlyList<ListMembership> Memberships { get; private set; } = [];
    public DateOnly Today { get; private set; }
    public string? AsOfProblem { get; private set; }

    public async Task<IActionResult> OnGetAsync(string creditCode, string? asOf, CancellationToken cancellationToken)
    {
        var code = UnifiedSocialCreditCode.Normalise(creditCode);
        var stored = await enterprises.FindAsync(code, cancellationToken);
        if (stored is null || !EnterpriseAccess.Of(User).MaySee(stored.Enterprise.City))
            return StatusPage(StatusCodes.Status404NotFound);
        Stored = stored;
        Today = EnterpriseEndpoints.Today(time);
        var date = Today;
        if (!string.IsNullOrWhiteSpace(asOf))
        {
            if (DateOnly.TryParseExact(asOf.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var chosen) && chosen.Year is >= 2000 and <= 2100)
                date = chosen;
            else
                AsOfProblem = Ui.T($"日期“{asOf}”须为 yyyy-MM-dd 格式，已按今日判定", $"the date '{asOf}' must be yyyy-MM-dd; judged as of today");
        }
        Audits = await enterprises.AuditResultsAsync(code, cancellationToken);
        Penalties = await enterprises.PenaltiesAsync(code, cancellationToken);
        Eligibility = EligibilityDecision.Evaluate(date, Audits, Penalties);
        History = await enterprises.EligibilityHistoryAsync(code, cancellationToken);
        Accidents = await enterprises.AccidentsAsync(code, cancellationToken);
        Complaints = await enterprises.ComplaintsAsync(code, cancellationToken);
        Entry = await register.FindAsync(code, cancellationToken);
        var memberships = new List<ListMembership>();
        foreach (var list in IncentiveList.All)
            memberships.AddRange((await register.MembershipsAsync(list.Code, currentOnly: false, cancellationToken)).Where(m => m.CreditCode == code));
        Memberships = memberships.OrderBy(m => m.AddedAt).ToList();
        return Page();
    }
}
