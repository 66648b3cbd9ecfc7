using System.Diagnostics;
using System.Text.Json;
using CleanProdFlow.Benchmarks;

// dotnet run -c Release --project tests/CleanProdFlow.Benchmarks -- [all|timing] [--seconds N] [--json path]
var scenarios = new Dictionary<string, Func<BenchmarkOptions, IReadOnlyList<Figure>>>(StringComparer.OrdinalIgnoreCase)
{
    ["timing"] = TimingScenario.Run,
};

var options = BenchmarkOptions.Parse(args, scenarios.Keys);
if (options is null)
{
    Console.Error.WriteLine($"usage: CleanProdFlow.Benchmarks [all|{string.Join('|', scenarios.Keys)}] [--seconds N] [--json path]");
    return 2;
}
#if DEBUG
Console.Error.WriteLine("warning: a Debug build; run with -c Release for figures that mean anything");
#endif

var figures = new List<Figure>();
foreach (var name in options.Scenarios)
{
    var watch = Stopwatch.StartNew();
    figures.AddRange(scenarios[name](options));
    Console.Error.WriteLine($"{name}: {watch.Elapsed.TotalSeconds:F1} s");
}

Console.WriteLine("| scenario | figure | value | unit | target | met |");
Console.WriteLine("|---|---|---:|---|---|---|");
foreach (var f in figures)
    Console.WriteLine($"| {f.Scenario} | {f.Name} | {f.Value:N0} | {f.Unit} | {f.TargetText} | {(f.Met is null ? "-" : f.Met.Value ? "yes" : "NO")} |");

File.WriteAllText(options.JsonPath, JsonSerializer.Serialize(figures, new JsonSerializerOptions { WriteIndented = true }));
Console.WriteLine($"\nwritten to {options.JsonPath}");
return 0;
