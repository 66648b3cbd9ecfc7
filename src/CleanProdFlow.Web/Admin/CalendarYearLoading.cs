using System.Globalization;
using CleanProdFlow.Domain.Common;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.Timing.Calendars;
using CleanProdFlow.Web.Timing;

namespace CleanProdFlow.Web.Admin;

/// <summary>
/// Loading an official calendar year, for <c>PUT /api/v1/calendars/{id}/{year}</c> and the calendars page alike:
/// the document is checked (and must be for the year asked for), stored, the calendar swapped, every dependent
/// stored clock recomputed, and the timers and task due dates bound to a moved clock follow it.
/// </summary>
public sealed class CalendarYearLoading(StatutoryTime statutory, WorkflowRuntime runtime)
{
    /// <summary>The year in <paramref name="json"/>, or every problem with it (the year must be <paramref name="expectedYear"/>).</summary>
    public static (CalendarYear? Year, IReadOnlyList<FieldError> Errors) Read(string json, int expectedYear)
    {
        var parsed = CalendarYear.Parse(json);
        if (!parsed.IsValid)
            return (null, parsed.Errors.Select(e => new FieldError(e.Field, new LocalizedText(e.MessageZh, e.MessageEn))).ToList());
        if (parsed.Value.Year != expectedYear)
            return (null, [new FieldError("year", new($"请求体中的年份 {parsed.Value.Year} 与地址中的 {expectedYear} 不一致",
                $"the body's year {parsed.Value.Year} differs from the address's {expectedYear}"))]);
        return (parsed.Value, []);
    }

    public async Task<CalendarYearLoaded> LoadAsync(CalendarYear year, string loadedBy, CancellationToken cancellationToken)
    {
        var loaded = await statutory.LoadOfficialYearAsync(year, loadedBy, cancellationToken);
        // Timers and task due dates bound to a moved clock follow it (DESIGN §4: the armed timer moves with the due date).
        var reason = string.Create(CultureInfo.InvariantCulture,
            $"calendar {statutory.Calendar.Id} {year.Year} loaded ({statutory.Calendar.Version})");
        foreach (var moved in loaded.ClocksMoved)
            if (WorkflowRuntime.TryParseClockSubject(moved.Subject, out var instanceId, out var clockName))
                await runtime.ClockMovedAsync(instanceId, clockName, loadedBy, reason, cancellationToken);
        return loaded;
    }
}
