using System.Data.Common;
using CleanProdFlow.Data.Database;
using CleanProdFlow.Domain.Programmes;
using Dapper;

namespace CleanProdFlow.Data.Programmes;

/// <summary>A yearly green-finance batch (环保贷/环保担项目库推荐) as stored.</summary>
public sealed record GreenFinanceBatchRecord(int Year, Guid InstanceId, string Status, DateTimeOffset ClockStartAt, DateTimeOffset BuiltAt, string BuiltBy,
    DateTimeOffset? RecommendedAt);

/// <summary>One enterprise of a batch with where it stands and why (evidence of the selection).</summary>
public sealed record GreenFinanceCandidate(int Year, string CreditCode, string City, string EnterpriseName, string CertificateNumber, string Status,
    string? Reason, DateTimeOffset ChangedAt, string ChangedBy);

/// <summary>What recording the recommendation changed.</summary>
public sealed record GreenFinanceRecommendation(IReadOnlyList<string> Recommended, IReadOnlyList<string> DroppedRevoked);

/// <summary>
/// Green-finance batches, one per register year (the primary key decides "once a year"), and their candidates.
/// Writes made by workflow steps take the step's transaction, so a batch exists exactly when its build step commits.
/// </summary>
public sealed class GreenFinanceStore(CpfDatabase database)
{
    private sealed class BatchRow
    {
        public int Year { get; init; }
        public Guid InstanceId { get; init; }
        public string Status { get; init; } = "";
        public DateTimeOffset ClockStartAt { get; init; }
        public DateTimeOffset BuiltAt { get; init; }
        public string BuiltBy { get; init; } = "";
        public DateTimeOffset? RecommendedAt { get; init; }

        public GreenFinanceBatchRecord ToRecord() => new(Year, InstanceId, Status, ClockStartAt, BuiltAt, BuiltBy, RecommendedAt);
    }

    private sealed class CandidateRow
    {
        public int Year { get; init; }
        public string CreditCode { get; init; } = "";
        public string City { get; init; } = "";
        public string EnterpriseName { get; init; } = "";
        public string CertificateNumber { get; init; } = "";
        public string Status { get; init; } = "";
        public string? Reason { get; init; }
        public DateTimeOffset ChangedAt { get; init; }
        public string ChangedBy { get; init; } = "";

        public GreenFinanceCandidate ToCandidate() => new(Year, CreditCode, City, EnterpriseName, CertificateNumber, Status, Reason, ChangedAt, ChangedBy);
    }

    private sealed class RegisterRow
    {
        public string CreditCode { get; init; } = "";
        public string Name { get; init; } = "";
        public string City { get; init; } = "";
        public string CertificateNumber { get; init; } = "";
        public string Status { get; init; } = "";
        public DateOnly? RevokedOn { get; init; }
        public string? RevokedReason { get; init; }
    }

    private const string SelectBatch =
        "SELECT year AS Year, instance_id AS InstanceId, status AS Status, clock_start_at AS ClockStartAt, built_at AS BuiltAt, built_by AS BuiltBy, " +
        "recommended_at AS RecommendedAt FROM green_finance_batches";

    private const string SelectCandidate =
        "SELECT year AS Year, credit_code AS CreditCode, city AS City, enterprise_name AS EnterpriseName, certificate_number AS CertificateNumber, " +
        "status AS Status, reason AS Reason, changed_at AS ChangedAt, changed_by AS ChangedBy FROM green_finance_candidates";

