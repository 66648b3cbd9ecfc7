using System.Data.Common;
using System.Text.Json;
using CleanProdFlow.Data.Database;
using CleanProdFlow.Domain.Eligibility;
using CleanProdFlow.Domain.Enterprises;
using Dapper;

namespace CleanProdFlow.Data.Enterprises;

/// <summary>An enterprise as stored, with who created and last changed it.</summary>
public sealed record StoredEnterprise(Enterprise Enterprise, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset UpdatedAt, string UpdatedBy);

/// <summary>A complaint or report about an enterprise and where its verification stands.</summary>
public sealed record Complaint(long Id, string CreditCode, DateOnly ReceivedOn, string Summary, string Status, DateTimeOffset? VerifiedAt, string? VerifiedBy);

/// <summary>An environmental accident and its grade (general | larger | major | especially-major).</summary>
public sealed record Accident(long Id, string CreditCode, DateOnly OccurredOn, string Grade, string? Description);

/// <summary>An eligibility decision as recorded, with its cause.</summary>
public sealed record RecordedEligibility(long Id, EligibilityDecision Decision, string Cause, DateTimeOffset EvaluatedAt, string EvaluatedBy);

/// <summary>Thrown when a fact with the same document or decision number is recorded twice for an enterprise.</summary>
public sealed class DuplicateFactException(string what) : Exception($"{what} is recorded already.");

/// <summary>
/// The register's enterprises and the facts that drive their eligibility. Facts are only added (a penalty's
/// annulment and a complaint's verification are recorded changes), so every decision can be traced.
/// </summary>
public sealed class EnterpriseStore(CpfDatabase database)
{
    private sealed class EnterpriseRow
    {
        public string CreditCode { get; init; } = "";
        public string Name { get; init; } = "";
        public string City { get; init; } = "";
        public string? County { get; init; }
        public string? Industry { get; init; }
        public string? Address { get; init; }
        public bool OnlineMonitoring { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public string CreatedBy { get; init; } = "";
        public DateTimeOffset UpdatedAt { get; init; }
        public string UpdatedBy { get; init; } = "";

        public StoredEnterprise ToStored() =>
            new(new Enterprise(CreditCode, Name, City, County, Industry, Address, OnlineMonitoring), CreatedAt, CreatedBy, UpdatedAt, UpdatedBy);
    }

    private const string SelectEnterprise =
        "SELECT credit_code AS CreditCode, name AS Name, city AS City, county AS County, industry AS Industry, address AS Address, " +
        "online_monitoring AS OnlineMonitoring, created_at AS CreatedAt, created_by AS CreatedBy, updated_at AS UpdatedAt, updated_by AS UpdatedBy FROM enterprises";

