using System.Data.Common;
using CleanProdFlow.Data.Database;
using CleanProdFlow.Domain.Register;
using Dapper;

namespace CleanProdFlow.Data.Register;

/// <summary>An entry of the register of advanced enterprises, joined with the enterprise's published details.</summary>
public sealed record RegisterEntry(
    string CreditCode, string Name, string City, string? County, string CertificateNumber, string Status, DateOnly ConfirmedOn,
    string ConfirmedBy, DateOnly? RevokedOn, string? RevokedReason, bool OnlineMonitoring);

/// <summary>A list membership, current or ended.</summary>
public sealed record ListMembership(long Id, string ListCode, string CreditCode, string Reason, DateTimeOffset AddedAt, string AddedBy,
    DateTimeOffset? RemovedAt, string? RemovedBy, string? RemovalReason);

/// <summary>The register of advanced enterprises and the lists it feeds, with certificate numbers and membership history.</summary>
public sealed class RegisterStore(CpfDatabase database)
{
    private sealed class EntryRow
    {
        public string CreditCode { get; init; } = "";
        public string Name { get; init; } = "";
        public string City { get; init; } = "";
        public string? County { get; init; }
        public string CertificateNumber { get; init; } = "";
        public string Status { get; init; } = "";
        public DateOnly ConfirmedOn { get; init; }
        public string ConfirmedBy { get; init; } = "";
        public DateOnly? RevokedOn { get; init; }
        public string? RevokedReason { get; init; }
        public bool OnlineMonitoring { get; init; }

        public RegisterEntry ToEntry() => new(CreditCode, Name, City, County, CertificateNumber, Status, ConfirmedOn, ConfirmedBy,
            RevokedOn, RevokedReason, OnlineMonitoring);
    }

    private const string SelectEntry =
        "SELECT a.credit_code AS CreditCode, e.name AS Name, e.city AS City, e.county AS County, a.certificate_number AS CertificateNumber, " +
        "a.status AS Status, a.confirmed_on AS ConfirmedOn, a.confirmed_by AS ConfirmedBy, a.revoked_on AS RevokedOn, " +
        "a.revoked_reason AS RevokedReason, e.online_monitoring AS OnlineMonitoring " +
        "FROM advanced_enterprises a JOIN enterprises e ON e.credit_code = a.credit_code";

    public async Task<RegisterEntry?> FindAsync(string creditCode, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<EntryRow>(new CommandDefinition(
            $"{SelectEntry} WHERE a.credit_code = @creditCode", new { creditCode }, cancellationToken: cancellationToken));
        return row?.ToEntry();
    }

