using CleanProdFlow.Data.Database;
using Xunit.Abstractions;

namespace CleanProdFlow.Reliability.Tests;

/// <summary>
/// The reliability harness in its short form (README "Reliability" has the full one): the real host as a child
/// process killed with SIGKILL five times while 150 fast-track EIA cases run, on SQLite and on PostgreSQL; and two
/// nodes on one PostgreSQL racing every task completion and every timer. Each must leave nothing inconsistent,
/// nothing fired twice, no acknowledged command lost and no 5xx.
/// </summary>
public sealed class ShortHarnessTests(ITestOutputHelper output)
{
    private const int Seed = 20261012;

    [Fact]
    public async Task Crash_safety_on_SQLite_with_five_kills()
    {
        var summary = await RunAsync(new ReliabilityOptions { Scenario = "crash", Provider = DatabaseProvider.Sqlite, Cases = 150, Kills = 5, Seed = Seed });
        Assert.Equal(5, summary.Kills);
        Assert.True(summary.HostileInputs > 300, $"only {summary.HostileInputs} hostile inputs");
        Assert.True(summary.JournalsVerified >= summary.Cases, $"{summary.JournalsVerified} journals verified for {summary.Cases} cases");
    }

    [SkippableFact]
    public async Task Crash_safety_on_PostgreSQL_with_five_kills()
    {
        var summary = await RunAsync(new ReliabilityOptions
        {
            Scenario = "crash", Provider = DatabaseProvider.Postgres, PostgresServer = PostgresServer(), Cases = 150, Kills = 5, Seed = Seed,
        });
        Assert.Equal(5, summary.Kills);
        Assert.True(summary.HostileInputs > 300, $"only {summary.HostileInputs} hostile inputs");
        Assert.True(summary.JournalsVerified >= summary.Cases, $"{summary.JournalsVerified} journals verified for {summary.Cases} cases");
    }

    [SkippableFact]
    public async Task Two_nodes_on_one_PostgreSQL_complete_each_task_once_and_fire_each_timer_once()
    {
        var summary = await RunAsync(new ReliabilityOptions
        {
            Scenario = "two-nodes", Provider = DatabaseProvider.Postgres, PostgresServer = PostgresServer(), Races = 20, Seed = Seed,
        });
        Assert.True(summary.RacedCompletions >= 20 * 5, $"only {summary.RacedCompletions} completions were raced");
    }

    private async Task<RunSummary> RunAsync(ReliabilityOptions options)
    {
        var log = new StringWriter();
        RunSummary summary;
        try
        {
            summary = options.Scenario == "crash" ? await CrashScenario.RunAsync(options, log) : await TwoNodesScenario.RunAsync(options, log);
        }
        finally
        {
            output.WriteLine(log.ToString());
        }
        output.WriteLine(summary.Markdown());
        Assert.True(summary.Passed, summary.Markdown());
        Assert.Equal(0, summary.Duplicates);
        Assert.Equal(0, summary.Inconsistencies);
        Assert.Equal(0, summary.LostAcknowledged);
        Assert.Equal(0, summary.ServerErrors);
        Assert.Equal(summary.Cases, summary.CasesCompleted);
        return summary;
    }

    /// <summary>CPF_TEST_POSTGRES (tests/run.sh starts a server); skipped without it unless CPF_REQUIRE_POSTGRES=1.</summary>
    private static string PostgresServer()
    {
        var server = Environment.GetEnvironmentVariable(ReliabilityOptions.PostgresVariable);
        if (string.IsNullOrWhiteSpace(server))
        {
            const string reason = "PostgreSQL is not available: set CPF_TEST_POSTGRES (tests/run.sh starts a throwaway server)";
            if (Environment.GetEnvironmentVariable("CPF_REQUIRE_POSTGRES") == "1")
                throw new InvalidOperationException("CPF_REQUIRE_POSTGRES=1 but " + reason);
            Skip.If(true, reason);
        }
        return server!;
    }
}
