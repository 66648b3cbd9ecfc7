using CleanProdFlow.Timing.Calendars;

namespace CleanProdFlow.Timing.Tests;

/// <summary>The data files under workflows/, parsed once, as the product loads them.</summary>
internal static class ShippedData
{
    private static readonly Lazy<WorkingDayCalendar> LazyCalendar = new(() =>
        WorkingDayCalendar.Parse(File.ReadAllText(PathOf("cn-mainland.json"))).Value);

    public static WorkingDayCalendar Mainland => LazyCalendar.Value;

    public static string PathOf(string file) => Path.Combine(AppContext.BaseDirectory, "data", file);

    public static DateOnly D(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd");

    public static DateTimeOffset T(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
}
