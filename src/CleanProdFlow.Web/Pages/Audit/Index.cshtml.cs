using CleanProdFlow.Data.Audit;
using CleanProdFlow.Data.Enterprises;
using CleanProdFlow.Data.Timing;
using CleanProdFlow.Domain.Audit;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.Web.Api.Enterprises;

namespace CleanProdFlow.Web.Pages.Audit;

/// <summary>One cycle of the list, with its enterprise's name and the cycle clock's due date (the report's deadline).</summary>
public sealed record CycleRow(AuditCycle Cycle, string EnterpriseName, DateOnly? ReportDue);

/// <summary>
/// 清洁生产审核周期: the cycles a user may see (a city's staff their city's, the province everyone's, by the same access
/// rule as the API), newest first, by status, each with the report's due date and a link to the case (diagram, tasks,
/// clocks with their explanation, journal).
/// </summary>
public sealed class IndexModel(AuditStore audits, EnterpriseStore enterprises, ClockStore clocks) : CpfPageModel
{
    public IReadOnlyList<CycleRow> Rows { get; private set; } = [];
    public string? Status { get; private set; }

    public static string StatusName(string status) => status switch
    {
        AuditCycleStatus.Starting => Ui.T("启动中", "starting"),
        AuditCycleStatus.FirstYear => Ui.T("首年审核期", "first year"),
        AuditCycleStatus.Evaluating => Ui.T("评估中", "evaluating"),
        AuditCycleStatus.Accepting => Ui.T("验收中", "accepting"),
        AuditCycleStatus.Accepted => Ui.T("验收合格", "accepted"),
        AuditCycleStatus.Failed => Ui.T("未通过", "failed"),
        _ => status,
    };

    public async Task OnGetAsync(string? status, CancellationToken cancellationToken)
    {
        var access = EnterpriseAccess.Of(User);
        Status = status is not null && AuditCycleStatus.All.Contains(status) ? status : null;
        var rows = new List<CycleRow>();
        foreach (var cycle in await audits.ListAsync(Status, access.IsProvince ? null : access.OrganisationCode, null, cancellationToken))
        {
            var name = (await enterprises.FindAsync(cycle.CreditCode, cancellationToken))?.Enterprise.Name ?? cycle.CreditCode;
            var due = cycle.InstanceId is { } id
                ? (await clocks.FindAsync(WorkflowRuntime.ClockSubject(id, AuditClocks.Cycle), cancellationToken))?.Clock.DueDate
                : null;
            rows.Add(new CycleRow(cycle, name, due));
        }
        Rows = rows;
    }
}
