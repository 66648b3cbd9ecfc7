using System.Security.Claims;
using CleanProdFlow.Domain.Access;
using CleanProdFlow.Web.Security;

namespace CleanProdFlow.Web.Api.Enterprises;

/// <summary>
/// Who may see and change which enterprises: staff of a city bureau their city's, the province everyone's;
/// auditors read and never change. Changing needs one of the roles that record these facts.
/// </summary>
public sealed record EnterpriseAccess(string Username, string OrganisationCode, bool IsProvince, IReadOnlySet<string> Roles)
{
    /// <summary>Roles that register enterprises and import their data.</summary>
    public static readonly string[] RegisterRoles = [Domain.Access.Roles.Admin, Domain.Access.Roles.Acceptance, Domain.Access.Roles.AuditOfficer, Domain.Access.Roles.Enforcement];

    public static EnterpriseAccess Of(ClaimsPrincipal principal)
    {
        var organisation = principal.OrganisationCode();
        return new(principal.Username(), organisation, organisation == Organisation.ProvinceCode,
            principal.FindAll(UserPrincipal.RoleClaim).Select(c => c.Value).ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>Auditors read everything (DESIGN §6), as they do in the workflow API.</summary>
    public bool IsAuditor => Roles.Contains(Domain.Access.Roles.Auditor);

    public bool MaySee(string city) => IsProvince || IsAuditor || OrganisationCode == city;

    public bool HasAny(params string[] roles) => roles.Any(Roles.Contains);

    /// <summary>May change data of enterprises in <paramref name="city"/> with one of <paramref name="roles"/> (reading all is not changing all).</summary>
    public bool MayChange(string city, params string[] roles) => (IsProvince || OrganisationCode == city) && HasAny(roles);
}
