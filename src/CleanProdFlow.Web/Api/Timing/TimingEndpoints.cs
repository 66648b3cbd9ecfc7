using System.Globalization;
using System.Security.Claims;
using System.Text;
using CleanProdFlow.Domain.Common;
using CleanProdFlow.Timing;
using CleanProdFlow.Timing.Calendars;
using CleanProdFlow.Timing.Deadlines;
using CleanProdFlow.Web.Admin;
using CleanProdFlow.Web.Api.Problems;
using CleanProdFlow.Web.Security;
using CleanProdFlow.Web.Timing;

namespace CleanProdFlow.Web.Api.Timing;

/// <summary>
/// Statutory time for integrators and checks: compute a deadline, read or load a calendar year, list the time-limit
/// rules. The workflows use the Timing library directly.
/// </summary>
public static class TimingEndpoints
{
    private const int MaxBodyBytes = 256 * 1024;

    public sealed record CalendarYearView(int Year, bool Provisional, CalendarSource? Source, IReadOnlyList<DateOnly> DaysOff,
        IReadOnlyList<DateOnly> MakeUpWorkdays, string CalendarVersion);

    public sealed record CalendarYearLoadedView(int Year, int Version, bool ReplacedProvisional, string CalendarVersion,
        IReadOnlyList<ClockMoved> ClocksMoved);

    public static void MapTiming(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("").WithTags("timing");
        group.MapPost("/timing/deadline", ComputeDeadlineAsync).WithName("ComputeDeadline")
            .WithSummary("Compute a statutory deadline (working days with 调休, halving on the fast track, pauses, extensions)")
            .Produces<DeadlineSummary>().ProducesValidationProblem().ProducesValidationProblem(StatusCodes.Status415UnsupportedMediaType);
        group.MapGet("/calendars/{calendarId}/{year}", GetYear).WithName("GetCalendarYear")
            .WithSummary("A year of the working-day calendar: days off, make-up working days, source notice")
            .Produces<CalendarYearView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/calendars/{calendarId}/{year}", LoadYearAsync).WithName("LoadCalendarYear")
            .WithSummary("Load an official year (administrators); lists every clock whose due date moved")
            .RequireAuthorization(SecurityRegistration.AdminPolicy)
            .Produces<CalendarYearLoadedView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden);
        // The rules in the same JSON shape as workflows/time-limits.json (units and rounding as words).
        group.MapGet("/time-limits", (StatutoryTime statutory) => TypedResults.Json(statutory.Rules.Rules, TimingJson.Options))
            .WithName("ListTimeLimits").WithSummary("The time-limit rules in force, with legal basis and whether verified");
    }

    private static Language CallerLanguage => Languages.FromTag(CultureInfo.CurrentUICulture.Name);

    private static IResult Refused(IEnumerable<CleanProdFlow.Timing.FieldError> errors) =>
        Problem.Validation(errors.Select(e => new Domain.Common.FieldError(e.Field, new LocalizedText(e.MessageZh, e.MessageEn))));

    private static async Task<IResult> ComputeDeadlineAsync(HttpRequest http, StatutoryTime statutory, CancellationToken cancellationToken)
    {
        var (json, problem) = await ReadJsonTextAsync(http, cancellationToken);
        if (json is null)
            return problem!;
        var request = DeadlineRequest.Parse(json, statutory.Rules);
        if (!request.IsValid)
            return Refused(request.Errors);
        var deadline = Deadline.Evaluate(statutory.Calendar, request.Value);
        return deadline.IsValid ? TypedResults.Ok(deadline.Value.Summarize(CallerLanguage)) : Refused(deadline.Errors);
    }

    private static IResult GetYear(string calendarId, string year, StatutoryTime statutory)
    {
        if (CheckCalendarAndYear(calendarId, year, statutory) is { } refusal)
            return refusal;
        var calendarYear = statutory.Calendar.Year(int.Parse(year, CultureInfo.InvariantCulture));
        return TypedResults.Ok(new CalendarYearView(calendarYear.Year, calendarYear.Provisional,
            calendarYear.Provisional ? null : calendarYear.Source, calendarYear.DaysOff, calendarYear.MakeUpWorkdays, statutory.Calendar.Version));
    }

    private static async Task<IResult> LoadYearAsync(string calendarId, string year, HttpRequest http, ClaimsPrincipal principal,
        StatutoryTime statutory, CalendarYearLoading loading, CancellationToken cancellationToken)
    {
        if (CheckCalendarAndYear(calendarId, year, statutory) is { } refusal)
            return refusal;
        var (json, problem) = await ReadJsonTextAsync(http, cancellationToken);
        if (json is null)
            return problem!;
        var (calendarYear, errors) = CalendarYearLoading.Read(json, int.Parse(year, CultureInfo.InvariantCulture));
        if (calendarYear is null)
            return Problem.Validation(errors);

        var loaded = await loading.LoadAsync(calendarYear, principal.Username(), cancellationToken);
        return TypedResults.Ok(new CalendarYearLoadedView(loaded.Year.Year, loaded.Version, loaded.ReplacedProvisional,
            statutory.Calendar.Version, loaded.ClocksMoved));
    }

    private static IResult? CheckCalendarAndYear(string calendarId, string year, StatutoryTime statutory)
    {
        if (calendarId != statutory.Calendar.Id)
            return Problem.Status(StatusCodes.Status404NotFound, new($"没有工作日历“{calendarId}”", $"No calendar '{calendarId}'"),
                new($"可用的日历：{statutory.Calendar.Id}", $"Available: {statutory.Calendar.Id}"));
        if (!int.TryParse(year, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            || number is < WorkingDayCalendar.FirstYear or > WorkingDayCalendar.LastYear)
            return Problem.Validation("year", new($"年份须在 {WorkingDayCalendar.FirstYear}–{WorkingDayCalendar.LastYear} 之间",
                $"year must be from {WorkingDayCalendar.FirstYear} to {WorkingDayCalendar.LastYear}"));
        return null;
    }

    /// <summary>The body as text, when it is JSON and not too large; otherwise the problem to answer with.</summary>
    private static async Task<(string? Json, IResult? Problem)> ReadJsonTextAsync(HttpRequest http, CancellationToken cancellationToken)
    {
        if (!http.HasJsonContentType())
            return (null, Problem.Validation([new Domain.Common.FieldError("body", JsonBody.NotJson)], StatusCodes.Status415UnsupportedMediaType));
        using var reader = new StreamReader(http.Body, Encoding.UTF8);
        var buffer = new char[MaxBodyBytes + 1];
        var length = await reader.ReadBlockAsync(buffer.AsMemory(), cancellationToken);
        if (length > MaxBodyBytes)
            return (null, Problem.Validation("body", new("请求体过大（上限 256 KB）", "the body is too large (at most 256 KB)")));
        return length == 0 ? (null, Problem.Validation("body", JsonBody.Missing)) : (new string(buffer, 0, length), null);
    }
}
