using System.Diagnostics;

namespace CleanProdFlow.Benchmarks;

/// <summary>Latencies of repeated calls, in milliseconds.</summary>
public static class Percentiles
{
    public static double Of(IReadOnlyList<double> samples, double percentile)
    {
        if (samples.Count == 0)
            return double.NaN;
        var sorted = samples.Order().ToArray();
        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }

    /// <summary>Calls <paramref name="call"/> <paramref name="times"/> times after a few warm-up calls; the time of each.</summary>
    public static async Task<List<double>> TimeAsync(int times, Func<Task> call)
    {
        for (var i = 0; i < 3; i++)
            await call();
        var samples = new List<double>(times);
        for (var i = 0; i < times; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await call();
            samples.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        return samples;
    }
}
