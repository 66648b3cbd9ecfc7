using System.Diagnostics;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace CleanProdFlow.Benchmarks;

// dotnet run -c Release --project tests/CleanProdFlow.Benchmarks -- [all|scenario…] [--provider sqlite|postgres]
//   [--connection "Host=…"] [--seconds N] [--drivers N] [--scale F] [--json path]
/// <summary>The runner's entry point (not top-level statements: the product's host has the type named Program).</summary>
public static class BenchmarkRunner
{
    public static async Task<int> Main(string[] args)
    {
        var scenarios = new Dictionary<string, Func<BenchmarkRun, Task<IReadOnlyList<Figure>>>>(StringComparer.OrdinalIgnoreCase)
        {
            ["db-limit"] = DatabaseLimitScenario.RunAsync, // first: the engine's ratio needs it
            ["engine"] = EngineScenario.RunAsync,
            ["inbox"] = InboxScenario.RunAsync,
            ["compliance"] = ComplianceScenario.RunAsync,
            ["http"] = HttpScenario.RunAsync,
            ["timers"] = TimersScenario.RunAsync,
            ["peer"] = PeerScenario.RunAsync,
            ["timing"] = run => Task.FromResult(TimingScenario.Run(run.Options)),
        };

        var options = BenchmarkOptions.Parse(args, scenarios.Keys);
        if (options is null)
        {
            Console.Error.WriteLine($"usage: CleanProdFlow.Benchmarks [all|{string.Join('|', scenarios.Keys)}]… [--provider sqlite|postgres] " +
                                    "[--connection \"Host=…\"] [--seconds N] [--drivers N] [--scale F] [--json path]");
            return 2;
        }
        #if DEBUG
        Console.Error.WriteLine("warning: a Debug build; run with -c Release for figures that mean anything");
        #endif

        var run = new BenchmarkRun(options);
        var figures = new List<Figure>();
        var total = Stopwatch.StartNew();
        // Scenarios run in the table's order, the database limit first, whatever order they were named in.
        foreach (var name in scenarios.Keys.Where(k => options.Scenarios.Contains(k, StringComparer.OrdinalIgnoreCase)))
        {
            var watch = Stopwatch.StartNew();
            try
            {
                figures.AddRange(await scenarios[name](run));
            }
            catch (Exception e)
            {
                figures.Add(new Figure(name, "failed", 0, "-", Note: e.GetType().Name + ": " + e.Message.ReplaceLineEndings(" ")));
                Console.Error.WriteLine($"{name} failed: {e}");
            }
            Console.Error.WriteLine($"{name}: {watch.Elapsed.TotalSeconds:F1} s");
        }

        // The table goes to stdout last (hosts may have logged before it) and beside the JSON as .md.
        var table = new System.Text.StringBuilder();
        table.AppendLine($"{options.Provider}, {Environment.ProcessorCount} cores, {total.Elapsed.TotalSeconds:F0} s");
        table.AppendLine();
        table.AppendLine("| scenario | figure | value | unit | target | met | note |");
        table.AppendLine("|---|---|---:|---|---|---|---|");
        foreach (var f in figures)
            table.AppendLine($"| {f.Scenario} | {f.Name} | {f.ValueText} | {f.Unit} | {f.TargetText} | {(f.Met is null ? "-" : f.Met.Value ? "yes" : "NO")} | {f.Note?.Replace("|", "/")} |");
        Console.WriteLine();
        Console.Write(table);
        File.WriteAllText(Path.ChangeExtension(options.JsonPath, ".md"), table.ToString());
        File.WriteAllText(options.JsonPath, JsonSerializer.Serialize(new { provider = options.Provider.ToString(), cores = Environment.ProcessorCount, figures },
            new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        Console.WriteLine($"\nwritten to {options.JsonPath} and {Path.ChangeExtension(options.JsonPath, ".md")}");
        return 0;
    }
}
