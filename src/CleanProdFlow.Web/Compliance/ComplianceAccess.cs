using CleanProdFlow.Domain.Access;
using CleanProdFlow.Web.Api.Workflows;

namespace CleanProdFlow.Web.Compliance;

/// <summary>
/// Who reads timing compliance (时限合规) and how far. Auditors (督查/审计) read every city; administrators and
/// approvers read too — the province's (who supervise the cities and receive their escalations) every city, a city
/// bureau's their own city only (the approver is the bureau head who answers its escalations). Other staff work the
/// cases and see each case's timing on the case page and its evidence page instead.
/// </summary>
public static class ComplianceAccess
{
    public static readonly string[] ReaderRoles = [Roles.Auditor, Roles.Admin, Roles.Approver];

    public static bool MayReadDashboard(WorkflowCaller caller) => caller.Roles.Any(ReaderRoles.Contains);

    /// <summary>The organisation the caller's figures are limited to; null for every organisation.</summary>
    public static string? ScopeOf(WorkflowCaller caller) => caller.IsProvince || caller.IsAuditor ? null : caller.Organisation;

    /// <summary>The evidence of one case: whoever may see the case (its organisation, the province, auditors).</summary>
    public static bool MayReadEvidence(WorkflowCaller caller, string organisation) => caller.MaySeeInstanceOf(organisation);
}
