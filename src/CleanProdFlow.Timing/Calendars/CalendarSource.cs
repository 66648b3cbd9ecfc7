namespace CleanProdFlow.Timing.Calendars;

/// <summary>The document a year's schedule comes from: the State Council notice, or for a provisional year the regulation.</summary>
public sealed record CalendarSource(string Title, string DocumentNumber, DateOnly Date, string? Url = null);
