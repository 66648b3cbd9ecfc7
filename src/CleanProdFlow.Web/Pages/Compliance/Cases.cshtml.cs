using CleanProdFlow.Data.Compliance;
using CleanProdFlow.Domain.Common;
using CleanProdFlow.Web.Compliance;
using CleanProdFlow.Web.Timing;
using Microsoft.AspNetCore.Mvc;

namespace CleanProdFlow.Web.Pages.Compliance;

/// <summary>
/// The cases behind a figure of the dashboard: one row per clock with its result, working days and links to the case
/// page and its timing evidence; newest first, a page at a time (keyset on the clock).
/// </summary>
public sealed class CasesModel(ComplianceStore compliance, StatutoryTime statutory, TimeProvider time) : CpfPageModel
{
    public const int PageSize = 50;

    public static readonly string[] Results = ["on-time", "late", "overdue", "running", "paused", "cancelled", "breached", "extended", "was-paused"];

    public ComplianceQuery Query { get; private set; } = new(null, null, null, null, null);
    public IReadOnlyDictionary<string, LocalizedText> Problems { get; private set; } = new Dictionary<string, LocalizedText>();
    public IReadOnlyList<ComplianceCaseRow> Rows { get; private set; } = [];
    public string? Result { get; private set; }
    public string? Month { get; private set; }
    public string? PauseReason { get; private set; }
    public string? Approver { get; private set; }
    public long? NextBefore { get; private set; }
    public DateTimeOffset Now { get; private set; }

    /// <summary>
    /// Working days late: as summarised for a decided clock; for one still running past its due date, as of now (its
    /// summary is only re-derived when the clock changes, the count grows every working day).
    /// </summary>
    public int LateNow(string? result, DateTimeOffset? dueAt, int? summarised) =>
        result == "running" && dueAt is { } due && due < Now
            ? CleanProdFlow.Domain.Compliance.ClockCompliance.WorkingDaysLate(Now, due, statutory.Calendar)
            : summarised ?? 0;

    public async Task<IActionResult> OnGetAsync(string? result, string? month, string? pauseReason, string? approver, long? before,
        CancellationToken cancellationToken)
    {
        if (!ComplianceAccess.MayReadDashboard(Caller))
            return StatusPage(StatusCodes.Status403Forbidden);
        var scope = ComplianceAccess.ScopeOf(Caller);
        Query = ComplianceQuery.Read(Request.Query);
        if (Query.AsksOutside(scope))
            return StatusPage(StatusCodes.Status403Forbidden);
        var (filter, problems) = Query.ToFilter(scope);
        var more = new Dictionary<string, LocalizedText>(problems);
        Result = string.IsNullOrWhiteSpace(result) ? null : result.Trim();
        if (Result is not null && !Results.Contains(Result))
        {
            more["result"] = new($"未知的结果“{Result}”", $"unknown result '{Result}'");
            Result = null;
        }
        Month = string.IsNullOrWhiteSpace(month) ? null : month.Trim();
        if (Month is not null && !System.Text.RegularExpressions.Regex.IsMatch(Month, "^\\d{4}-\\d{2}$"))
        {
            more["month"] = new($"月份“{Month}”须为 yyyy-MM 格式", $"the month '{Month}' must be yyyy-MM");
            Month = null;
        }
        PauseReason = string.IsNullOrWhiteSpace(pauseReason) ? null : pauseReason;
        Approver = string.IsNullOrWhiteSpace(approver) ? null : approver.Trim();
        Problems = more;

        Now = time.GetUtcNow();
        await compliance.RefreshAsync(statutory.Calendar, Now, cancellationToken);
        var rows = await compliance.CasesAsync(new ComplianceCaseQuery
        {
            Filter = filter, Result = Result, Month = Month, PauseReason = PauseReason, Approver = Approver, Before = before, Limit = PageSize + 1,
        }, Now, cancellationToken);
        Rows = rows.Take(PageSize).ToList();
        NextBefore = rows.Count > PageSize ? Rows[^1].ClockId : null;
        return Page();
    }

    /// <summary>What the list shows, in words, for its heading.</summary>
    public string Description => Result switch
    {
        "on-time" => Ui.T("按期办结的计时", "Clocks stopped on time"),
        "late" => Ui.T("超期办结的计时", "Clocks stopped late"),
        "overdue" => Ui.T("已超期、仍在计时", "Overdue and still running"),
        "running" => Ui.T("计时中（未超期）", "Running, not yet due"),
        "paused" => Ui.T("暂停中的计时", "Paused now"),
        "cancelled" => Ui.T("已撤销的计时", "Cancelled"),
        "breached" => Ui.T("有超期记录的计时", "Clocks with a recorded breach"),
        "extended" => Ui.T("经批准延长的计时", "Extended clocks"),
        "was-paused" => Ui.T("曾暂停的计时", "Clocks that were paused"),
        _ => Ui.T("已办结的计时", "Decided clocks"),
    };

    public string PageLink(long? before) => "/compliance/cases" + Query.QueryString(("result", Result), ("month", Month), ("pauseReason", PauseReason),
        ("approver", Approver), ("before", before?.ToString(System.Globalization.CultureInfo.InvariantCulture)));
}
