using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.Web.VirtualTime;

namespace CleanProdFlow.Web.Scheduling;

/// <summary>
/// What the <see cref="TimerPump"/> plans to sleep until, and the alarm that wakes it earlier. Commands hand every
/// timer they arm to <see cref="Schedule"/> after commit; only an instant earlier than the pump's plan wakes it.
/// Nothing is kept per timer (100,000 pending timers cost nothing here): the table is the truth, this is a hint.
/// </summary>
public sealed class TimerAlarm(ClockSettings clock) : ITimerScheduler
{
    private readonly Lock _lock = new();

    /// <summary>The earliest instant handed over since the pump last planned (covers the time it reads the table).</summary>
    private DateTimeOffset _earliestHanded = DateTimeOffset.MaxValue;

    /// <summary>When the sleeping pump wakes; MinValue while it works (it reads the table again before sleeping).</summary>
    private DateTimeOffset _sleepsUntil = DateTimeOffset.MinValue;

    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Schedule(Guid timerId, DateTimeOffset dueAt)
    {
        // Virtual time is not wall time: timers fire when the clock is moved and in the sweep.
        if (clock.IsVirtual)
            return;
        lock (_lock)
        {
            if (dueAt < _earliestHanded)
                _earliestHanded = dueAt;
            if (dueAt < _sleepsUntil)
            {
                _sleepsUntil = dueAt;
                _wake.TrySetResult();
            }
        }
    }

    /// <summary>
    /// The pump is about to sleep: until the earlier of the table's earliest pending timer, anything handed over since
    /// it last planned, and <paramref name="latest"/>. Returns that instant and a task that completes when an earlier
    /// timer is handed over.
    /// </summary>
    public (DateTimeOffset Until, Task Woken) Plan(DateTimeOffset? earliestInTable, DateTimeOffset latest)
    {
        lock (_lock)
        {
            var until = latest;
            if (earliestInTable is { } table && table < until)
                until = table;
            if (_earliestHanded < until)
                until = _earliestHanded;
            _earliestHanded = DateTimeOffset.MaxValue;
            _sleepsUntil = until;
            _wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return (until, _wake.Task);
        }
    }

    /// <summary>The pump woke and works: instants handed over now are kept for its next plan.</summary>
    public void Working()
    {
        lock (_lock)
            _sleepsUntil = DateTimeOffset.MinValue;
    }
}
