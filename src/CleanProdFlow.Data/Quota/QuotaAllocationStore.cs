using System.Data.Common;
using CleanProdFlow.Data.Database;
using CleanProdFlow.Domain.Quota;
using Dapper;

namespace CleanProdFlow.Data.Quota;

/// <summary>The quota one EIA case needs of one pollutant and where it came from.</summary>
public sealed record QuotaAllocation(Guid Id, string CaseNumber, string CreditCode, string City, string Pollutant, long Amount, bool Priority,
    string Status, string? SourceKind, string? SourceId, Guid? EntryId, Guid InstanceId, DateTimeOffset? PriorityWithdrawnAt, DateTimeOffset CreatedAt,
    DateTimeOffset ChangedAt);

/// <summary>
/// Allocation requests of EIA cases (priority allocation, measure 8). Every write runs in the EIA step's
/// transaction, so a request and the ledger entry that fills it commit together with the step.
/// </summary>
public sealed class QuotaAllocationStore(CpfDatabase database)
{
    private sealed class Row
    {
        public Guid Id { get; init; }
        public string CaseNumber { get; init; } = "";
        public string CreditCode { get; init; } = "";
        public string City { get; init; } = "";
        public string Pollutant { get; init; } = "";
        public long Amount { get; init; }
        public long Priority { get; init; }
        public string Status { get; init; } = "";
        public string? SourceKind { get; init; }
        public string? SourceId { get; init; }
        public Guid? EntryId { get; init; }
        public Guid InstanceId { get; init; }
        public DateTimeOffset? PriorityWithdrawnAt { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset ChangedAt { get; init; }

        public QuotaAllocation ToAllocation() => new(Id, CaseNumber, CreditCode, City, Pollutant, Amount, Priority == 1, Status, SourceKind, SourceId, EntryId,
            InstanceId, PriorityWithdrawnAt, CreatedAt, ChangedAt);
    }

    private const string Select =
        "SELECT id AS Id, case_number AS CaseNumber, credit_code AS CreditCode, city AS City, pollutant AS Pollutant, amount AS Amount, priority AS Priority, " +
        "status AS Status, source_kind AS SourceKind, source_id AS SourceId, entry_id AS EntryId, instance_id AS InstanceId, " +
        "priority_withdrawn_at AS PriorityWithdrawnAt, created_at AS CreatedAt, changed_at AS ChangedAt FROM quota_allocations";

    /// <summary>Records the case's need of a pollutant once (a retried step finds the request it made).</summary>
    public async Task<QuotaAllocation> RequestAsync(DbTransaction tx, string caseNumber, string creditCode, string city, string pollutant, long amount,
        bool priority, Guid instanceId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var existing = await OfCaseAsync(tx, caseNumber, cancellationToken);
        if (existing.FirstOrDefault(a => a.Pollutant == pollutant) is { } found)
            return found;
        var id = Guid.CreateVersion7(now);
        await tx.Connection!.ExecuteAsync(new CommandDefinition(
            "INSERT INTO quota_allocations (id, case_number, credit_code, city, pollutant, amount, priority, status, instance_id, created_at, changed_at) " +
            "VALUES (@id, @caseNumber, @creditCode, @city, @pollutant, @amount, @priority, @waiting, @instanceId, @at, @at)",
            new { id, caseNumber, creditCode, city, pollutant, amount, priority = priority ? 1 : 0, waiting = QuotaStatus.Waiting, instanceId, at = Instants.ForStorage(now) },
            tx, cancellationToken: cancellationToken));
        return (await OfCaseAsync(tx, caseNumber, cancellationToken)).Single(a => a.Pollutant == pollutant);
    }

    public async Task<IReadOnlyList<QuotaAllocation>> OfCaseAsync(DbTransaction? tx, string caseNumber, CancellationToken cancellationToken = default)
    {
        var command = new CommandDefinition($"{Select} WHERE case_number = @caseNumber ORDER BY pollutant", new { caseNumber }, tx, cancellationToken: cancellationToken);
        await using var owned = tx is null ? await database.OpenAsync(cancellationToken) : null;
        return (await (owned ?? tx!.Connection!).QueryAsync<Row>(command)).Select(r => r.ToAllocation()).ToList();
    }

    /// <summary>Allocations of a city (null: all): waiting and escalated first, those with priority before the others, then by age.</summary>
    public async Task<IReadOnlyList<QuotaAllocation>> ListAsync(string? city, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<Row>(new CommandDefinition(
            $"{Select} WHERE @city IS NULL OR city = @city " +
            "ORDER BY CASE WHEN status IN ('waiting', 'escalated') THEN 0 ELSE 1 END, priority DESC, created_at, id",
            new { city }, cancellationToken: cancellationToken))).Select(r => r.ToAllocation()).ToList();
    }

    public async Task SetAsync(DbTransaction tx, Guid id, string status, string? sourceKind, string? sourceId, Guid? entryId, DateTimeOffset now,
        CancellationToken cancellationToken = default) =>
        await tx.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE quota_allocations SET status = @status, source_kind = @sourceKind, source_id = @sourceId, entry_id = @entryId, changed_at = @at WHERE id = @id",
            new { id, status, sourceKind, sourceId, entryId, at = Instants.ForStorage(now) }, tx, cancellationToken: cancellationToken));

    /// <summary>
    /// A revocation withdraws the advanced-enterprise priority from the enterprise's requests still waiting (at the
    /// city or escalated to the province); returns how many lost it. Allocated requests keep what they were given.
    /// </summary>
    public async Task<int> WithdrawPriorityAsync(DbTransaction tx, string creditCode, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        await tx.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE quota_allocations SET priority = 0, priority_withdrawn_at = @at, changed_at = @at " +
            "WHERE credit_code = @creditCode AND priority = 1 AND status IN (@waiting, @escalated)",
            new { creditCode, waiting = QuotaStatus.Waiting, escalated = QuotaStatus.Escalated, at = Instants.ForStorage(now) }, tx,
            cancellationToken: cancellationToken));

    /// <summary>The enterprise is on the register and not revoked now (read in the step's transaction).</summary>
    public async Task<bool> IsAdvancedAsync(DbTransaction tx, string creditCode, CancellationToken cancellationToken = default) =>
        await tx.Connection!.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM advanced_enterprises WHERE credit_code = @creditCode AND status = 'active'", new { creditCode }, tx,
            cancellationToken: cancellationToken)) > 0;
}
