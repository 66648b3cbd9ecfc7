using System.Text.Json;
using CleanProdFlow.Data.Compliance;
using CleanProdFlow.Domain.Access;
using CleanProdFlow.Domain.Common;
using CleanProdFlow.Web.Compliance;
using CleanProdFlow.Web.Timing;
using Microsoft.AspNetCore.Mvc;

namespace CleanProdFlow.Web.Pages.Compliance;

/// <summary>
/// 时限合规: the auditors' dashboard. The on-time rate per step (clock rule), per city and per month; fast track vs
/// standard (working days used per step); breaches and what the escalation said about them; time paused and why;
/// extensions and who approved them. Every figure links to the cases behind it. Figures are computed in SQL over the
/// clocks' summaries (refreshed first); the charts (ECharts) draw the same numbers the tables below them show.
/// </summary>
public sealed class IndexModel(ComplianceStore compliance, StatutoryTime statutory, TimeProvider time) : CpfPageModel
{
    public ComplianceQuery Query { get; private set; } = new(null, null, null, null, null);
    public IReadOnlyDictionary<string, LocalizedText> Problems { get; private set; } = new Dictionary<string, LocalizedText>();
    public string? Scope { get; private set; }
    public ComplianceFigures Figures { get; private set; } = null!;
    public IReadOnlyList<StepFigures> AllRules { get; private set; } = [];
    public DateTimeOffset Now { get; private set; }

    public long Decided => Figures.Steps.Sum(s => s.Decided);
    public long OnTime => Figures.Steps.Sum(s => s.OnTime);
    public long OverdueNow => Figures.Steps.Sum(s => s.OverdueNow);
    public long PausedNow => Figures.Steps.Sum(s => s.PausedNow);

    /// <summary>The cities a reader may pick: every city for the province and auditors, their own otherwise.</summary>
    public IEnumerable<Organisation> Cities => Organisation.All.Where(o => Scope is null || o.Code == Scope);

    /// <summary>
    /// Working days late: as summarised for a decided clock; for one still running past its due date, as of now (its
    /// summary is only re-derived when the clock changes, the count grows every working day).
    /// </summary>
    public int LateNow(string? result, DateTimeOffset? dueAt, int? summarised) =>
        result == "running" && dueAt is { } due && due < Now
            ? CleanProdFlow.Domain.Compliance.ClockCompliance.WorkingDaysLate(Now, due, statutory.Calendar)
            : summarised ?? 0;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!ComplianceAccess.MayReadDashboard(Caller))
            return StatusPage(StatusCodes.Status403Forbidden);
        Scope = ComplianceAccess.ScopeOf(Caller);
        Query = ComplianceQuery.Read(Request.Query);
        if (Query.AsksOutside(Scope))
            return StatusPage(StatusCodes.Status403Forbidden);
        var (filter, problems) = Query.ToFilter(Scope);
        Problems = problems;
        Now = time.GetUtcNow();
        await compliance.RefreshAsync(statutory.Calendar, Now, cancellationToken);
        Figures = await compliance.FiguresAsync(filter, Now, cancellationToken: cancellationToken);
        // The rule picker lists every rule with a clock, whatever the current filter.
        AllRules = filter.RuleId is null && filter.Track is null && filter.From is null && filter.To is null
            ? Figures.Steps
            : await compliance.StepsAsync(new ComplianceFilter { Organisation = Scope }, Now, cancellationToken);
        return Page();
    }

    public string Link(string path, params (string Name, string? Value)[] more) => path + Query.QueryString(more);

    public string CasesLink(params (string Name, string? Value)[] more) => Link("/compliance/cases", more);

    /// <summary>The charts' data, in the page's language: ECharts options are built from it by wwwroot/js/compliance-charts.js.</summary>
    public string ChartsJson()
    {
        var steps = Figures.Steps.Where(s => s.Decided > 0 || s.OverdueNow > 0 || s.RunningNow > 0 || s.PausedNow > 0).ToList();
        var data = new
        {
            labels = new
            {
                onTimeRate = Ui.T("按期率（%）", "On-time rate (%)"),
                decided = Ui.T("已办结", "Decided"),
                onTime = Ui.T("按期", "On time"),
                late = Ui.T("超期", "Late"),
                overdueNow = Ui.T("已超期未办结", "Overdue now"),
                fastUsed = Ui.T("绿色通道平均用时", "Fast track: average used"),
                standardUsed = Ui.T("普通程序平均用时", "Standard: average used"),
                fastLimit = Ui.T("绿色通道时限", "Fast track: limit"),
                standardLimit = Ui.T("普通程序时限", "Standard: limit"),
                workingDays = Ui.T("工作日", "working days"),
                breaches = Ui.T("超期记录", "Breaches"),
                unexplained = Ui.T("未说明原因", "Not yet explained"),
                explained = Ui.T("已说明原因", "Explained"),
                pausedDays = Ui.T("暂停工作日", "Working days paused"),
                pauses = Ui.T("暂停次数", "Pauses"),
                extensionDays = Ui.T("延长工作日", "Working days extended"),
                extensions = Ui.T("延长次数", "Extensions"),
                empty = Ui.T("暂无数据", "No data"),
            },
            steps = steps.Select(s => new
            {
                name = ComplianceText.RuleName(s.NameZh, s.NameEn, s.RuleId), rule = s.RuleId, s.Decided, s.OnTime, late = s.Late, s.OverdueNow,
                rate = ComplianceText.RateValue(s.OnTime, s.Decided),
                fastUsed = Round(s.FastAverageUsed), standardUsed = Round(s.StandardAverageUsed),
                fastLimit = Round(s.FastAverageLimit), standardLimit = Round(s.StandardAverageLimit),
                link = CasesLink(("rule", s.RuleId)),
            }),
            cities = Figures.Cities.Select(c => new
            {
                name = ComplianceText.CityName(c.Key), code = c.Key, c.Decided, c.OnTime, late = c.Late, c.OverdueNow,
                rate = ComplianceText.RateValue(c.OnTime, c.Decided), link = CasesLink(("city", c.Key)),
            }),
            months = Figures.Months.Select(m => new
            {
                name = m.Key, m.Decided, m.OnTime, late = m.Late, rate = ComplianceText.RateValue(m.OnTime, m.Decided),
                fastUsed = Round(m.FastAverageUsed), standardUsed = Round(m.StandardAverageUsed), link = CasesLink(("month", m.Key)),
            }),
            breaches = Figures.BreachMonths.Select(b => new
            {
                name = b.Month, explained = b.Breaches - b.Unexplained, b.Unexplained,
                link = CasesLink(("result", "breached")),
            }),
            pauses = Figures.Pauses.Select(p => new
            {
                name = p.Reason, basis = p.LegalBasis, days = p.WorkingDays, count = p.Pauses,
                link = CasesLink(("result", "was-paused"), ("pauseReason", p.Reason)),
            }),
            approvers = Figures.Approvers.Select(a => new
            {
                name = a.Approver ?? "—", days = a.WorkingDays, count = a.Extensions,
                link = CasesLink(("result", "extended"), ("approver", a.Approver)),
            }),
        };
        return JsonSerializer.Serialize(data, JsonSerializerOptions.Web);
    }

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 1) : null;
}
