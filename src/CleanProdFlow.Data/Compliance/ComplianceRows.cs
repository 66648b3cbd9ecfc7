namespace CleanProdFlow.Data.Compliance;

/// <summary>
/// What the auditors narrow the figures to: an organisation (a city staff member's own, forced by the page), a
/// clock rule, a track, and the period in which a clock ended, a pause or extension began, or a breach was detected.
/// </summary>
public sealed record ComplianceFilter
{
    public string? Organisation { get; init; }

    public string? RuleId { get; init; }

    /// <summary>standard | fast | fast-ended.</summary>
    public string? Track { get; init; }

    /// <summary>Start of the period (inclusive).</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>End of the period (exclusive).</summary>
    public DateTimeOffset? To { get; init; }
}

/// <summary>The figures of one step (one clock rule): decided clocks of the period, and those still open now.</summary>
public sealed class StepFigures
{
    public string? RuleId { get; init; }
    public string? NameZh { get; init; }
    public string? NameEn { get; init; }
    public string? LegalBasis { get; init; }
    public long Decided { get; init; }
    public long OnTime { get; init; }
    public long FastDecided { get; init; }
    public long FastOnTime { get; init; }
    public double? FastAverageUsed { get; init; }
    public double? StandardAverageUsed { get; init; }
    public double? FastAverageLimit { get; init; }
    public double? StandardAverageLimit { get; init; }
    public long LateWorkingDays { get; init; }
    public long PausedWorkingDays { get; init; }
    public long ExtensionDays { get; init; }
    public long WithPauses { get; init; }
    public long Extended { get; init; }
    public long RunningNow { get; set; }
    public long OverdueNow { get; set; }
    public long PausedNow { get; set; }

    public long Late => Decided - OnTime;
}

/// <summary>Decided and on time per city or per month, with what is overdue now (cities only).</summary>
public sealed class GroupFigures
{
    public string? Key { get; init; }
    public long Decided { get; init; }
    public long OnTime { get; init; }
    public long OverdueNow { get; init; }
    public double? FastAverageUsed { get; init; }
    public double? StandardAverageUsed { get; init; }

    public long Late => Decided - OnTime;
}

/// <summary>Pauses grouped by their reason and legal basis; working days counted for pauses that ended.</summary>
public sealed class PauseFigures
{
    public string Reason { get; init; } = "";
    public string? LegalBasis { get; init; }
    public long Pauses { get; init; }
    public long OpenNow { get; init; }
    public long WorkingDays { get; init; }
    public long Cases { get; init; }
}

/// <summary>Extensions by the approver who granted them.</summary>
public sealed class ApproverFigures
{
    public string? Approver { get; init; }
    public long Extensions { get; init; }
    public long WorkingDays { get; init; }
}

/// <summary>One extension, as the dashboard and the evidence list it.</summary>
public sealed class ExtensionRow
{
    public Guid? InstanceId { get; init; }
    public string? BusinessKey { get; init; }
    public string? Organisation { get; init; }
    public string? RuleId { get; init; }
    public string? NameZh { get; init; }
    public string? NameEn { get; init; }
    public DateTimeOffset At { get; init; }
    public int Days { get; init; }
    public string? Approver { get; init; }
    public string Reason { get; init; } = "";
}

/// <summary>A recorded breach with its case, its clock's outcome and what the escalation said about it.</summary>
public sealed class BreachRow
{
    public long Id { get; init; }
    public Guid? InstanceId { get; init; }
    public string? BusinessKey { get; init; }
    public string? Organisation { get; init; }
    public string ClockName { get; init; } = "";
    public string? RuleId { get; init; }
    public string? NameZh { get; init; }
    public string? NameEn { get; init; }
    public string? Track { get; init; }
    public DateTimeOffset DueAt { get; init; }
    public DateTimeOffset DetectedAt { get; init; }
    public int WorkingDaysOverdue { get; init; }
    public string? ClockResult { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    public int? WorkingDaysLate { get; init; }
    public string? Reason { get; init; }
    public string? ReasonBy { get; init; }
    public DateTimeOffset? ReasonAt { get; init; }
}

/// <summary>Breaches detected per month, and how many still wait for their explanation.</summary>
public sealed class BreachMonth
{
    public string Month { get; init; } = "";
    public long Breaches { get; init; }
    public long Unexplained { get; init; }
}

/// <summary>Everything the dashboard shows, read in one go.</summary>
public sealed record ComplianceFigures(
    IReadOnlyList<StepFigures> Steps,
    IReadOnlyList<GroupFigures> Cities,
    IReadOnlyList<GroupFigures> Months,
    IReadOnlyList<PauseFigures> Pauses,
    IReadOnlyList<ApproverFigures> Approvers,
    IReadOnlyList<ExtensionRow> RecentExtensions,
    IReadOnlyList<BreachMonth> BreachMonths,
    IReadOnlyList<BreachRow> RecentBreaches,
    long BreachCount);

/// <summary>The drill-down: which clocks (one per case and limit) to list.</summary>
public sealed record ComplianceCaseQuery
{
    public required ComplianceFilter Filter { get; init; }

    /// <summary>on-time | late | overdue | running | paused | cancelled | breached | extended | was-paused; null: every decided clock.</summary>
    public string? Result { get; init; }

    /// <summary>yyyy-MM (Beijing) in which the clock ended.</summary>
    public string? Month { get; init; }

    /// <summary>Clocks with a pause for this reason.</summary>
    public string? PauseReason { get; init; }

    /// <summary>Clocks with an extension approved by this user.</summary>
    public string? Approver { get; init; }

    /// <summary>Keyset: clocks with a smaller id than this (the page before ended there).</summary>
    public long? Before { get; init; }

    public int Limit { get; init; } = 50;
}

/// <summary>One clock of a case in the drill-down list.</summary>
public sealed class ComplianceCaseRow
{
    public long ClockId { get; init; }
    public Guid? InstanceId { get; init; }
    public string? BusinessKey { get; init; }
    public string? Organisation { get; init; }
    public string ClockName { get; init; } = "";
    public string? RuleId { get; init; }
    public string? NameZh { get; init; }
    public string? NameEn { get; init; }
    public string Track { get; init; } = "";
    public string Status { get; init; } = "";
    public string Result { get; init; } = "";
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? DueAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    public int WorkingDaysUsed { get; init; }
    public int? WorkingDaysLimit { get; init; }
    public int WorkingDaysLate { get; init; }
    public int WorkingDaysPaused { get; init; }
    public int ExtensionDays { get; init; }
    public long Breaches { get; init; }
}

/// <summary>A due date a calendar change moved (clock_recomputations), for the evidence.</summary>
public sealed class RecomputationRow
{
    public string Subject { get; init; } = "";
    public DateTimeOffset? DueBefore { get; init; }
    public DateTimeOffset? DueAfter { get; init; }
    public string CalendarBefore { get; init; } = "";
    public string CalendarAfter { get; init; } = "";
    public string Cause { get; init; } = "";
    public DateTimeOffset RecordedAt { get; init; }
    public string RecordedBy { get; init; } = "";
}
