using System.Globalization;
using System.Text.RegularExpressions;
using CleanProdFlow.Data.Database;

// The folder is Clock/; the namespace is VirtualTime because a namespace CleanProdFlow.Web.Clock would hide the
// Timing library's Clock type in every CleanProdFlow.Web.* namespace.
namespace CleanProdFlow.Web.VirtualTime;

public enum ClockMode { System, Virtual }

/// <summary>
/// Which clock the product reads: <c>Clock:Mode</c> = <c>System</c> (default; the real time) or <c>Virtual</c>
/// (test and demonstration installations: a clock that an administrator moves forward through
/// <c>POST /api/v1/clock/advance</c>, firing every workflow timer that falls due). <c>Clock:VirtualStart</c> (ISO-8601
/// with its UTC offset) is where a virtual clock starts; default: the real now.
/// </summary>
public sealed partial record ClockSettings(ClockMode Mode, DateTimeOffset? VirtualStart)
{
    public const string ModeKey = "Clock:Mode";
    public const string VirtualStartKey = "Clock:VirtualStart";

    public bool IsVirtual => Mode == ClockMode.Virtual;

    public static ClockSettings Read(IConfiguration configuration)
    {
        var modeText = configuration[ModeKey]?.Trim();
        var mode = modeText?.ToLowerInvariant() switch
        {
            null or "" or "system" => ClockMode.System,
            "virtual" => ClockMode.Virtual,
            _ => throw new StartupException(ModeKey, $"Unknown clock mode '{modeText}'.",
                $"set {ModeKey} to System (the real time, for production) or Virtual (a clock moved by administrators, for tests and demonstrations)."),
        };

        DateTimeOffset? start = null;
        var startText = configuration[VirtualStartKey]?.Trim();
        if (mode == ClockMode.Virtual && !string.IsNullOrEmpty(startText))
        {
            start = ParseInstantWithOffset(startText)
                ?? throw new StartupException(VirtualStartKey, $"'{startText}' is not an ISO-8601 instant with its UTC offset.",
                    $"set {VirtualStartKey} like 2026-10-12T09:00:00+08:00, or remove it to start at the real time.");
        }
        return new ClockSettings(mode, start);
    }

    /// <summary>An ISO-8601 instant that carries its offset (Z or ±hh:mm); null for anything else.</summary>
    public static DateTimeOffset? ParseInstantWithOffset(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || !WithOffset().IsMatch(text.Trim()))
            return null;
        return DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant) ? instant : null;
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex WithOffset();
}
