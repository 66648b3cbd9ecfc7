using System.Globalization;
using System.Text;
using System.Text.Json;

namespace CleanProdFlow.Reliability;

/// <summary>One scenario's figures, printed as a markdown table and written as JSON, with what each must be.</summary>
public sealed record RunSummary
{
    public required string Scenario { get; init; }
    public required string Provider { get; init; }
    public required int Seed { get; init; }
    public int Cases { get; init; }
    public int CasesCompleted { get; init; }
    public int Kills { get; init; }
    public int KillsRequired { get; init; }
    public int Restarts { get; init; }
    public int CommandsAcknowledged { get; init; }
    public int TimersFired { get; init; }
    public int Duplicates { get; init; }
    public int Inconsistencies { get; init; }
    public int LostAcknowledged { get; init; }
    public long ServerErrors { get; init; }
    public long TransportRetries { get; init; }
    /// <summary>Two nodes: the same task completed through both at once.</summary>
    public int RacedCompletions { get; init; }
    /// <summary>Two nodes: races where not exactly one node answered 2xx and the other 409.</summary>
    public int RacesNotOneWinner { get; init; }
    /// <summary>Hostile requests sent to the running node after the crash rounds (<see cref="HostileRound"/>), and those answered 5xx or not as a 4xx problem.</summary>
    public int HostileInputs { get; init; }
    public int HostileServerErrors { get; init; }
    public int HostileFaults { get; init; }
    /// <summary>Instances whose journal hash chain verified intact.</summary>
    public int JournalsVerified { get; init; }
    public double Seconds { get; init; }
    public List<string> Problems { get; init; } = [];

    /// <summary>Whether every figure meets its target.</summary>
    public bool Passed => Duplicates == 0 && Inconsistencies == 0 && LostAcknowledged == 0 && ServerErrors == 0 && Kills >= KillsRequired
                          && RacesNotOneWinner == 0 && CasesCompleted == Cases && HostileServerErrors == 0 && HostileFaults == 0;

    public string Markdown()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"### {Scenario} on {Provider} (seed {Seed}, {Seconds:F0} s) — {(Passed ? "PASSED" : "FAILED")}");
        text.AppendLine();
        text.AppendLine("| figure | value | target |");
        text.AppendLine("|---|---:|---|");
        void Row(string figure, object value, string target) => text.AppendLine(CultureInfo.InvariantCulture, $"| {figure} | {value} | {target} |");
        Row("cases (completed / driven)", $"{CasesCompleted} / {Cases}", "all completed");
        Row("kills (SIGKILL)", Kills, KillsRequired > 0 ? $"≥ {KillsRequired}" : "—");
        Row("restarts", Restarts, "—");
        Row("commands acknowledged (2xx)", CommandsAcknowledged, "—");
        Row("timers fired", TimersFired, "—");
        if (RacedCompletions > 0)
        {
            Row("same task completed through both nodes at once", RacedCompletions, "—");
            Row("races without exactly one 2xx and one 409", RacesNotOneWinner, "0");
        }
        Row("requests retried after a transport failure", TransportRetries, "—");
        Row("duplicates found (timer fired twice)", Duplicates, "0");
        Row("inconsistencies", Inconsistencies, "0");
        Row("lost acknowledged commands", LostAcknowledged, "0");
        Row("5xx answers", ServerErrors, "0");
        if (HostileInputs > 0)
        {
            Row("hostile inputs tried", HostileInputs, "—");
            Row("hostile inputs answered 5xx", HostileServerErrors, "0");
            Row("hostile inputs not answered as a 4xx problem", HostileFaults, "0");
        }
        if (JournalsVerified > 0)
            Row("instance journals whose hash chain verifies", JournalsVerified, "all");
        if (Problems.Count > 0)
        {
            text.AppendLine();
            foreach (var problem in Problems.Take(30))
                text.AppendLine(CultureInfo.InvariantCulture, $"- {problem}");
        }
        return text.ToString();
    }

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
}