    /// <summary>
    /// Builds the batch of <paramref name="year"/> in the build step's transaction: every enterprise confirmed on the
    /// register by 31 December of that year and still active is a candidate; one revoked during the year (or since)
    /// is recorded as excluded with the revocation as its reason. When the year has a batch already nothing changes
    /// and that batch is returned with <c>Created</c> false.
    /// </summary>
    public async Task<(GreenFinanceBatchRecord Batch, bool Created)> BuildAsync(DbTransaction transaction, int year, Guid instanceId, DateTimeOffset now,
        string by, CancellationToken cancellationToken = default)
    {
        var connection = transaction.Connection!;
        if (await FindAsync(year, cancellationToken, transaction) is { } existing)
            return (existing, false);
        now = Instants.ForStorage(now);
        // Two starts racing for a year: the loser inserts nothing (instead of a unique violation, which would abort
        // its step on PostgreSQL and leave an incident) and ends as "the batch exists".
        var insert = database.Provider == DatabaseProvider.SqlServer
            ? "INSERT INTO green_finance_batches (year, instance_id, status, clock_start_at, built_at, built_by) " +
              "SELECT @year, @instanceId, @status, @clockStart, @now, @by " +
              "WHERE NOT EXISTS (SELECT 1 FROM green_finance_batches WITH (UPDLOCK, HOLDLOCK) WHERE year = @year)"
            : "INSERT INTO green_finance_batches (year, instance_id, status, clock_start_at, built_at, built_by) " +
              "VALUES (@year, @instanceId, @status, @clockStart, @now, @by) ON CONFLICT (year) DO NOTHING";
        if (await connection.ExecuteAsync(new CommandDefinition(insert,
                new { year, instanceId, status = GreenFinanceBatch.Reviewing, clockStart = Instants.ForStorage(GreenFinanceBatch.ClockStartFor(year)), now, by },
                transaction, cancellationToken: cancellationToken)) == 0)
            return ((await FindAsync(year, cancellationToken, transaction))!, false);
        var onRegister = await connection.QueryAsync<RegisterRow>(new CommandDefinition(
            "SELECT a.credit_code AS CreditCode, e.name AS Name, e.city AS City, a.certificate_number AS CertificateNumber, a.status AS Status, " +
            "a.revoked_on AS RevokedOn, a.revoked_reason AS RevokedReason FROM advanced_enterprises a JOIN enterprises e ON e.credit_code = a.credit_code " +
            "WHERE a.confirmed_on <= @yearEnd AND (a.status = 'active' OR a.revoked_on >= @yearStart) ORDER BY e.city, a.certificate_number",
            new { yearEnd = GreenFinanceBatch.YearEnd(year), yearStart = new DateOnly(year, 1, 1) }, transaction, cancellationToken: cancellationToken));
        foreach (var entry in onRegister)
        {
            var active = entry.Status == "active";
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO green_finance_candidates (year, credit_code, city, enterprise_name, certificate_number, status, reason, changed_at, changed_by) " +
                "VALUES (@year, @creditCode, @city, @name, @certificate, @status, @reason, @now, @by)",
                new
                {
                    year, creditCode = entry.CreditCode, city = entry.City, name = entry.Name, certificate = entry.CertificateNumber,
                    status = active ? GreenFinanceCandidateStatus.Candidate : GreenFinanceCandidateStatus.Excluded,
                    reason = active ? null : $"组批前已被撤销清洁生产先进企业资格（{entry.RevokedOn:yyyy-MM-dd}：{entry.RevokedReason}）",
                    now, by,
                }, transaction, cancellationToken: cancellationToken));
        }
        return ((await FindAsync(year, cancellationToken, transaction))!, true);
    }

    public async Task<GreenFinanceBatchRecord?> FindAsync(int year, CancellationToken cancellationToken = default, DbTransaction? transaction = null)
    {
        await using var owned = transaction is null ? await database.OpenAsync(cancellationToken) : null;
        return (await (owned ?? transaction!.Connection!).QuerySingleOrDefaultAsync<BatchRow>(new CommandDefinition(
            $"{SelectBatch} WHERE year = @year", new { year }, transaction, cancellationToken: cancellationToken)))?.ToRecord();
    }

    /// <summary>Every batch, newest year first.</summary>
    public async Task<IReadOnlyList<GreenFinanceBatchRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<BatchRow>(new CommandDefinition($"{SelectBatch} ORDER BY year DESC", cancellationToken: cancellationToken)))
            .Select(r => r.ToRecord()).ToList();
    }

    /// <summary>A batch's candidates, of one city when <paramref name="city"/> is given, by city and certificate number.</summary>
    public async Task<IReadOnlyList<GreenFinanceCandidate>> CandidatesAsync(int year, string? city, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<CandidateRow>(new CommandDefinition(
                $"{SelectCandidate} WHERE year = @year{(city is null ? "" : " AND city = @city")} ORDER BY city, certificate_number",
                new { year, city }, cancellationToken: cancellationToken)))
            .Select(r => r.ToCandidate()).ToList();
    }

    /// <summary>
    /// A reviewer excludes a candidate with a reason while the batch is under review; false when the batch is not under
    /// review or the enterprise is not (or no longer) a candidate.
    /// </summary>
    public async Task<bool> ExcludeAsync(int year, string creditCode, string reason, DateTimeOffset now, string by, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE green_finance_candidates SET status = @excluded, reason = @reason, changed_at = @now, changed_by = @by " +
            "WHERE year = @year AND credit_code = @creditCode AND status = @candidate " +
            "AND EXISTS (SELECT 1 FROM green_finance_batches b WHERE b.year = @year AND b.status = @reviewing)",
            new
            {
                year, creditCode, reason, now = Instants.ForStorage(now), by, excluded = GreenFinanceCandidateStatus.Excluded,
                candidate = GreenFinanceCandidateStatus.Candidate, reviewing = GreenFinanceBatch.Reviewing,
            }, cancellationToken: cancellationToken)) > 0;
    }

    /// <summary>
    /// Records the recommendation in the step's transaction: each remaining candidate still active on the register is
    /// recommended (<paramref name="addToPool"/> adds its membership), one revoked since the build is dropped with the
    /// revocation as the reason; the batch is marked recommended.
    /// </summary>
    public async Task<GreenFinanceRecommendation> RecommendAsync(DbTransaction transaction, int year, DateTimeOffset now, string by,
        Func<string, Task> addToPool, CancellationToken cancellationToken = default)
    {
        var connection = transaction.Connection!;
        now = Instants.ForStorage(now);
        var remaining = await connection.QueryAsync<RegisterRow>(new CommandDefinition(
            "SELECT c.credit_code AS CreditCode, c.enterprise_name AS Name, c.city AS City, c.certificate_number AS CertificateNumber, a.status AS Status, " +
            "a.revoked_on AS RevokedOn, a.revoked_reason AS RevokedReason FROM green_finance_candidates c " +
            "JOIN advanced_enterprises a ON a.credit_code = c.credit_code WHERE c.year = @year AND c.status = @candidate ORDER BY c.city, c.certificate_number",
            new { year, candidate = GreenFinanceCandidateStatus.Candidate }, transaction, cancellationToken: cancellationToken));
        List<string> recommended = [], dropped = [];
        foreach (var candidate in remaining)
        {
            var active = candidate.Status == "active";
            if (active)
            {
                await addToPool(candidate.CreditCode);
                recommended.Add(candidate.CreditCode);
            }
            else
                dropped.Add(candidate.CreditCode);
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE green_finance_candidates SET status = @status, reason = @reason, changed_at = @now, changed_by = @by " +
                "WHERE year = @year AND credit_code = @creditCode",
                new
                {
                    year, creditCode = candidate.CreditCode, now, by,
                    status = active ? GreenFinanceCandidateStatus.Recommended : GreenFinanceCandidateStatus.DroppedRevoked,
                    reason = active ? null : $"组批后被撤销清洁生产先进企业资格，推荐时剔除（{candidate.RevokedOn:yyyy-MM-dd}：{candidate.RevokedReason}）",
                }, transaction, cancellationToken: cancellationToken));
        }
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE green_finance_batches SET status = @status, recommended_at = @now WHERE year = @year",
            new { year, status = GreenFinanceBatch.Recommended, now }, transaction, cancellationToken: cancellationToken));
        return new(recommended, dropped);
    }
}