    /// <summary>
    /// Inserts the enterprises that are new and updates those whose details differ, all in one transaction (an
    /// import is all or nothing). Rows identical to what is stored are left untouched, so a re-import changes
    /// nothing. Returns how many were created and updated.
    /// </summary>
    public async Task<(int Created, int Updated)> UpsertAsync(IReadOnlyList<Enterprise> enterprises, DateTimeOffset now, string by,
        CancellationToken cancellationToken = default)
    {
        now = Instants.ForStorage(now);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        int created = 0, updated = 0;
        foreach (var e in enterprises)
        {
            var current = await connection.QuerySingleOrDefaultAsync<EnterpriseRow>(new CommandDefinition(
                $"{SelectEnterprise} WHERE credit_code = @CreditCode", new { e.CreditCode }, transaction, cancellationToken: cancellationToken));
            var values = new { e.CreditCode, e.Name, e.City, e.County, e.Industry, e.Address, e.OnlineMonitoring, now, by };
            if (current is null)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO enterprises (credit_code, name, city, county, industry, address, online_monitoring, created_at, created_by, updated_at, updated_by) " +
                    "VALUES (@CreditCode, @Name, @City, @County, @Industry, @Address, @OnlineMonitoring, @now, @by, @now, @by)",
                    values, transaction, cancellationToken: cancellationToken));
                created++;
            }
            else if (current.ToStored().Enterprise != e)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE enterprises SET name = @Name, city = @City, county = @County, industry = @Industry, address = @Address, " +
                    "online_monitoring = @OnlineMonitoring, updated_at = @now, updated_by = @by WHERE credit_code = @CreditCode",
                    values, transaction, cancellationToken: cancellationToken));
                updated++;
            }
        }
        await transaction.CommitAsync(cancellationToken);
        return (created, updated);
    }

    public async Task<StoredEnterprise?> FindAsync(string creditCode, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<EnterpriseRow>(new CommandDefinition(
            $"{SelectEnterprise} WHERE credit_code = @creditCode", new { creditCode }, cancellationToken: cancellationToken));
        return row?.ToStored();
    }

    /// <summary>A page of enterprises ordered by credit code (keyset: pass the last code as <paramref name="after"/>).</summary>
    public async Task<IReadOnlyList<StoredEnterprise>> ListAsync(string? city, string? after, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<EnterpriseRow>(new CommandDefinition(
            database.Dialect.Limit($"{SelectEnterprise} WHERE (@city IS NULL OR city = @city) AND (@after IS NULL OR credit_code > @after) ORDER BY credit_code", "@limit"),
            new { city, after, limit }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToStored()).ToList();
    }

    /// <summary>Records accepted audits in one transaction; a document number already recorded for the enterprise is skipped.</summary>
    public async Task<int> AddAuditResultsAsync(IReadOnlyList<AuditResult> results, DateTimeOffset now, string by, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var added = 0;
        foreach (var r in results)
            if (await AddAuditResultAsync(transaction, r, null, now, by, cancellationToken))
                added++;
        await transaction.CommitAsync(cancellationToken);
        return added;
    }

    /// <summary>
    /// Records one accepted audit in the caller's transaction (e.g. the acceptance step of an audit cycle); false when
    /// the document number is recorded for the enterprise already. <paramref name="source"/>: null for an acceptance,
    /// <c>certification</c> for a voluntary certification that counts as the audit (measure 6).
    /// </summary>
    public async Task<bool> AddAuditResultAsync(DbTransaction transaction, AuditResult r, string? source, DateTimeOffset now, string by,
        CancellationToken cancellationToken = default)
    {
        var connection = transaction.Connection!;
        var exists = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM audit_results WHERE credit_code = @CreditCode AND document_number = @DocumentNumber",
            new { r.CreditCode, r.DocumentNumber }, transaction, cancellationToken: cancellationToken));
        if (exists > 0)
            return false;
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO audit_results (credit_code, accepted_on, level, authority, document_number, recorded_at, recorded_by, source) " +
            "VALUES (@CreditCode, @AcceptedOn, @level, @Authority, @DocumentNumber, @now, @by, @source)",
            new { r.CreditCode, r.AcceptedOn, level = (int)r.Level, r.Authority, r.DocumentNumber, now = Instants.ForStorage(now), by, source },
            transaction, cancellationToken: cancellationToken));
        return true;
    }

    /// <summary>An enterprise's accepted audits, oldest first; with <paramref name="transaction"/> as that transaction sees them.</summary>
    public async Task<IReadOnlyList<AuditResult>> AuditResultsAsync(string creditCode, CancellationToken cancellationToken = default,
        DbTransaction? transaction = null)
    {
        await using var owned = transaction is null ? await database.OpenAsync(cancellationToken) : null;
        var connection = transaction?.Connection ?? owned!;
        var rows = await connection.QueryAsync<AuditRow>(new CommandDefinition(
            "SELECT credit_code AS CreditCode, accepted_on AS AcceptedOn, level AS Level, authority AS Authority, document_number AS DocumentNumber " +
            "FROM audit_results WHERE credit_code = @creditCode ORDER BY accepted_on, id", new { creditCode }, transaction, cancellationToken: cancellationToken));
        return rows.Select(r => new AuditResult(r.CreditCode, r.AcceptedOn, (AuditLevel)r.Level, r.Authority, r.DocumentNumber)).ToList();
    }

    private sealed class AuditRow
    {
        public string CreditCode { get; init; } = "";
        public DateOnly AcceptedOn { get; init; }
        public int Level { get; init; }
        public string Authority { get; init; } = "";
        public string DocumentNumber { get; init; } = "";
    }

    public async Task AddPenaltyAsync(string creditCode, Penalty penalty, DateTimeOffset now, string by, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO penalties (credit_code, decision_number, decided_on, authority, eco_environmental, annulled, recorded_at, recorded_by) " +
                "VALUES (@creditCode, @DecisionNumber, @DecidedOn, @Authority, @EcoEnvironmental, @Annulled, @now, @by)",
                new { creditCode, penalty.DecisionNumber, penalty.DecidedOn, penalty.Authority, penalty.EcoEnvironmental, penalty.Annulled, now = Instants.ForStorage(now), by },
                cancellationToken: cancellationToken));
        }
        catch (DbException e) when (database.Dialect.IsUniqueViolation(e))
        {
            throw new DuplicateFactException($"Penalty decision {penalty.DecisionNumber}");
        }
    }

    /// <summary>Marks a penalty as annulled (e.g. by administrative reconsideration); false when there is no such penalty.</summary>
    public async Task<bool> AnnulPenaltyAsync(string creditCode, string decisionNumber, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE penalties SET annulled = @annulled WHERE credit_code = @creditCode AND decision_number = @decisionNumber",
            new { creditCode, decisionNumber, annulled = true }, cancellationToken: cancellationToken)) > 0;
    }

    public async Task<IReadOnlyList<Penalty>> PenaltiesAsync(string creditCode, CancellationToken cancellationToken = default, DbTransaction? transaction = null)
    {
        await using var owned = transaction is null ? await database.OpenAsync(cancellationToken) : null;
        var connection = transaction?.Connection ?? owned!;
        var rows = await connection.QueryAsync<PenaltyRow>(new CommandDefinition(
            "SELECT decision_number AS DecisionNumber, decided_on AS DecidedOn, authority AS Authority, eco_environmental AS EcoEnvironmental, " +
            "annulled AS Annulled FROM penalties WHERE credit_code = @creditCode ORDER BY decided_on, id", new { creditCode }, transaction, cancellationToken: cancellationToken));
        return rows.Select(r => new Penalty(r.DecisionNumber, r.DecidedOn, r.Authority, r.EcoEnvironmental, r.Annulled)).ToList();
    }

    private sealed class PenaltyRow
    {
        public string DecisionNumber { get; init; } = "";
        public DateOnly DecidedOn { get; init; }
        public string Authority { get; init; } = "";
        public bool EcoEnvironmental { get; init; }
        public bool Annulled { get; init; }
    }

    public async Task<long> AddAccidentAsync(string creditCode, DateOnly occurredOn, string grade, string? description, DateTimeOffset now, string by,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            database.Dialect.InsertReturningId(
                "INSERT INTO accidents (credit_code, occurred_on, grade, description, recorded_at, recorded_by) " +
                "VALUES (@creditCode, @occurredOn, @grade, @description, @now, @by)", "id"),
            new { creditCode, occurredOn, grade, description, now = Instants.ForStorage(now), by }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<Accident>> AccidentsAsync(string creditCode, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<AccidentRow>(new CommandDefinition(
            "SELECT id AS Id, credit_code AS CreditCode, occurred_on AS OccurredOn, grade AS Grade, description AS Description " +
            "FROM accidents WHERE credit_code = @creditCode ORDER BY occurred_on, id", new { creditCode }, cancellationToken: cancellationToken));
        return rows.Select(r => new Accident(r.Id, r.CreditCode, r.OccurredOn, r.Grade, r.Description)).ToList();
    }

    private sealed class AccidentRow
    {
        public long Id { get; init; }
        public string CreditCode { get; init; } = "";
        public DateOnly OccurredOn { get; init; }
        public string Grade { get; init; } = "";
        public string? Description { get; init; }
    }

    public async Task<long> AddComplaintAsync(string creditCode, DateOnly receivedOn, string summary, DateTimeOffset now, string by,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            database.Dialect.InsertReturningId(
                "INSERT INTO complaints (credit_code, received_on, summary, status, recorded_at, recorded_by) " +
                "VALUES (@creditCode, @receivedOn, @summary, 'pending', @now, @by)", "id"),
            new { creditCode, receivedOn, summary, now = Instants.ForStorage(now), by }, cancellationToken: cancellationToken));
    }

    /// <summary>Records the outcome of a pending complaint's verification; false when it is not pending (or not there).</summary>
    public async Task<bool> VerifyComplaintAsync(string creditCode, long id, bool verifiedTrue, DateTimeOffset now, string by,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE complaints SET status = @status, verified_at = @now, verified_by = @by " +
            "WHERE id = @id AND credit_code = @creditCode AND status = 'pending'",
            new { id, creditCode, status = verifiedTrue ? "true" : "false", now = Instants.ForStorage(now), by }, cancellationToken: cancellationToken)) > 0;
    }

    public async Task<IReadOnlyList<Complaint>> ComplaintsAsync(string creditCode, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ComplaintRow>(new CommandDefinition(
            "SELECT id AS Id, credit_code AS CreditCode, received_on AS ReceivedOn, summary AS Summary, status AS Status, " +
            "verified_at AS VerifiedAt, verified_by AS VerifiedBy FROM complaints WHERE credit_code = @creditCode ORDER BY received_on, id",
            new { creditCode }, cancellationToken: cancellationToken));
        return rows.Select(r => new Complaint(r.Id, r.CreditCode, r.ReceivedOn, r.Summary, r.Status, r.VerifiedAt, r.VerifiedBy)).ToList();
    }

    private sealed class ComplaintRow
    {
        public long Id { get; init; }
        public string CreditCode { get; init; } = "";
        public DateOnly ReceivedOn { get; init; }
        public string Summary { get; init; } = "";
        public string Status { get; init; } = "";
        public DateTimeOffset? VerifiedAt { get; init; }
        public string? VerifiedBy { get; init; }
    }

    /// <summary>Keeps an evaluation in the enterprise's decision history.</summary>
    public async Task<long> RecordEligibilityAsync(string creditCode, EligibilityDecision decision, string cause, DateTimeOffset now, string by,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var id = await RecordEligibilityAsync(transaction, creditCode, decision, cause, now, by, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return id;
    }

    /// <summary>Keeps an evaluation in the decision history, in the caller's transaction (e.g. a workflow step's).</summary>
    public async Task<long> RecordEligibilityAsync(DbTransaction transaction, string creditCode, EligibilityDecision decision, string cause,
        DateTimeOffset now, string by, CancellationToken cancellationToken = default)
    {
        var connection = transaction.Connection!;
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            database.Dialect.InsertReturningId(
                "INSERT INTO eligibility_decisions (credit_code, as_of, eligible, rules, cause, evaluated_at, evaluated_by) " +
                "VALUES (@creditCode, @asOf, @eligible, @rules, @cause, @now, @by)", "id"),
            new
            {
                creditCode, asOf = decision.AsOf, eligible = decision.Eligible, rules = JsonSerializer.Serialize(decision.Rules),
                cause, now = Instants.ForStorage(now), by,
            }, transaction, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<RecordedEligibility>> EligibilityHistoryAsync(string creditCode, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<EligibilityRow>(new CommandDefinition(
            "SELECT id AS Id, as_of AS AsOf, eligible AS Eligible, rules AS Rules, cause AS Cause, evaluated_at AS EvaluatedAt, evaluated_by AS EvaluatedBy " +
            "FROM eligibility_decisions WHERE credit_code = @creditCode ORDER BY id", new { creditCode }, cancellationToken: cancellationToken));
        return rows.Select(r => new RecordedEligibility(r.Id,
            new EligibilityDecision(r.AsOf, r.Eligible, JsonSerializer.Deserialize<List<EligibilityRule>>(r.Rules)!), r.Cause, r.EvaluatedAt, r.EvaluatedBy)).ToList();
    }

    private sealed class EligibilityRow
    {
        public long Id { get; init; }
        public DateOnly AsOf { get; init; }
        public bool Eligible { get; init; }
        public string Rules { get; init; } = "";
        public string Cause { get; init; } = "";
        public DateTimeOffset EvaluatedAt { get; init; }
        public string EvaluatedBy { get; init; } = "";
    }
}
