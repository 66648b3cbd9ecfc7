namespace CleanProdFlow.Timing.Deadlines;

/// <summary>
/// A span during which the clock does not run, covering the instants [From, To). A working day counts only
/// when the clock runs up to its 24:00, so a pause ending exactly at 00:00 still covers the day before.
/// <see cref="To"/> is null while the pause is ongoing.
/// </summary>
public sealed record Pause(DateTimeOffset From, DateTimeOffset? To, string? Reason = null, string? LegalBasis = null);

/// <summary>An extension of the limit by <see cref="Days"/> working days (行政许可法 art. 42), with who approved it and why.</summary>
public sealed record Extension(int Days, string? Approver = null, string? Reason = null);
