using System.Text.Json;
using CleanProdFlow.Data.Database;

namespace CleanProdFlow.Reliability;

/// <summary>Runs the chosen scenarios, prints each summary as markdown and writes all of them as JSON.</summary>
public static class Harness
{
    public static async Task<IReadOnlyList<RunSummary>> RunAsync(ReliabilityOptions options, TextWriter log)
    {
        var summaries = new List<RunSummary>();
        if (options.Scenario is "all" or "crash")
            summaries.Add(await CrashScenario.RunAsync(options, log));
        if (options.Scenario is "all" or "two-nodes")
        {
            if (options.Provider == DatabaseProvider.Postgres)
                summaries.Add(await TwoNodesScenario.RunAsync(options, log));
            else
                log.WriteLine("two-nodes: skipped on SQLite (two nodes share a PostgreSQL database; run with --provider postgres)");
        }
        foreach (var summary in summaries)
        {
            log.WriteLine();
            log.WriteLine(summary.Markdown());
        }
        await File.WriteAllTextAsync(options.Output, JsonSerializer.Serialize(summaries, RunSummary.Json));
        log.WriteLine($"summary written to {Path.GetFullPath(options.Output)}");
        return summaries;
    }
}
