using CleanProdFlow.Data.Database;
using Cronos;

namespace CleanProdFlow.Web.Workflows;

/// <summary>
/// How workflow timers reach Hangfire (DESIGN §3 "Timers at scale"): only timers due within
/// <c>Workflows:TimerHorizonSeconds</c> become Hangfire jobs; a recurring sweep on <c>Workflows:SweepCron</c> fires
/// anything overdue and arms the next horizon's timers. The workflow_timers table stays the truth.
/// </summary>
public sealed record WorkflowSettings(TimeSpan TimerHorizon, string SweepCron)
{
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
        return new WorkflowSettings(TimeSpan.FromSeconds(horizon), cron);
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
