using CleanProdFlow.Timing;

namespace CleanProdFlow.Engine.Expressions;

/// <summary>
/// Beijing time as a <see cref="TimeZoneInfo"/> for libraries that want one (cron, the JavaScript Date object).
/// Built from the fixed offset rather than looked up as "Asia/Shanghai", so no tzdata is needed on the host.
/// </summary>
internal static class FixedBeijingZone
{
    private const string Name = "China Standard Time (fixed)";

    public static readonly TimeZoneInfo Instance =
        TimeZoneInfo.CreateCustomTimeZone(Name, BeijingTime.Offset, Name, Name);
}
