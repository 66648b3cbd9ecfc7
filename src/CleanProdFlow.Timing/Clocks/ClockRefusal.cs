namespace CleanProdFlow.Timing.Clocks;

/// <summary>Why an event was refused. The clock is unchanged.</summary>
public enum ClockRefusalReason
{
    /// <summary>The event is earlier than the clock's previous event.</summary>
    EventBeforePrevious,

    /// <summary>Pause while already paused.</summary>
    AlreadyPaused,

    /// <summary>Resume while not paused.</summary>
    NotPaused,

    /// <summary>Any event after stop or cancel.</summary>
    AlreadyFinished,

    /// <summary>An extension of zero or fewer days, or more than the maximum.</summary>
    InvalidDays,

    /// <summary>A reason or approver the event needs is missing.</summary>
    MissingField,

    /// <summary>The limit is invalid (e.g. ≤ 0 or > 3650).</summary>
    InvalidLimit,

    /// <summary>Ending the fast track of a clock that is not (or no longer) on it.</summary>
    NotFastTrack,

    /// <summary>Changing the limit to the limit already in force.</summary>
    SameLimit,

    /// <summary>The clock would start, or its due date would fall, outside 2000–2100.</summary>
    OutsideCalendar,
}

/// <summary>A refused event: the reason, the input field it concerns, and a message in both languages.</summary>
public sealed record ClockRefusal(ClockRefusalReason Reason, string Field, string MessageEn, string MessageZh)
{
    public FieldError ToFieldError() => new(Field, char.ToLowerInvariant(Reason.ToString()[0]) + Reason.ToString()[1..], MessageEn, MessageZh);

    public override string ToString() => $"{Reason} ({Field}): {MessageEn}";
}

/// <summary>Thrown by <see cref="ClockResult.Value"/> when the event was refused.</summary>
public sealed class ClockEventRefusedException(ClockRefusal refusal) : InvalidOperationException(refusal.ToString())
{
    public ClockRefusal Refusal { get; } = refusal;
}

/// <summary>The outcome of an event: the new clock, or the refusal with the clock unchanged.</summary>
public sealed class ClockResult
{
    private ClockResult(Clock? clock, ClockRefusal? refusal)
    {
        Clock = clock;
        Refusal = refusal;
    }

    /// <summary>The clock after the event, or the unchanged clock when refused (null only when a start is refused).</summary>
    public Clock? Clock { get; }

    public ClockRefusal? Refusal { get; }

    public bool Accepted => Refusal is null;

    /// <summary>The new clock; throws <see cref="ClockEventRefusedException"/> naming the reason when refused.</summary>
    public Clock Value => Refusal is null && Clock is not null ? Clock : throw new ClockEventRefusedException(Refusal!);

    internal static ClockResult Ok(Clock clock) => new(clock, null);

    internal static ClockResult Refused(Clock? clock, ClockRefusal refusal) => new(clock, refusal);
}
