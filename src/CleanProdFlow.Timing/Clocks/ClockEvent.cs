using System.Text.Json.Serialization;
using CleanProdFlow.Timing.Deadlines;

namespace CleanProdFlow.Timing.Clocks;

/// <summary>What happened to a clock, when. Stored as JSON with a "kind" discriminator.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(ClockStarted), "started")]
[JsonDerivedType(typeof(ClockPaused), "paused")]
[JsonDerivedType(typeof(ClockResumed), "resumed")]
[JsonDerivedType(typeof(ClockExtended), "extended")]
[JsonDerivedType(typeof(ClockStopped), "stopped")]
[JsonDerivedType(typeof(ClockCancelled), "cancelled")]
[JsonDerivedType(typeof(ClockFastTrackEnded), "fastTrackEnded")]
[JsonDerivedType(typeof(ClockLimitChanged), "limitChanged")]
public abstract record ClockEvent(DateTimeOffset At);

public sealed record ClockStarted(DateTimeOffset At) : ClockEvent(At);

/// <summary>Time not counted, e.g. 技术评估/专家评审/听证 (行政许可法 art. 45) or the applicant correcting materials.</summary>
public sealed record ClockPaused(DateTimeOffset At, string Reason, string? LegalBasis) : ClockEvent(At);

public sealed record ClockResumed(DateTimeOffset At) : ClockEvent(At);

/// <summary>The limit extended by working days with the approval of the head of the authority (行政许可法 art. 42).</summary>
public sealed record ClockExtended(DateTimeOffset At, int Days, string Approver, string Reason) : ClockEvent(At);

/// <summary>The step the clock times was done (e.g. the decision was made).</summary>
public sealed record ClockStopped(DateTimeOffset At) : ClockEvent(At);

/// <summary>
/// The fast track no longer applies (e.g. the enterprise's incentives were revoked): from now on the full limit
/// counts; the working days already used stay used.
/// </summary>
public sealed record ClockFastTrackEnded(DateTimeOffset At, string Reason) : ClockEvent(At);

/// <summary>
/// From <see cref="ClockEvent.At"/> on another limit applies (e.g. the audit cycle extended from one year to two, measure 7),
/// counted from the same start with the same pauses and extensions.
/// </summary>
public sealed record ClockLimitChanged(DateTimeOffset At, TimeLimit Limit, string Reason, string? LegalBasis) : ClockEvent(At);

/// <summary>The clock no longer applies (e.g. the application was withdrawn).</summary>
public sealed record ClockCancelled(DateTimeOffset At, string Reason) : ClockEvent(At);

/// <summary>JSON: running | paused | stopped | cancelled.</summary>
public enum ClockState
{
    Running,
    Paused,
    Stopped,
    Cancelled,
}
