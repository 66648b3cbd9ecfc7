namespace CleanProdFlow.Domain.Access;

/// <summary>A member of staff who signs in. The password is only ever held as a one-way hash.</summary>
public sealed record User(
    long Id,
    string Username,
    string DisplayName,
    string OrganisationCode,
    IReadOnlyList<string> Roles,
    string PasswordHash,
    bool IsActive,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    int FailedSignIns = 0,
    DateTimeOffset? LockedUntil = null)
{
    /// <summary>Locked after too many wrong passwords, until <see cref="LockedUntil"/>.</summary>
    public bool IsLockedAt(DateTimeOffset now) => LockedUntil is { } until && until > now;

    public bool HasRole(string role) => Roles.Contains(role, StringComparer.Ordinal);

    public Organisation Organisation =>
        Organisation.Find(OrganisationCode)
        ?? throw new InvalidOperationException($"User {Username} belongs to unknown organisation '{OrganisationCode}'.");

    /// <summary>
    /// Whether this user may manage the accounts of <paramref name="organisationCode"/>: a city's administrator
    /// manages that city's staff, the province's administrator manages everyone.
    /// </summary>
    public bool MayAdministerUsersOf(string organisationCode) =>
        HasRole(Access.Roles.Admin) && (Organisation.IsProvince || OrganisationCode == organisationCode);
}
