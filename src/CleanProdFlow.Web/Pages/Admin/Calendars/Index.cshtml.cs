using System.Text;
using CleanProdFlow.Data.Timing;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.Timing;
using CleanProdFlow.Timing.Calendars;
using CleanProdFlow.Web.Admin;
using CleanProdFlow.Web.Timing;
using Microsoft.AspNetCore.Mvc;

namespace CleanProdFlow.Web.Pages.Admin.Calendars;

/// <summary>One month of the grid: weeks from Monday, a day or nothing in each of the seven cells.</summary>
public sealed record MonthGrid(int Month, IReadOnlyList<IReadOnlyList<(DateOnly Day, DayKind Kind)?>> Weeks);

/// <summary>A deadline a calendar load moved: the case (when the clock belongs to one), the clock and both due dates.</summary>
public sealed record MovedDeadline(string Subject, Guid? InstanceId, string? CaseNumber, string Clock, string? RuleName, DateOnly? OldDueDate, DateOnly? NewDueDate);

/// <summary>
/// A year of the working-day calendar as a grid of months (working days, days off, make-up working days), whether it
/// is official (with its State Council notice) or provisional; loading an official year from a JSON file through
/// <see cref="CalendarYearLoading"/> (the same path as <c>PUT /api/v1/calendars/cn-mainland/{year}</c>), then the
/// deadlines that load moved.
/// </summary>
public sealed class IndexModel(StatutoryTime statutory, CalendarYearStore years, CalendarYearLoading loading, IWorkflowStore store, ClockStore clocks,
    TimeProvider time) : CpfPageModel
{
    /// <summary>As the API: an official year's document is small.</summary>
    public const int MaxFileBytes = 256 * 1024;

    /// <summary>Moved deadlines listed on the page; the rest are counted (all are recorded as recomputations).</summary>
    public const int MaxListed = 500;

    public int Year { get; private set; }

    public CalendarYear CalendarYear { get; private set; } = null!;

    public string CalendarVersion => statutory.Calendar.Version;

    public IReadOnlyList<MonthGrid> Months { get; private set; } = [];

    public int WorkingDays { get; private set; }

    public int DaysOff { get; private set; }

    public int MakeUpWorkdays { get; private set; }

    /// <summary>Who loaded the official year through the API or this page, when it was not shipped with the program.</summary>
    public CalendarYearVersion? Loaded { get; private set; }

    public Dictionary<string, List<string>> Errors { get; } = new(StringComparer.Ordinal);

    public CalendarYearLoaded? Result { get; private set; }

    public IReadOnlyList<MovedDeadline> Moved { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(int? year, CancellationToken cancellationToken) =>
        View(year) ?? await WithLoadedAsync(cancellationToken);

    public async Task<IActionResult> OnPostLoadAsync(string? year, IFormFile? file, CancellationToken cancellationToken)
    {
        if (!int.TryParse(year, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number)
            || number is < WorkingDayCalendar.FirstYear or > WorkingDayCalendar.LastYear)
        {
            View(null);
            Errors["year"] = [Ui.T($"年份须在 {WorkingDayCalendar.FirstYear}–{WorkingDayCalendar.LastYear} 之间",
                $"the year must be from {WorkingDayCalendar.FirstYear} to {WorkingDayCalendar.LastYear}")];
            return await RefusedAsync(cancellationToken);
        }
        View(number);
        var (json, error) = await ReadAsync(file, cancellationToken);
        if (json is null)
        {
            Errors["file"] = [Ui.T(error!.Value.Zh, error.Value.En)];
            return await RefusedAsync(cancellationToken);
        }
        var (official, problems) = CalendarYearLoading.Read(json, number);
        if (official is null)
        {
            // Every problem of the document is about the file; the field names the place inside it.
            Errors["file"] = problems.Select(p => p.Field is "" or "year" ? Ui.T(p.Message) : $"{p.Field}：{Ui.T(p.Message)}").ToList();
            return await RefusedAsync(cancellationToken);
        }

        Result = await loading.LoadAsync(official, Caller.Username, cancellationToken);
        Moved = await DescribeAsync(Result.ClocksMoved.Take(MaxListed), cancellationToken);
        View(number); // the grid as the new calendar has it
        return await WithLoadedAsync(cancellationToken);
    }

    private async Task<IActionResult> RefusedAsync(CancellationToken cancellationToken)
    {
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return await WithLoadedAsync(cancellationToken);
    }

    private async Task<IActionResult> WithLoadedAsync(CancellationToken cancellationToken)
    {
        Loaded = (await years.LatestAsync(statutory.Calendar.Id, cancellationToken)).FirstOrDefault(v => v.Year == Year);
        return Page();
    }

    /// <summary>Builds the grid of <paramref name="year"/> (this year in Beijing by default); the 404 page outside the calendar's years.</summary>
    private IActionResult? View(int? year)
    {
        Year = year ?? BeijingTime.DateOf(time.GetUtcNow()).Year;
        if (Year is < WorkingDayCalendar.FirstYear or > WorkingDayCalendar.LastYear)
            return StatusPage(StatusCodes.Status404NotFound);
        var calendar = statutory.Calendar;
        CalendarYear = calendar.Year(Year);
        var months = new List<MonthGrid>();
        (WorkingDays, DaysOff, MakeUpWorkdays) = (0, 0, 0);
        for (var month = 1; month <= 12; month++)
        {
            var weeks = new List<IReadOnlyList<(DateOnly, DayKind)?>>();
            var first = new DateOnly(Year, month, 1);
            var week = new (DateOnly, DayKind)?[7];
            var column = ((int)first.DayOfWeek + 6) % 7; // Monday first, as Chinese calendars print
            for (var day = first; day.Month == month && day.Year == Year; day = day.AddDays(1))
            {
                var kind = calendar.KindOf(day);
                week[column] = (day, kind);
                if (kind.IsWorking())
                    WorkingDays++;
                if (kind == DayKind.DayOff)
                    DaysOff++;
                if (kind == DayKind.MakeUpWorkday)
                    MakeUpWorkdays++;
                if (++column == 7)
                {
                    weeks.Add(week);
                    week = new (DateOnly, DayKind)?[7];
                    column = 0;
                }
            }
            if (column > 0)
                weeks.Add(week);
            months.Add(new MonthGrid(month, weeks));
        }
        Months = months;
        return null;
    }

    private async Task<IReadOnlyList<MovedDeadline>> DescribeAsync(IEnumerable<ClockMoved> moved, CancellationToken cancellationToken)
    {
        var language = Ui.IsEnglish ? Language.En : Language.ZhCn;
        var described = new List<MovedDeadline>();
        foreach (var clock in moved)
        {
            string? caseNumber = null;
            Guid? instanceId = null;
            var name = clock.Subject;
            if (WorkflowRuntime.TryParseClockSubject(clock.Subject, out var id, out var clockName))
            {
                instanceId = id;
                name = clockName;
                caseNumber = (await store.FindInstanceAsync(id, cancellationToken))?.State.BusinessKey;
            }
            var stored = await clocks.FindAsync(clock.Subject, cancellationToken);
            described.Add(new MovedDeadline(clock.Subject, instanceId, caseNumber, name, stored?.Clock.EffectiveLimit.Name(language), clock.OldDueDate, clock.NewDueDate));
        }
        return described;
    }

    private static async Task<(string? Json, (string Zh, string En)? Error)> ReadAsync(IFormFile? file, CancellationToken cancellationToken)
    {
        if (file is null || file.Length == 0)
            return (null, ("请选择正式年历的 JSON 文件", "Choose the official year's JSON file"));
        if (file.Length > MaxFileBytes)
            return (null, ("文件过大（上限 256 KB）", "The file is too large (at most 256 KB)"));
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, cancellationToken);
        try
        {
            return (new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer.GetBuffer(), 0, (int)buffer.Length).TrimStart('\uFEFF'), null);
        }
        catch (DecoderFallbackException)
        {
            return (null, ("文件须以 UTF-8 编码", "The file must be encoded in UTF-8"));
        }
    }
}
