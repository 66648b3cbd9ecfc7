namespace CleanProdFlow.Web.VirtualTime;

/// <summary>
/// The virtual clock (<c>Clock:Mode=Virtual</c>): the real time shifted by an offset that only grows. It runs on
/// with the real time between moves, so an idle installation still ticks; an administrator moves it forward, never
/// back (a timer that fired stays fired).
/// </summary>
public sealed class VirtualTimeProvider : TimeProvider
{
    private readonly TimeProvider _real;
    private readonly Lock _gate = new();
    private TimeSpan _offset;

    public VirtualTimeProvider(DateTimeOffset? start, TimeProvider? real = null)
    {
        _real = real ?? System;
        _offset = start is { } at ? at - _real.GetUtcNow() : TimeSpan.Zero;
    }

    /// <summary>Held while the clock moves and the timers that fell due fire, so two moves do not interleave.</summary>
    public SemaphoreSlim Moving { get; } = new(1, 1);

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
            return _real.GetUtcNow() + _offset;
    }

    /// <summary>Moves the clock forward to <paramref name="target"/>; false (nothing changes) when that is not later than now.</summary>
    public bool MoveTo(DateTimeOffset target)
    {
        lock (_gate)
        {
            var real = _real.GetUtcNow();
            if (target <= real + _offset)
                return false;
            _offset = target - real;
            return true;
        }
    }
}
