using System.Diagnostics.Metrics;
using CleanProdFlow.Engine.Runtime;

namespace CleanProdFlow.Benchmarks;

/// <summary>
/// Listens to the engine's <see cref="EngineMetrics"/> while a scenario's engine slices run and sums the time per
/// phase, so the table says where a command's time goes (a stopwatch breakdown of the product's own measurements).
/// </summary>
public sealed class CommandPhases : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Dictionary<string, (double Milliseconds, long Count)> _sums = new(StringComparer.Ordinal);
    private volatile bool _on;

    public CommandPhases()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == EngineMetrics.MeterName && instrument.Name == EngineMetrics.PhaseDuration)
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            if (!_on)
                return;
            var phase = "";
            foreach (var tag in tags)
                if (tag.Key == "phase")
                    phase = tag.Value as string ?? "";
            lock (_sums)
            {
                var (sum, count) = _sums.GetValueOrDefault(phase);
                _sums[phase] = (sum + value, count + 1);
            }
        });
        _listener.Start();
    }

    /// <summary>Measures from now until <see cref="Pause"/>.</summary>
    public void Resume() => _on = true;

    public void Pause() => _on = false;

    /// <summary>Mean milliseconds per command in each phase, in the order a command goes through them.</summary>
    public string Text(long commands)
    {
        lock (_sums)
        {
            var order = new[] { EngineMetrics.Begin, EngineMetrics.Load, EngineMetrics.Interpret, EngineMetrics.Write, EngineMetrics.Observe, EngineMetrics.Commit };
            var parts = order.Where(_sums.ContainsKey).Select(p => $"{p} {_sums[p].Milliseconds / Math.Max(1, commands):F3}");
            var total = order.Where(_sums.ContainsKey).Sum(p => _sums[p].Milliseconds) / Math.Max(1, commands);
            return $"ms per command in the transaction's phases: {string.Join(", ", parts)} (sum {total:F3}; begin includes the wait for the write lock)";
        }
    }

    public void Dispose() => _listener.Dispose();
}
