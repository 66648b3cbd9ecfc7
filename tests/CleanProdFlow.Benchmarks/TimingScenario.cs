using System.Diagnostics;
using CleanProdFlow.Timing.Calendars;
using CleanProdFlow.Timing.Deadlines;

namespace CleanProdFlow.Benchmarks;

/// <summary>
/// Deadline computations per second on one core: random starts in 2024–2027 and limits of 1–60 working days on
/// the shipped calendar (issue 3 target: at least 2,000,000/s). Also how long building a calendar takes.
/// </summary>
public static class TimingScenario
{
    public static IReadOnlyList<Figure> Run(BenchmarkOptions options)
    {
        var json = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "data", "cn-mainland.json"));
        var build = Stopwatch.StartNew();
        const int builds = 20;
        WorkingDayCalendar calendar = null!;
        for (var i = 0; i < builds; i++)
            calendar = WorkingDayCalendar.Parse(json).Value;
        var buildMs = build.Elapsed.TotalMilliseconds / builds;

        // Inputs are prepared first so the loop measures the arithmetic only.
        var random = new Random(20261124);
        var first = new DateOnly(2024, 1, 1).DayNumber;
        var last = new DateOnly(2027, 12, 31).DayNumber;
        var requests = Enumerable.Range(0, 4096).Select(_ => new DeadlineRequest(
                new DateTimeOffset(DateOnly.FromDayNumber(random.Next(first, last + 1)).ToDateTime(new TimeOnly(random.Next(0, 24), 0)), TimeSpan.FromHours(8)),
                new TimeLimit(random.Next(1, 61), PeriodUnit.WorkingDays), false))
            .ToArray();

        for (var i = 0; i < 200_000; i++) // warm-up (tiered JIT)
            Deadline.Compute(calendar, requests[i & 4095]);

        long count = 0;
        var checksum = 0;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < options.Duration)
        {
            for (var i = 0; i < 4096; i++)
                checksum += Deadline.Compute(calendar, requests[i]).DueDate!.Value.DayNumber;
            count += 4096;
        }
        var perSecond = count / watch.Elapsed.TotalSeconds;
        GC.KeepAlive(checksum);

        return
        [
            new("timing", "deadline computations per second, one core (working days 1–60, starts 2024–2027)", perSecond, "per s", 2_000_000),
            new("timing", "build the cn-mainland calendar (2000–2100 index)", buildMs * 1000, "µs"),
        ];
    }
}
