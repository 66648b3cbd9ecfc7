using System.Diagnostics;

namespace CleanProdFlow.TestSupport;

/// <summary>
/// Waits for work a test cannot drive itself — a Hangfire job that runs after the step that enqueued it committed —
/// by asking again until the answer is there, bounded. The virtual clock covers everything timed; this is only for
/// such after-commit jobs.
/// </summary>
public static class Eventually
{
    /// <summary>The first non-null answer of <paramref name="probe"/> within <paramref name="limit"/> (default 30 s); fails naming <paramref name="what"/>.</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T?>> probe, string what, TimeSpan? limit = null) where T : struct
    {
        var bound = limit ?? TimeSpan.FromSeconds(30);
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (await probe() is { } answer)
                return answer;
            if (waited.Elapsed > bound)
                throw new TimeoutException($"{what} did not happen within {bound.TotalSeconds:0} s");
            await Task.Delay(250);
        }
    }
}
