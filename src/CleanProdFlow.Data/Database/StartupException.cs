namespace CleanProdFlow.Data.Database;

/// <summary>
/// The process cannot start as configured. Carries the setting at fault and the fix, so the one log line
/// written before exiting tells an operator what to change.
/// </summary>
public sealed class StartupException(string setting, string problem, string fix, Exception? inner = null)
    : Exception($"{problem} Setting: {setting}. Fix: {fix}", inner)
{
    public string Setting { get; } = setting;
    public string Problem { get; } = problem;
    public string Fix { get; } = fix;
}
