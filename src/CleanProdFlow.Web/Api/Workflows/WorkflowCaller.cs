using System.Security.Claims;
using CleanProdFlow.Domain.Access;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.Web.Security;

namespace CleanProdFlow.Web.Api.Workflows;

/// <summary>
/// Who calls the workflow API. Instances belong to an organisation: its staff, the province and auditors see them
/// (another city's instance is a 404: its existence does not leak). Any staff role may start instances and work
/// tasks; auditors (督查/审计) read everything and change nothing. Tasks are seen through <see cref="TaskActor"/>.
/// </summary>
public sealed record WorkflowCaller(string Username, string Organisation, IReadOnlyList<string> Roles)
{
    public static WorkflowCaller Of(ClaimsPrincipal principal) =>
        new(principal.Username(), principal.OrganisationCode(),
            principal.FindAll(UserPrincipal.RoleClaim).Select(c => c.Value).Distinct(StringComparer.Ordinal).ToList());

    public bool IsAuditor => Roles.Contains(Domain.Access.Roles.Auditor);

    public bool IsProvince => Organisation == Domain.Access.Organisation.ProvinceCode;

    /// <summary>Holds a role that acts (every role but auditor's): starts instances, works tasks, sends messages.</summary>
    public bool MayAct => Roles.Any(r => r != Domain.Access.Roles.Auditor && Domain.Access.Roles.IsKnown(r));

    public bool MaySeeInstanceOf(string organisation) => IsProvince || IsAuditor || Organisation == organisation;

    public TaskActor Actor => new(Username, Organisation, Roles, ReadsEverything: IsAuditor);
}
