using CleanProdFlow.Data.Enterprises;
using CleanProdFlow.Data.Register;
using CleanProdFlow.Domain.Access;
using CleanProdFlow.Domain.Eligibility;
using CleanProdFlow.Web.Api.Enterprises;
using Microsoft.AspNetCore.Mvc;

namespace CleanProdFlow.Web.Pages.Register;

/// <summary>One enterprise of the list, with its eligibility today and its register entry.</summary>
public sealed record EnterpriseRow(StoredEnterprise Stored, EligibilityDecision Eligibility, RegisterEntry? Entry);

/// <summary>
/// 企业登记簿: the enterprises a user may see (a city's staff their city's, the province everyone's, by the same
/// access rule as the API), each with its eligibility today and its register entry; paged by credit code.
/// </summary>
public sealed class IndexModel(EnterpriseStore enterprises, RegisterStore register, TimeProvider time) : CpfPageModel
{
    public const int PageSize = 50;

    public IReadOnlyList<EnterpriseRow> Rows { get; private set; } = [];
    public EnterpriseAccess Access { get; private set; } = null!;
    public string? City { get; private set; }
    public string? Next { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? city, string? after, CancellationToken cancellationToken)
    {
        Access = EnterpriseAccess.Of(User);
        City = string.IsNullOrWhiteSpace(city) ? null : city.Trim();
        if (City is not null && (Organisation.Find(City) is null || City == Organisation.ProvinceCode))
            City = null;
        if (City is not null && !Access.MaySee(City))
            return StatusPage(StatusCodes.Status403Forbidden);
        var scope = City ?? (Access.IsProvince ? null : Access.OrganisationCode);
        var page = await enterprises.ListAsync(scope, string.IsNullOrWhiteSpace(after) ? null : after, PageSize, cancellationToken);
        var today = EnterpriseEndpoints.Today(time);
        var rows = new List<EnterpriseRow>(page.Count);
        foreach (var stored in page)
        {
            var code = stored.Enterprise.CreditCode;
            var decision = EligibilityDecision.Evaluate(today, await enterprises.AuditResultsAsync(code, cancellationToken),
                await enterprises.PenaltiesAsync(code, cancellationToken));
            rows.Add(new EnterpriseRow(stored, decision, await register.FindAsync(code, cancellationToken)));
        }
        Rows = rows;
        Next = page.Count == PageSize ? page[^1].Enterprise.CreditCode : null;
        return Page();
    }
}
