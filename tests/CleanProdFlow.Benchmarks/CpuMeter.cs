using System.Diagnostics;

namespace CleanProdFlow.Benchmarks;

/// <summary>This process's CPU time over a stretch: tells a CPU-bound figure from one that waits on the disk.</summary>
public sealed class CpuMeter
{
    private readonly TimeSpan _start = Process.GetCurrentProcess().TotalProcessorTime;

    public static CpuMeter Start() => new();

    public TimeSpan Elapsed => Process.GetCurrentProcess().TotalProcessorTime - _start;

    /// <summary>How many cores were busy on average over <paramref name="wall"/>.</summary>
    public double Cores(TimeSpan wall) => Elapsed / wall;
}
