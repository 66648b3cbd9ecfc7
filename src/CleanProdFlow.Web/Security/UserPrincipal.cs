using System.Security.Claims;
using CleanProdFlow.Domain.Access;

namespace CleanProdFlow.Web.Security;

/// <summary>The claims a signed-in user carries, the same for page cookies and API tokens.</summary>
public static class UserPrincipal
{
    public const string UsernameClaim = "sub";
    public const string DisplayNameClaim = "name";
    public const string OrganisationClaim = "org";
    public const string RoleClaim = "role";

    public static ClaimsIdentity IdentityOf(User user, string authenticationType)
    {
        var claims = new List<Claim>
        {
            new(UsernameClaim, user.Username),
            new(DisplayNameClaim, user.DisplayName),
            new(OrganisationClaim, user.OrganisationCode),
        };
        claims.AddRange(user.Roles.Select(role => new Claim(RoleClaim, role)));
        return new ClaimsIdentity(claims, authenticationType, UsernameClaim, RoleClaim);
    }

    public static string Username(this ClaimsPrincipal principal) =>
        principal.FindFirstValue(UsernameClaim) ?? throw new InvalidOperationException("the principal has no username");

    public static string OrganisationCode(this ClaimsPrincipal principal) =>
        principal.FindFirstValue(OrganisationClaim) ?? throw new InvalidOperationException("the principal has no organisation");
}
