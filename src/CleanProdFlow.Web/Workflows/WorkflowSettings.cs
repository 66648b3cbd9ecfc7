using CleanProdFlow.Data.Database;
using Cronos;

namespace CleanProdFlow.Web.Workflows;

/// <summary>
/// How workflow timers fire (DESIGN §3 "Timers at scale"): the workflow_timers table is the truth; the timer pump
/// sleeps until the earliest pending due instant, or at most <c>Workflows:TimerPollSeconds</c> (so timers written by
/// another node are found), and fires due timers in batches of <c>Workflows:TimerBatchSize</c> (one transaction
/// each) with <c>Workflows:TimerWorkers</c> concurrent workers. A recurring sweep on <c>Workflows:SweepCron</c> fires
/// anything overdue (the safety net, and the virtual clock's). <c>Workflows:MaxDefinitionBytes</c> bounds an uploaded
/// BPMN file (API, upload page and modeler alike). <c>Workflows:TimerHorizonSeconds</c> of earlier versions is no
/// longer read (nothing is handed to Hangfire any more).
/// </summary>
public sealed record WorkflowSettings(string SweepCron, int MaxDefinitionBytes = WorkflowSettings.DefaultMaxDefinitionBytes)
{
    public const string TimerPollSecondsKey = "Workflows:TimerPollSeconds";
    public const string TimerWorkersKey = "Workflows:TimerWorkers";
    public const string TimerBatchSizeKey = "Workflows:TimerBatchSize";
    public const int DefaultTimerPollSeconds = 1;
    public const int DefaultTimerWorkers = 16;
    public const int DefaultTimerBatchSize = 50;

    /// <summary>The longest the pump sleeps without looking at the table.</summary>
    public TimeSpan TimerPollInterval { get; init; } = TimeSpan.FromSeconds(DefaultTimerPollSeconds);

    /// <summary>Batches of due timers fired at once.</summary>
    public int TimerWorkers { get; init; } = DefaultTimerWorkers;

    /// <summary>Timers fired in one transaction.</summary>
    public int TimerBatchSize { get; init; } = DefaultTimerBatchSize;

    public const string MaxDefinitionBytesKey = "Workflows:MaxDefinitionBytes";
    public const int DefaultMaxDefinitionBytes = 5 * 1024 * 1024;
    public const int LargestMaxDefinitionBytes = 25 * 1024 * 1024;
    // Below this the shipped workflows themselves (up to about 70 KB) would be refused at start.
    private const int SmallestMaxDefinitionBytes = 128 * 1024;

    /// <summary>The limit as people read it: "5 MB", "512 KB".</summary>
    public string MaxDefinitionSize => MaxDefinitionBytes % (1024 * 1024) == 0
        ? $"{MaxDefinitionBytes / 1024 / 1024} MB"
        : $"{MaxDefinitionBytes / 1024} KB";

    public const string SweepCronKey = "Workflows:SweepCron";
    public const string DefaultSweepCron = "* * * * *";

    public static WorkflowSettings Read(IConfiguration configuration)
    {
        var poll = WholeNumber(configuration, TimerPollSecondsKey, DefaultTimerPollSeconds, 1, 60, "seconds");
        var workers = WholeNumber(configuration, TimerWorkersKey, DefaultTimerWorkers, 1, 64, "workers");
        var batch = WholeNumber(configuration, TimerBatchSizeKey, DefaultTimerBatchSize, 1, 500, "timers");

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
        return new WorkflowSettings(cron, maxBytes)
        {
            TimerPollInterval = TimeSpan.FromSeconds(poll),
            TimerWorkers = workers,
            TimerBatchSize = batch,
        };
    }

    private static int WholeNumber(IConfiguration configuration, string key, int fallback, int smallest, int largest, string unit)
    {
        var text = configuration[key];
        if (string.IsNullOrWhiteSpace(text))
            return fallback;
        if (!int.TryParse(text, out var value) || value < smallest || value > largest)
            throw new StartupException(key, $"'{text}' is not a whole number of {unit} from {smallest} to {largest}.",
                $"set {key} to a number of {unit} from {smallest} to {largest}, or remove it for the default of {fallback}.");
        return value;
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
