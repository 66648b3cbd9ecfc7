using System.Collections.Concurrent;

namespace CleanProdFlow.Data.Database;

/// <summary>
/// One writer at a time per SQLite file within this process, queued in memory before <c>BEGIN IMMEDIATE</c>. SQLite
/// allows one writer anyway; without the queue the others wait in SQLite's busy handler, which sleeps 1, 2, 5, 10 … ms
/// between tries, so the lock sits idle between short commands (measured: 4 engine drivers ran slower than 1).
/// A session that waits longer than the busy timeout gives up as SQLite would.
/// </summary>
public static class SqliteWriteGate
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new(StringComparer.Ordinal);

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static async Task<IDisposable> EnterAsync(string dataSource, CancellationToken cancellationToken)
    {
        var gate = Gates.GetOrAdd(Path.GetFullPath(dataSource), _ => new SemaphoreSlim(1, 1));
        if (!await gate.WaitAsync(Timeout, cancellationToken))
            throw new TimeoutException($"waited {Timeout.TotalSeconds:F0} s for the SQLite write lock of {dataSource}");
        return new Lease(gate);
    }

    private sealed class Lease(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
                gate.Release();
        }
    }
}
