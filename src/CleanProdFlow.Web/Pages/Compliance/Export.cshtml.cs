using CleanProdFlow.Data.Compliance;
using CleanProdFlow.Domain.Compliance;
using CleanProdFlow.Web.Compliance;
using CleanProdFlow.Web.Timing;
using Microsoft.AspNetCore.Mvc;

namespace CleanProdFlow.Web.Pages.Compliance;

/// <summary>
/// The breach list and the per-step table of the dashboard's filter as CSV or XLSX (/compliance/export/breaches.csv,
/// …/steps.xlsx), for the same readers as the dashboard. A filter value that does not read is refused (400) rather
/// than silently dropped: a file, unlike a page, cannot say what it left out.
/// </summary>
public sealed class ExportModel(ComplianceStore compliance, StatutoryTime statutory, TimeProvider time) : CpfPageModel
{
    public async Task<IActionResult> OnGetAsync(string table, string format, CancellationToken cancellationToken)
    {
        if (table is not ("breaches" or "steps") || format is not ("csv" or "xlsx"))
            return StatusPage(StatusCodes.Status404NotFound);
        if (!ComplianceAccess.MayReadDashboard(Caller))
            return StatusPage(StatusCodes.Status403Forbidden);
        var scope = ComplianceAccess.ScopeOf(Caller);
        var query = ComplianceQuery.Read(Request.Query);
        if (query.AsksOutside(scope))
            return StatusPage(StatusCodes.Status403Forbidden);
        var (filter, problems) = query.ToFilter(scope);
        if (problems.Count > 0)
            return BadRequest(string.Join("; ", problems.Select(p => $"{p.Key}: {Ui.T(p.Value)}")));

        var now = time.GetUtcNow();
        await compliance.RefreshAsync(statutory.Calendar, now, cancellationToken);
        var export = table == "breaches"
            ? ComplianceExports.Breaches(await compliance.BreachesAsync(filter, now, cancellationToken: cancellationToken), now,
                b => b.ClockResult == "running" && b.DueAt < now ? ClockCompliance.WorkingDaysLate(now, b.DueAt, statutory.Calendar) : b.WorkingDaysLate)
            : ComplianceExports.Steps(await compliance.StepsAsync(filter, now, cancellationToken));
        var stamp = Ui.Date(now);
        var name = $"{(table == "breaches" ? Ui.T("超期记录", "breaches") : Ui.T("分环节时限统计", "steps"))}-{scope ?? query.City ?? "all"}-{stamp}.{format}";
        return format == "csv"
            ? File(ComplianceExports.Csv(export), ComplianceExports.CsvType, name)
            : File(ComplianceExports.Xlsx(export), ComplianceExports.XlsxType, name);
    }
}
