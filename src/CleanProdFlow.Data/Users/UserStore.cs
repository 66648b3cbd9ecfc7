using System.Data.Common;
using CleanProdFlow.Data.Database;
using CleanProdFlow.Domain.Access;
using Dapper;

namespace CleanProdFlow.Data.Users;

/// <summary>Thrown when an account with the same username exists already.</summary>
public sealed class DuplicateUsernameException(string username)
    : Exception($"A user named '{username}' exists already.")
{
    public string Username { get; } = username;
}

/// <summary>Staff accounts: stored, found and listed. Every statement is parameterised.</summary>
public sealed class UserStore(CpfDatabase database)
{
    // Rows are classes with setters, not positional records: Dapper then converts each provider's column types
    // (SQLite's integers and text) to the property types.
    private sealed class UserRow
    {
        public long Id { get; init; }
        public string Username { get; init; } = "";
        public string DisplayName { get; init; } = "";
        public string OrganisationCode { get; init; } = "";
        public string PasswordHash { get; init; } = "";
        public bool IsActive { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public string CreatedBy { get; init; } = "";
        public int FailedSignIns { get; init; }
        public DateTimeOffset? LockedUntil { get; init; }
    }

    private sealed class RoleRow
    {
        public long UserId { get; init; }
        public string Role { get; init; } = "";
    }

    private const string SelectUser =
        "SELECT id AS Id, username AS Username, display_name AS DisplayName, organisation_code AS OrganisationCode, " +
        "password_hash AS PasswordHash, is_active AS IsActive, created_at AS CreatedAt, created_by AS CreatedBy, " +
        "failed_sign_ins AS FailedSignIns, locked_until AS LockedUntil FROM users";

    /// <summary>Stores a new account with its roles in one transaction and returns it with its id.</summary>
    public async Task<User> CreateAsync(
        string username, string displayName, string organisationCode, IReadOnlyList<string> roles,
        string passwordHash, DateTimeOffset createdAt, string createdBy, CancellationToken cancellationToken = default)
    {
        username = username.ToLowerInvariant();
        createdAt = Instants.ForStorage(createdAt);
        var distinctRoles = roles.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        long id;
        try
        {
            id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                database.Dialect.InsertReturningId(
                    "INSERT INTO users (username, display_name, organisation_code, password_hash, is_active, created_at, created_by) " +
                    "VALUES (@username, @displayName, @organisationCode, @passwordHash, @isActive, @createdAt, @createdBy)", "id"),
                new { username, displayName, organisationCode, passwordHash, isActive = true, createdAt, createdBy },
                transaction, cancellationToken: cancellationToken));
        }
        catch (DbException e) when (database.Dialect.IsUniqueViolation(e))
        {
            throw new DuplicateUsernameException(username);
        }

        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO user_roles (user_id, role) VALUES (@userId, @role)",
            distinctRoles.Select(role => new { userId = id, role }), transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);

        return new User(id, username, displayName, organisationCode, distinctRoles, passwordHash, true, createdAt, createdBy);
    }

    public async Task<User?> FindByUsernameAsync(string username, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(
            $"{SelectUser} WHERE username = @username", new { username = username.ToLowerInvariant() },
            cancellationToken: cancellationToken));
        return row is null ? null : (await WithRolesAsync(connection, [row], cancellationToken))[0];
    }

    public async Task<bool> ExistsAsync(string username, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM users WHERE username = @username", new { username = username.ToLowerInvariant() },
            cancellationToken: cancellationToken)) > 0;
    }

    /// <summary>
    /// Counts a wrong password in one statement (so concurrent attempts all count) and locks the account until
    /// <paramref name="lockUntil"/> when the count reaches <paramref name="threshold"/>. Returns the account as it is now.
    /// </summary>
    public async Task<User?> RecordFailedSignInAsync(
        string username, int threshold, DateTimeOffset lockUntil, CancellationToken cancellationToken = default)
    {
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE users SET failed_sign_ins = failed_sign_ins + 1, " +
                "locked_until = CASE WHEN failed_sign_ins + 1 >= @threshold THEN @lockUntil ELSE locked_until END " +
                "WHERE username = @username",
                new { username = username.ToLowerInvariant(), threshold, lockUntil = Instants.ForStorage(lockUntil) },
                cancellationToken: cancellationToken));
        }
        return await FindByUsernameAsync(username, cancellationToken);
    }

    /// <summary>A correct password clears the count of wrong ones and any expired lock.</summary>
    public async Task RecordSuccessfulSignInAsync(string username, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET failed_sign_ins = 0, locked_until = NULL WHERE username = @username AND failed_sign_ins > 0",
            new { username = username.ToLowerInvariant() }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// One page of accounts ordered by username, optionally of one organisation. Keyset paging: pass the last
    /// username of the previous page as <paramref name="after"/>, so a page costs the same however deep it is.
    /// </summary>
    public async Task<IReadOnlyList<User>> ListAsync(
        string? organisationCode, string? after, int limit, CancellationToken cancellationToken = default)
    {
        if (limit is < 1 or > 500)
            throw new ArgumentOutOfRangeException(nameof(limit), limit, "a page holds 1–500 users");
        var sql = database.Dialect.Limit(
            $"{SelectUser} WHERE (@organisationCode IS NULL OR organisation_code = @organisationCode) " +
            "AND (@after IS NULL OR username > @after) ORDER BY username", "@limit");

        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<UserRow>(new CommandDefinition(sql,
            new { organisationCode, after = after?.ToLowerInvariant(), limit }, cancellationToken: cancellationToken))).ToList();
        return await WithRolesAsync(connection, rows, cancellationToken);
    }

    private async Task<IReadOnlyList<User>> WithRolesAsync(
        DbConnection connection, IReadOnlyList<UserRow> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
            return [];
        var roles = (await connection.QueryAsync<RoleRow>(new CommandDefinition(
                $"SELECT user_id AS UserId, role AS Role FROM user_roles WHERE {database.Dialect.InList("user_id", "@ids")}",
                new { ids = rows.Select(r => r.Id).ToArray() }, cancellationToken: cancellationToken)))
            .ToLookup(r => r.UserId, r => r.Role);
        return rows.Select(r => new User(
                r.Id, r.Username, r.DisplayName, r.OrganisationCode,
                roles[r.Id].Order(StringComparer.Ordinal).ToList(), r.PasswordHash, r.IsActive, r.CreatedAt, r.CreatedBy,
                r.FailedSignIns, r.LockedUntil))
            .ToList();
    }
}
