using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace CleanProdFlow.Engine.Runtime;

/// <summary>
/// What the engine measures of itself, as System.Diagnostics.Metrics (read with
/// <c>dotnet-counters monitor --counters CleanProdFlow.Engine</c>, an OpenTelemetry exporter, or the benchmark's
/// listener): <c>cpf.engine.command.phase.duration</c> in milliseconds, tagged with the phase —
/// <see cref="Begin"/> (a connection, the queue for SQLite's write lock, BEGIN), <see cref="Load"/> (the instance with
/// its journal head), <see cref="Interpret"/> (its clocks, then the interpreter's step and service handlers),
/// <see cref="Write"/> (the instance row and the projections of the step's effects), <see cref="Observe"/> (step
/// observers, e.g. the notification outbox), <see cref="Commit"/>; and <c>cpf.engine.timer.lag</c>, per fired timer
/// the milliseconds from its due instant to the commit of its firing (what an auditor asks of statutory reminders).
/// Nothing is measured while nobody listens.
/// </summary>
public static class EngineMetrics
{
    public const string MeterName = "CleanProdFlow.Engine";
    public const string PhaseDuration = "cpf.engine.command.phase.duration";
    public const string TimerLagName = "cpf.engine.timer.lag";

    public const string Begin = "begin";
    public const string Load = "load";
    public const string Interpret = "interpret";
    public const string Write = "write";
    public const string Observe = "observe";
    public const string Commit = "commit";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Histogram<double> Phases = Meter.CreateHistogram<double>(PhaseDuration, "ms",
        "Time an engine command spends in each phase of its transaction");

    private static readonly Histogram<double> TimerLags = Meter.CreateHistogram<double>(TimerLagName, "ms",
        "Time from a timer's due instant to the commit of its firing");

    /// <summary>A timer fired: its firing committed at <paramref name="committedAt"/>.</summary>
    public static void TimerFired(DateTimeOffset dueAt, DateTimeOffset committedAt)
    {
        if (TimerLags.Enabled)
            TimerLags.Record((committedAt - dueAt).TotalMilliseconds);
    }

    /// <summary>A timestamp to pass to <see cref="Record"/>; 0 (no clock read) while nobody listens.</summary>
    public static long Start() => Phases.Enabled ? Stopwatch.GetTimestamp() : 0;

    public static void Record(string phase, long started)
    {
        if (started != 0)
            Phases.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, new KeyValuePair<string, object?>("phase", phase));
    }
}
