using System.Data.Common;
using CleanProdFlow.Data.Database;
using CleanProdFlow.Domain.Quota;
using Dapper;

namespace CleanProdFlow.Data.Quota;

/// <summary>An accepted audit as the register holds it (an audit_results row); <see cref="Source"/> <c>certification</c> marks a certification counted as an audit.</summary>
public sealed record AcceptedAudit(long Id, string CreditCode, string DocumentNumber, string? Source)
{
    public const string CertificationSource = "certification";

    public bool IsCertification => Source == CertificationSource;
}

/// <summary>An audit's verified reduction of one pollutant, credited once by the entry it links.</summary>
public sealed record QuotaReduction(long AuditResultId, string Pollutant, string CreditCode, long Amount, Guid EntryId, DateTimeOffset RegisteredAt,
    string RegisteredBy);

/// <summary>
/// Audit-formed reductions (审核形成的减排量): each stands on an accepted audit of the enterprise and is credited to its
/// tradable balance once per audit and pollutant. The issuance entry and the link row are written in one transaction;
/// the entry's key (<c>reduction:{code}:{document number}:{pollutant}</c>) makes a concurrent second registration a
/// replay, and the link's primary key (audit, pollutant) keeps it so even for SQL that bypasses the ledger.
/// </summary>
public sealed class QuotaReductionStore(CpfDatabase database, QuotaLedger ledger)
{
    private sealed class AuditRow
    {
        public long Id { get; init; }
        public string CreditCode { get; init; } = "";
        public string DocumentNumber { get; init; } = "";
        public string? Source { get; init; }
    }

    private sealed class ReductionRow
    {
        public long AuditResultId { get; init; }
        public string Pollutant { get; init; } = "";
        public string CreditCode { get; init; } = "";
        public long Amount { get; init; }
        public Guid EntryId { get; init; }
        public DateTimeOffset RegisteredAt { get; init; }
        public string RegisteredBy { get; init; } = "";

        public QuotaReduction ToReduction() => new(AuditResultId, Pollutant, CreditCode, Amount, EntryId, RegisteredAt, RegisteredBy);
    }

    private const string SelectReduction =
        "SELECT audit_result_id AS AuditResultId, pollutant AS Pollutant, credit_code AS CreditCode, amount AS Amount, entry_id AS EntryId, " +
        "registered_at AS RegisteredAt, registered_by AS RegisteredBy FROM quota_reductions";

    /// <summary>The accepted audits recorded under a document number (of any enterprise: the caller tells whose it is).</summary>
    public async Task<IReadOnlyList<AcceptedAudit>> AuditsNumberedAsync(string documentNumber, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<AuditRow>(new CommandDefinition(
                "SELECT id AS Id, credit_code AS CreditCode, document_number AS DocumentNumber, source AS Source FROM audit_results " +
                "WHERE document_number = @documentNumber ORDER BY id", new { documentNumber }, cancellationToken: cancellationToken)))
            .Select(r => new AcceptedAudit(r.Id, r.CreditCode, r.DocumentNumber, r.Source)).ToList();
    }

    public async Task<QuotaReduction?> FindAsync(long auditResultId, string pollutant, DbTransaction? tx = null, CancellationToken cancellationToken = default)
    {
        var command = new CommandDefinition($"{SelectReduction} WHERE audit_result_id = @auditResultId AND pollutant = @pollutant",
            new { auditResultId, pollutant }, tx, cancellationToken: cancellationToken);
        await using var owned = tx is null ? await database.OpenAsync(cancellationToken) : null;
        return (await (owned ?? tx!.Connection!).QuerySingleOrDefaultAsync<ReductionRow>(command))?.ToReduction();
    }

    /// <summary>An enterprise's registered reductions, newest first.</summary>
    public async Task<IReadOnlyList<QuotaReduction>> OfEnterpriseAsync(string creditCode, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<ReductionRow>(new CommandDefinition($"{SelectReduction} WHERE credit_code = @creditCode ORDER BY registered_at DESC, pollutant",
            new { creditCode }, cancellationToken: cancellationToken))).Select(r => r.ToReduction()).ToList();
    }

    /// <summary>
    /// Credits the audit's reduction of <paramref name="pollutant"/> to the enterprise, or — when that audit's reduction
    /// of the pollutant was credited before — returns the first registration with Replayed true (nothing is posted; the
    /// caller compares the amounts).
    /// </summary>
    public Task<(QuotaReduction Reduction, bool Replayed)> RegisterAsync(AcceptedAudit audit, QuotaHolder enterprise, string pollutant, long amount, string by,
        DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        if (audit.CreditCode != enterprise.Id || enterprise.Kind != QuotaHolder.EnterpriseKind)
            throw new ArgumentException($"audit {audit.DocumentNumber} is not {enterprise.Id}'s", nameof(audit));
        return ledger.InTransactionAsync(null, async tx =>
        {
            if (await FindAsync(audit.Id, pollutant, tx, cancellationToken) is { } earlier)
                return (earlier, true);
            var posted = await ledger.PostAsync(QuotaEntryDraft.Issuance(enterprise, pollutant, amount, $"reduction:{audit.CreditCode}:{audit.DocumentNumber}:{pollutant}",
                audit.DocumentNumber, "清洁生产审核验收核定的减排量"), by, now, tx, cancellationToken);
            if (posted.Replayed)
            {
                // A concurrent registration committed the entry first; its link row commits with it.
                if (await FindAsync(audit.Id, pollutant, tx, cancellationToken) is { } linked)
                    return (linked, true);
                amount = await tx.Connection!.ExecuteScalarAsync<long>(new CommandDefinition("SELECT amount FROM quota_entries WHERE id = @id",
                    new { id = posted.EntryId }, tx, cancellationToken: cancellationToken));
            }
            await tx.Connection!.ExecuteAsync(new CommandDefinition(
                "INSERT INTO quota_reductions (audit_result_id, pollutant, credit_code, amount, entry_id, registered_at, registered_by) " +
                "VALUES (@auditResultId, @pollutant, @creditCode, @amount, @entryId, @at, @by)",
                new { auditResultId = audit.Id, pollutant, creditCode = audit.CreditCode, amount, entryId = posted.EntryId, at = Instants.ForStorage(now), by },
                tx, cancellationToken: cancellationToken));
            return ((await FindAsync(audit.Id, pollutant, tx, cancellationToken))!, posted.Replayed);
        }, cancellationToken);
    }
}
