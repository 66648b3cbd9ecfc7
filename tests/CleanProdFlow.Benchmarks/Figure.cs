namespace CleanProdFlow.Benchmarks;

/// <summary>One measured figure with its target (null when it is information only).</summary>
public sealed record Figure(string Scenario, string Name, double Value, string Unit, double? AtLeast = null)
{
    public bool? Met => AtLeast is { } target ? Value >= target : null;

    public string TargetText => AtLeast is { } target ? $"≥ {target:N0}" : "-";
}

public sealed record BenchmarkOptions(IReadOnlyList<string> Scenarios, TimeSpan Duration, string JsonPath)
{
    public static BenchmarkOptions? Parse(string[] args, IEnumerable<string> known)
    {
        var names = known.ToList();
        var scenarios = new List<string>();
        var seconds = 3.0;
        var json = Path.Combine(Path.GetTempPath(), "cleanprodflow-benchmarks.json");
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "all": scenarios.AddRange(names); break;
                case "--seconds" when i + 1 < args.Length && double.TryParse(args[i + 1], out seconds) && seconds > 0: i++; break;
                case "--json" when i + 1 < args.Length: json = args[++i]; break;
                default:
                    if (!names.Contains(args[i], StringComparer.OrdinalIgnoreCase)) return null;
                    scenarios.Add(args[i]);
                    break;
            }
        }
        return new BenchmarkOptions(scenarios.Count == 0 ? names : scenarios.Distinct(StringComparer.OrdinalIgnoreCase).ToList(),
            TimeSpan.FromSeconds(seconds), json);
    }
}
