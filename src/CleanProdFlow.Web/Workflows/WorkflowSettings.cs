using CleanProdFlow.Data.Database;
using Cronos;

namespace CleanProdFlow.Web.Workflows;

/// <summary>
/// How workflow timers reach Hangfire (DESIGN §3 "Timers at scale"): only timers due within
/// <c>Workflows:TimerHorizonSeconds</c> become Hangfire jobs; a recurring sweep on <c>Workflows:SweepCron</c> fires
/// anything overdue and arms the next horizon's timers. The workflow_timers table stays the truth.
/// <c>Workflows:MaxDefinitionBytes</c> bounds an uploaded BPMN file (API, upload page and modeler alike).
/// </summary>
public sealed record WorkflowSettings(TimeSpan TimerHorizon, string SweepCron, int MaxDefinitionBytes = WorkflowSettings.DefaultMaxDefinitionBytes)
{
    public const string MaxDefinitionBytesKey = "Workflows:MaxDefinitionBytes";
    public const int DefaultMaxDefinitionBytes = 5 * 1024 * 1024;
    public const int LargestMaxDefinitionBytes = 25 * 1024 * 1024;
    // Below this the shipped workflows themselves (up to about 70 KB) would be refused at start.
    private const int SmallestMaxDefinitionBytes = 128 * 1024;

    /// <summary>The limit as people read it: "5 MB", "512 KB".</summary>
    public string MaxDefinitionSize => MaxDefinitionBytes % (1024 * 1024) == 0
        ? $"{MaxDefinitionBytes / 1024 / 1024} MB"
        : $"{MaxDefinitionBytes / 1024} KB";

    public const string TimerHorizonKey = "Workflows:TimerHorizonSeconds";
    public const string SweepCronKey = "Workflows:SweepCron";
    public const int DefaultHorizonSeconds = 300;
    public const string DefaultSweepCron = "* * * * *";

    public static WorkflowSettings Read(IConfiguration configuration)
    {
        var horizon = DefaultHorizonSeconds;
        var horizonText = configuration[TimerHorizonKey];
        if (!string.IsNullOrWhiteSpace(horizonText)
            && (!int.TryParse(horizonText, out horizon) || horizon is < 60 or > 86_400))
            throw new StartupException(TimerHorizonKey, $"'{horizonText}' is not a whole number of seconds from 60 to 86400.",
                $"set {TimerHorizonKey} to a number of seconds from 60 to 86400 (at least the sweep's interval), or remove it for the default of {DefaultHorizonSeconds}.");

        var cron = configuration[SweepCronKey] is { Length: > 0 } configured ? configured.Trim() : DefaultSweepCron;
        if (!IsCron(cron))
            throw new StartupException(SweepCronKey, $"'{cron}' is not a cron expression.",
                $"set {SweepCronKey} to a cron expression such as \"* * * * *\" (every minute), or remove it for that default.");

        var maxBytes = DefaultMaxDefinitionBytes;
        var maxBytesText = configuration[MaxDefinitionBytesKey];
        if (!string.IsNullOrWhiteSpace(maxBytesText)
            && (!int.TryParse(maxBytesText, out maxBytes) || maxBytes is < SmallestMaxDefinitionBytes or > LargestMaxDefinitionBytes))
            throw new StartupException(MaxDefinitionBytesKey, $"'{maxBytesText}' is not a whole number of bytes from {SmallestMaxDefinitionBytes} to {LargestMaxDefinitionBytes}.",
                $"set {MaxDefinitionBytesKey} to a number of bytes from {SmallestMaxDefinitionBytes} to {LargestMaxDefinitionBytes}, or remove it for the default of {DefaultMaxDefinitionBytes} (5 MB).");
        return new WorkflowSettings(TimeSpan.FromSeconds(horizon), cron, maxBytes);
    }

    private static bool IsCron(string text)
    {
        foreach (var format in new[] { CronFormat.Standard, CronFormat.IncludeSeconds })
        {
            try
            {
                CronExpression.Parse(text, format);
                return true;
            }
            catch (CronFormatException)
            {
            }
        }
        return false;
    }
}
