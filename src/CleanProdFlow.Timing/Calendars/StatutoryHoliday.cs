namespace CleanProdFlow.Timing.Calendars;

/// <summary>One day off that the holiday regulation itself fixes (not a schedule's bridge days or make-up days).</summary>
public sealed record StatutoryHoliday(DateOnly Date, string NameZh, string NameEn);
