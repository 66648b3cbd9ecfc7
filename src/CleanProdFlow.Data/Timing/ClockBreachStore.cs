using System.Data.Common;
using CleanProdFlow.Data.Database;
using Dapper;

namespace CleanProdFlow.Data.Timing;

/// <summary>A statutory limit that was not met, as recorded when its clock's due timer fired.</summary>
public sealed record ClockBreach(long Id, string Subject, Guid? InstanceId, string ClockName, string? RuleId, DateTimeOffset DueAt,
    DateTimeOffset DetectedAt, int WorkingDaysOverdue, string? ElementId, string RecordedBy);

/// <summary>Breach records: written once per clock and due date (a repeated delivery records nothing new).</summary>
public sealed class ClockBreachStore(CpfDatabase database)
{
    private const string Select =
        "SELECT id AS Id, subject AS Subject, instance_id AS InstanceId, clock_name AS ClockName, rule_id AS RuleId, due_at AS DueAt, " +
        "detected_at AS DetectedAt, working_days_overdue AS WorkingDaysOverdue, element_id AS ElementId, recorded_by AS RecordedBy FROM clock_breaches";

    /// <summary>Records the breach in the caller's transaction; false when this clock's breach of that due date is already recorded.</summary>
    public async Task<bool> RecordAsync(DbTransaction transaction, string subject, Guid? instanceId, string clockName, string? ruleId,
        DateTimeOffset dueAt, DateTimeOffset detectedAt, int workingDaysOverdue, string? elementId, string recordedBy,
        CancellationToken cancellationToken = default)
    {
        var connection = transaction.Connection!;
        var known = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM clock_breaches WHERE subject = @subject AND due_at = @dueAt",
            new { subject, dueAt = Instants.ForStorage(dueAt) }, transaction, cancellationToken: cancellationToken));
        if (known > 0)
            return false;
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO clock_breaches (subject, instance_id, clock_name, rule_id, due_at, detected_at, working_days_overdue, element_id, recorded_by) " +
            "VALUES (@subject, @instanceId, @clockName, @ruleId, @dueAt, @detectedAt, @workingDaysOverdue, @elementId, @recordedBy)",
            new
            {
                subject, instanceId, clockName, ruleId, dueAt = Instants.ForStorage(dueAt), detectedAt = Instants.ForStorage(detectedAt),
                workingDaysOverdue, elementId, recordedBy,
            }, transaction, cancellationToken: cancellationToken));
        return true;
    }

    public async Task<IReadOnlyList<ClockBreach>> OfInstanceAsync(Guid instanceId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<BreachRow>(new CommandDefinition(
            $"{Select} WHERE instance_id = @instanceId ORDER BY id", new { instanceId }, cancellationToken: cancellationToken));
        return rows.Select(r => new ClockBreach(r.Id, r.Subject, r.InstanceId, r.ClockName, r.RuleId, r.DueAt, r.DetectedAt,
            r.WorkingDaysOverdue, r.ElementId, r.RecordedBy)).ToList();
    }

    private sealed class BreachRow
    {
        public long Id { get; init; }
        public string Subject { get; init; } = "";
        public Guid? InstanceId { get; init; }
        public string ClockName { get; init; } = "";
        public string? RuleId { get; init; }
        public DateTimeOffset DueAt { get; init; }
        public DateTimeOffset DetectedAt { get; init; }
        public int WorkingDaysOverdue { get; init; }
        public string? ElementId { get; init; }
        public string RecordedBy { get; init; } = "";
    }
}