    /// <summary>Register entries, optionally only active ones or one city's, ordered by certificate number.</summary>
    public async Task<IReadOnlyList<RegisterEntry>> ListAsync(bool activeOnly, string? city, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<EntryRow>(new CommandDefinition(
            $"{SelectEntry} WHERE {(activeOnly ? "a.status = 'active'" : "1 = 1")} AND (@city IS NULL OR e.city = @city) " +
            "ORDER BY a.certificate_year, a.certificate_sequence",
            new { city }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToEntry()).ToList();
    }

    /// <summary>
    /// Enters a confirmed enterprise with the next certificate number of <paramref name="year"/>, in one transaction:
    /// the number is gap-free and never reused. Null when the enterprise has an entry already (a revoked enterprise
    /// keeps its entry and history; re-admission is a decision of its own, not built here).
    /// </summary>
    public async Task<RegisterEntry?> AdmitAsync(string creditCode, int year, DateOnly confirmedOn, DateTimeOffset now, string by,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await connection.ExecuteScalarAsync<int>(new CommandDefinition(
                "SELECT COUNT(*) FROM advanced_enterprises WHERE credit_code = @creditCode", new { creditCode }, transaction,
                cancellationToken: cancellationToken)) > 0)
            return null;

        // The UPDATE takes the row lock that serialises concurrent admissions of the same year.
        var sequence = 1;
        if (await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE certificate_sequences SET last_number = last_number + 1 WHERE year = @year", new { year }, transaction,
                cancellationToken: cancellationToken)) == 1)
            sequence = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
                "SELECT last_number FROM certificate_sequences WHERE year = @year", new { year }, transaction, cancellationToken: cancellationToken));
        else
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO certificate_sequences (year, last_number) VALUES (@year, 1)", new { year }, transaction, cancellationToken: cancellationToken));

        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO advanced_enterprises (credit_code, certificate_number, certificate_year, certificate_sequence, status, confirmed_on, confirmed_at, confirmed_by) " +
            "VALUES (@creditCode, @number, @year, @sequence, 'active', @confirmedOn, @now, @by)",
            new { creditCode, number = CertificateNumber.Format(year, sequence), year, sequence, confirmedOn, now = Instants.ForStorage(now), by },
            transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return await FindAsync(creditCode, cancellationToken);
    }

    /// <summary>Revokes an active entry and ends its current list memberships; false when it is not active.</summary>
    public async Task<bool> RevokeAsync(string creditCode, DateOnly revokedOn, string reason, DateTimeOffset now, string by,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await RevokeAsync(transaction, creditCode, revokedOn, reason, now, by, cancellationToken) is null)
            return false;
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// Revokes an active entry and ends its current list memberships in the caller's transaction (a workflow step's,
    /// so the revocation commits with the step that decided it). Returns the memberships it ended, or null when the
    /// entry is not active (nothing changed).
    /// </summary>
    public async Task<IReadOnlyList<ListMembership>?> RevokeAsync(DbTransaction transaction, string creditCode, DateOnly revokedOn, string reason,
        DateTimeOffset now, string by, CancellationToken cancellationToken = default)
    {
        var connection = transaction.Connection!;
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE advanced_enterprises SET status = 'revoked', revoked_on = @revokedOn, revoked_reason = @reason, revoked_by = @by " +
            "WHERE credit_code = @creditCode AND status = 'active'",
            new { creditCode, revokedOn, reason, by }, transaction, cancellationToken: cancellationToken));
        if (changed == 0)
            return null;
        var ending = await connection.QueryAsync<MembershipRow>(new CommandDefinition(
            "SELECT id AS Id, list_code AS ListCode, credit_code AS CreditCode, reason AS Reason, added_at AS AddedAt, added_by AS AddedBy " +
            "FROM list_memberships WHERE credit_code = @creditCode AND removed_at IS NULL ORDER BY id",
            new { creditCode }, transaction, cancellationToken: cancellationToken));
        now = Instants.ForStorage(now);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE list_memberships SET removed_at = @now, removed_by = @by, removal_reason = @reason WHERE credit_code = @creditCode AND removed_at IS NULL",
            new { creditCode, now, by, reason }, transaction, cancellationToken: cancellationToken));
        return ending.Select(r => new ListMembership(r.Id, r.ListCode, r.CreditCode, r.Reason, r.AddedAt, r.AddedBy, now, by, reason)).ToList();
    }

    /// <summary>Adds a current membership; false when the enterprise is on the list already.</summary>
    public async Task<bool> AddToListAsync(string listCode, string creditCode, string reason, DateTimeOffset now, string by,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO list_memberships (list_code, credit_code, reason, added_at, added_by) VALUES (@listCode, @creditCode, @reason, @now, @by)",
                new { listCode, creditCode, reason, now = Instants.ForStorage(now), by }, cancellationToken: cancellationToken));
            return true;
        }
        catch (DbException e) when (database.Dialect.IsUniqueViolation(e))
        {
            return false;
        }
    }

    /// <summary>
    /// Adds a current membership in the caller's transaction (a workflow step's, so it commits with the step); false
    /// when the enterprise is on the list already. Looked up first: on PostgreSQL a unique violation would abort the
    /// caller's whole transaction.
    /// </summary>
    public async Task<bool> AddToListAsync(DbTransaction transaction, string listCode, string creditCode, string reason, DateTimeOffset now, string by,
        CancellationToken cancellationToken = default)
    {
        var connection = transaction.Connection!;
        if (await connection.ExecuteScalarAsync<int>(new CommandDefinition(
                "SELECT COUNT(*) FROM list_memberships WHERE list_code = @listCode AND credit_code = @creditCode AND removed_at IS NULL",
                new { listCode, creditCode }, transaction, cancellationToken: cancellationToken)) > 0)
            return false;
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO list_memberships (list_code, credit_code, reason, added_at, added_by) VALUES (@listCode, @creditCode, @reason, @now, @by)",
            new { listCode, creditCode, reason, now = Instants.ForStorage(now), by }, transaction, cancellationToken: cancellationToken));
        return true;
    }

    /// <summary>Ends a current membership; false when the enterprise is not on the list.</summary>
    public async Task<bool> RemoveFromListAsync(string listCode, string creditCode, string reason, DateTimeOffset now, string by,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE list_memberships SET removed_at = @now, removed_by = @by, removal_reason = @reason " +
            "WHERE list_code = @listCode AND credit_code = @creditCode AND removed_at IS NULL",
            new { listCode, creditCode, reason, now = Instants.ForStorage(now), by }, cancellationToken: cancellationToken)) > 0;
    }

    /// <summary>A list's memberships, current and ended (<paramref name="currentOnly"/> false), oldest first.</summary>
    public async Task<IReadOnlyList<ListMembership>> MembershipsAsync(string listCode, bool currentOnly, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<MembershipRow>(new CommandDefinition(
            "SELECT id AS Id, list_code AS ListCode, credit_code AS CreditCode, reason AS Reason, added_at AS AddedAt, added_by AS AddedBy, " +
            "removed_at AS RemovedAt, removed_by AS RemovedBy, removal_reason AS RemovalReason FROM list_memberships " +
            $"WHERE list_code = @listCode{(currentOnly ? " AND removed_at IS NULL" : "")} ORDER BY id",
            new { listCode }, cancellationToken: cancellationToken));
        return rows.Select(r => new ListMembership(r.Id, r.ListCode, r.CreditCode, r.Reason, r.AddedAt, r.AddedBy, r.RemovedAt, r.RemovedBy, r.RemovalReason)).ToList();
    }

    private sealed class MembershipRow
    {
        public long Id { get; init; }
        public string ListCode { get; init; } = "";
        public string CreditCode { get; init; } = "";
        public string Reason { get; init; } = "";
        public DateTimeOffset AddedAt { get; init; }
        public string AddedBy { get; init; } = "";
        public DateTimeOffset? RemovedAt { get; init; }
        public string? RemovedBy { get; init; }
        public string? RemovalReason { get; init; }
    }
}
