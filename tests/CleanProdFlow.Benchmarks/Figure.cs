using CleanProdFlow.Data.Database;

namespace CleanProdFlow.Benchmarks;

/// <summary>
/// One measured figure with its target: at least <see cref="AtLeast"/> (rates) or at most <see cref="AtMost"/>
/// (latencies, memory); neither when it is information only. <see cref="Note"/> says what limits a missed target.
/// </summary>
public sealed record Figure(string Scenario, string Name, double Value, string Unit, double? AtLeast = null, double? AtMost = null,
    string? Note = null)
{
    public bool? Met => AtLeast is { } low ? Value >= low : AtMost is { } high ? Value <= high : null;

    public string TargetText => AtLeast is { } low ? $"≥ {low:N0}" : AtMost is { } high ? $"≤ {high:N0}" : "-";

    public string ValueText => Math.Abs(Value) >= 100 || Value == Math.Floor(Value) ? $"{Value:N0}" : $"{Value:N2}";
}

/// <summary>The command line: which scenarios, on which database, for how long, and where the JSON goes.</summary>
public sealed record BenchmarkOptions(IReadOnlyList<string> Scenarios, TimeSpan Duration, string JsonPath, DatabaseProvider Provider,
    string? PostgresServer, int Drivers, double Scale)
{
    public const string PostgresVariable = "CPF_TEST_POSTGRES";

    /// <summary>A size of the issue, scaled by <c>--scale</c> (0.1 for a quick look), at least 1.</summary>
    public int Size(int full) => Math.Max(1, (int)Math.Round(full * Scale));

    public static BenchmarkOptions? Parse(string[] args, IEnumerable<string> known)
    {
        var names = known.ToList();
        var scenarios = new List<string>();
        var seconds = 3.0;
        var drivers = 4;
        var scale = 1.0;
        var provider = DatabaseProvider.Sqlite;
        string? connection = null;
        var json = Path.Combine(Path.GetTempPath(), "cleanprodflow-benchmarks.json");
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "all": scenarios.AddRange(names); break;
                case "--seconds" when i + 1 < args.Length && double.TryParse(args[i + 1], out seconds) && seconds > 0: i++; break;
                case "--drivers" when i + 1 < args.Length && int.TryParse(args[i + 1], out drivers) && drivers > 0: i++; break;
                case "--scale" when i + 1 < args.Length && double.TryParse(args[i + 1], out scale) && scale > 0: i++; break;
                case "--json" when i + 1 < args.Length: json = args[++i]; break;
                case "--connection" when i + 1 < args.Length: connection = args[++i]; break;
                case "--provider" when i + 1 < args.Length:
                    switch (args[++i].ToLowerInvariant())
                    {
                        case "sqlite": provider = DatabaseProvider.Sqlite; break;
                        case "postgres" or "postgresql": provider = DatabaseProvider.Postgres; break;
                        default: return null;
                    }
                    break;
                default:
                    if (!names.Contains(args[i], StringComparer.OrdinalIgnoreCase)) return null;
                    scenarios.Add(args[i]);
                    break;
            }
        }
        connection ??= Environment.GetEnvironmentVariable(PostgresVariable);
        return new BenchmarkOptions(scenarios.Count == 0 ? names : scenarios.Distinct(StringComparer.OrdinalIgnoreCase).ToList(),
            TimeSpan.FromSeconds(seconds), json, provider, string.IsNullOrWhiteSpace(connection) ? null : connection, drivers, scale);
    }
}

/// <summary>What the scenarios of one run share: the options, and the database limit measured first (for the ratios).</summary>
public sealed class BenchmarkRun(BenchmarkOptions options)
{
    public BenchmarkOptions Options { get; } = options;

    public string ProviderName => Options.Provider == DatabaseProvider.Sqlite ? "sqlite" : "postgres";

    /// <summary>Committed single-row insert transactions per second with the drivers' concurrency, once measured.</summary>
    public double? DatabaseLimit { get; set; }

    /// <summary>The in-process engine's commands per second, once measured (the peer's ratio).</summary>
    public double? EngineCommandsPerSecond { get; set; }
}
