using CleanProdFlow.Data.Reception;
using CleanProdFlow.Data.Timing;
using CleanProdFlow.Web.Api.Enterprises;
using CleanProdFlow.Web.Api.Reception;
using CleanProdFlow.Web.Compliance;
using CleanProdFlow.Web.Timing;
using Microsoft.AspNetCore.Mvc;

namespace CleanProdFlow.Web.Pages.Reception;

/// <summary>
/// One session's list (the same rows as GET /api/v1/reception/sessions/{id}): each request with its office, status,
/// due date, answer time, on time or late, and the follow-up; downloadable as CSV. Another city's session is the 404 page.
/// </summary>
public sealed class SessionModel(ReceptionStore store, ClockStore clocks, StatutoryTime statutory, TimeProvider time) : CpfPageModel
{
    public ReceptionViews.SessionListView List { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, cancellationToken) is not { } list)
            return StatusPage(StatusCodes.Status404NotFound);
        List = list;
        return Page();
    }

    public async Task<IActionResult> OnGetCsvAsync(Guid id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) is { } list
            ? File(ComplianceExports.Csv(ReceptionEndpoints.Table(list)), ComplianceExports.CsvType,
                $"reception-{Ui.Date(list.Session.Date)}-{list.Session.Organisation}.csv")
            : StatusPage(StatusCodes.Status404NotFound);

    private Task<ReceptionViews.SessionListView?> LoadAsync(Guid id, CancellationToken cancellationToken) =>
        ReceptionEndpoints.SessionListAsync(id, EnterpriseAccess.Of(User), store, clocks, statutory, time.GetUtcNow(), cancellationToken);
}
