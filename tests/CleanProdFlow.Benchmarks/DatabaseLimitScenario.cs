using System.Diagnostics;
using CleanProdFlow.Data.Database;
using Dapper;

namespace CleanProdFlow.Benchmarks;

/// <summary>
/// The database's own limit, measured first in the same run: single-row INSERT transactions, each committed, on a
/// connection opened the product's way (SQLite: WAL, synchronous=FULL; PostgreSQL: the server's synchronous_commit).
/// One writer, then as many writers as the engine has drivers; the higher is the limit the engine is compared with.
/// </summary>
public static class DatabaseLimitScenario
{
    public static async Task<IReadOnlyList<Figure>> RunAsync(BenchmarkRun run)
    {
        await using var database = await BenchDatabase.CreateAsync(run.Options, migrate: false);
        var durability = await PrepareAsync(database.Database);
        var (single, singleCpu) = await InsertsPerSecondAsync(database.Database, 1, run.Options.Duration);
        var (many, manyCpu) = await InsertsPerSecondAsync(database.Database, run.Options.Drivers, run.Options.Duration);
        run.DatabaseLimit = Math.Max(single, many);
        return
        [
            new("db-limit", $"committed single-row INSERT transactions, 1 writer ({run.ProviderName}, {durability})", single, "per s",
                Note: $"{singleCpu:F2} ms CPU per transaction"),
            new("db-limit", $"committed single-row INSERT transactions, {run.Options.Drivers} writers", many, "per s",
                Note: $"{manyCpu:F2} ms CPU per transaction; the higher of the two is the limit the engine is compared with"),
        ];
    }

    /// <summary>
    /// The limit measured in the given database right now: the higher of one writer and <paramref name="writers"/>
    /// writers, each for half of <paramref name="duration"/>. The engine scenario calls it between its own slices, so
    /// both see the same disk and the same neighbours (this machine's fsync time moves by a factor of ten with load).
    /// </summary>
    public static async Task<double> LimitNowAsync(CpfDatabase database, int writers, TimeSpan duration)
    {
        var (single, _) = await InsertsPerSecondAsync(database, 1, duration / 2);
        var (many, _) = await InsertsPerSecondAsync(database, writers, duration / 2);
        return Math.Max(single, many);
    }

    public static async Task<string> PrepareAsync(CpfDatabase database)
    {
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync("CREATE TABLE bench_inserts (id VARCHAR(36) NOT NULL PRIMARY KEY, payload VARCHAR(400) NOT NULL, at VARCHAR(40) NOT NULL)");
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            var journal = await connection.ExecuteScalarAsync<string>("PRAGMA journal_mode");
            var synchronous = await connection.ExecuteScalarAsync<long>("PRAGMA synchronous");
            return $"journal_mode={journal}, synchronous={(synchronous == 2 ? "FULL" : synchronous.ToString())}";
        }
        var commit = await connection.ExecuteScalarAsync<string>("SHOW synchronous_commit");
        var fsync = await connection.ExecuteScalarAsync<string>("SHOW fsync");
        return $"synchronous_commit={commit}, fsync={fsync}";
    }

    private static async Task<(double PerSecond, double CpuMs)> InsertsPerSecondAsync(CpfDatabase database, int writers, TimeSpan duration)
    {
        var payload = new string('x', 200);
        long count = 0;
        var cpu = CpuMeter.Start();
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
        {
            await using var connection = await database.OpenAsync();
            while (watch.Elapsed < duration)
            {
                await using var transaction = await connection.BeginTransactionAsync();
                await connection.ExecuteAsync("INSERT INTO bench_inserts (id, payload, at) VALUES (@id, @payload, @at)",
                    new { id = Guid.NewGuid().ToString(), payload, at = watch.Elapsed.ToString() }, transaction);
                await transaction.CommitAsync();
                Interlocked.Increment(ref count);
            }
        })));
        return (count / watch.Elapsed.TotalSeconds, cpu.Elapsed.TotalMilliseconds / Math.Max(1, count));
    }
}
