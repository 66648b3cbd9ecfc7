using CleanProdFlow.Data.Users;
using CleanProdFlow.Domain.Access;
using CleanProdFlow.Domain.Common;
using Microsoft.AspNetCore.Identity;

namespace CleanProdFlow.Web.Admin;

/// <summary>The outcome of creating an account: the user, or why not (field errors, not allowed, name taken).</summary>
public abstract record CreateUserOutcome
{
    public sealed record Created(User User) : CreateUserOutcome;

    public sealed record Invalid(IReadOnlyList<FieldError> Errors) : CreateUserOutcome;

    public sealed record Forbidden(LocalizedText Reason) : CreateUserOutcome;

    public sealed record Duplicate(string Username) : CreateUserOutcome;
}

/// <summary>Which accounts an administrator may list: one organisation or everyone (null); or an unknown organisation, or not theirs.</summary>
public sealed record UserListScope(string? Organisation, LocalizedText? Invalid = null, bool Forbidden = false)
{
    public bool Allowed => Invalid is null && !Forbidden;
}

/// <summary>
/// Managing staff accounts, for <c>/api/v1/admin/users</c> and the users page alike: the same checks (field by field,
/// the password policy, who may manage whom) and the same store. A city's administrator manages that city's staff
/// only; the province's administrator manages everyone.
/// </summary>
public sealed class UserAdministration(UserStore users, IPasswordHasher<User> hasher, TimeProvider time, ILogger<UserAdministration> logger)
{
    public static readonly LocalizedText OwnOrganisationOnly = new("只能为本单位创建用户", "You can create users of your own organisation only");

    public Task<User?> AdministratorAsync(string username, CancellationToken cancellationToken) =>
        users.FindByUsernameAsync(username, cancellationToken);

    /// <summary>The organisation <paramref name="admin"/> may list (null: all), given the one asked for (null: the default).</summary>
    public static UserListScope ListScope(User admin, string? organisation)
    {
        if (organisation is not null && Organisation.Find(organisation) is null)
            return new(organisation, Invalid: new($"未知的单位“{organisation}”", $"unknown organisation '{organisation}'"));
        // A city administrator always sees their own city; asking for another is refused, not silently narrowed.
        var scope = organisation ?? (admin.Organisation.IsProvince ? null : admin.OrganisationCode);
        var forbidden = scope is null ? !admin.Organisation.IsProvince : !admin.MayAdministerUsersOf(scope);
        return new(scope, Forbidden: forbidden);
    }

    /// <summary>The organisations <paramref name="admin"/> may create accounts for (the form's choices).</summary>
    public static IReadOnlyList<Organisation> ManagedOrganisations(User admin) =>
        Organisation.All.Where(o => admin.MayAdministerUsersOf(o.Code)).ToList();

    public async Task<CreateUserOutcome> CreateAsync(string adminUsername, string? username, string? displayName, string? organisation,
        IReadOnlyList<string>? roles, string? password, CancellationToken cancellationToken)
    {
        var candidate = new NewUser(username?.Trim().ToLowerInvariant(), displayName?.Trim(), organisation?.Trim(), roles, password);
        var errors = candidate.Validate();
        if (errors.Count > 0)
            return new CreateUserOutcome.Invalid(errors);

        var admin = await users.FindByUsernameAsync(adminUsername, cancellationToken);
        if (admin is null || !admin.MayAdministerUsersOf(candidate.OrganisationCode!))
            return new CreateUserOutcome.Forbidden(OwnOrganisationOnly);

        try
        {
            var user = await users.CreateAsync(candidate.Username!, candidate.DisplayName!, candidate.OrganisationCode!,
                candidate.Roles!, hasher.HashPassword(null!, candidate.Password!), time.GetUtcNow(), admin.Username, cancellationToken);
            logger.LogInformation("{Admin} created user {Username} of {Organisation} with roles {Roles}",
                admin.Username, user.Username, user.OrganisationCode, user.Roles);
            return new CreateUserOutcome.Created(user);
        }
        catch (DuplicateUsernameException)
        {
            return new CreateUserOutcome.Duplicate(candidate.Username!);
        }
    }
}
