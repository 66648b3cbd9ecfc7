using System.Globalization;
using CleanProdFlow.Data.Database;

namespace CleanProdFlow.Reliability;

/// <summary>
/// <c>crash|two-nodes|all --provider sqlite|postgres [--connection …] [--cases N] [--kills N] [--clients N] [--seed N]
/// [--output file.json]</c>. PostgreSQL's server comes from --connection or CPF_TEST_POSTGRES.
/// </summary>
public sealed record ReliabilityOptions
{
    public const string PostgresVariable = "CPF_TEST_POSTGRES";

    public string Scenario { get; init; } = "all";
    public DatabaseProvider Provider { get; init; } = DatabaseProvider.Sqlite;
    public string? PostgresServer { get; init; } = Environment.GetEnvironmentVariable(PostgresVariable);
    public int Cases { get; init; } = 2000;
    public int Kills { get; init; } = 5;
    public int Clients { get; init; } = 4;
    public int Seed { get; init; } = Random.Shared.Next(1, int.MaxValue);
    public string Output { get; init; } = "reliability-summary.json";

    /// <summary>Two nodes: tasks completed through both nodes at once, and timers due at the same moment.</summary>
    public int Races { get; init; } = 40;

    public static ReliabilityOptions Parse(string[] args)
    {
        var options = new ReliabilityOptions();
        var i = 0;
        if (args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal))
            options = options with { Scenario = args[i++] };
        if (options.Scenario is not ("all" or "crash" or "two-nodes"))
            throw new ArgumentException($"unknown scenario '{options.Scenario}' (all, crash, two-nodes)");
        for (; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Number() => int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 0
                ? n : throw new ArgumentException($"{args[i - 1]} needs a whole number");
            options = args[i] switch
            {
                "--provider" => options with
                {
                    Provider = Value().ToLowerInvariant() switch
                    {
                        "sqlite" => DatabaseProvider.Sqlite,
                        "postgres" or "postgresql" => DatabaseProvider.Postgres,
                        var other => throw new ArgumentException($"--provider is sqlite or postgres, not {other}"),
                    },
                },
                "--connection" => options with { PostgresServer = Value() },
                "--cases" => options with { Cases = Number() },
                "--kills" => options with { Kills = Number() },
                "--clients" => options with { Clients = Math.Max(1, Number()) },
                "--seed" => options with { Seed = Number() },
                "--races" => options with { Races = Number() },
                "--output" => options with { Output = Value() },
                var other => throw new ArgumentException($"unknown option {other}"),
            };
        }
        return options;
    }
}
