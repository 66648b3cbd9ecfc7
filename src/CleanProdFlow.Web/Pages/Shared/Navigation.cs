using System.Security.Claims;
using CleanProdFlow.Domain.Access;
using CleanProdFlow.Web.Api.Workflows;

namespace CleanProdFlow.Web.Pages.Shared;

/// <summary>One entry of the main navigation: where, its words, who sees it (the page itself still authorises).</summary>
public sealed record NavEntry(string Href, string Zh, string En, Func<ClaimsPrincipal, bool> IsFor)
{
    /// <summary>The entry of the current page or of a page below it.</summary>
    public bool IsCurrent(PathString path) => Href == "/" ? path == "/" : path.StartsWithSegments(Href, StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// The main navigation by role, in one place: a new page area adds its line here (e.g. definitions for
/// administrators, the compliance dashboard for auditors). Visibility is a convenience; every page authorises itself.
/// </summary>
public static class Navigation
{
    public static bool IsStaff(ClaimsPrincipal user) => WorkflowCaller.Of(user).MayAct;

    public static bool Has(ClaimsPrincipal user, string role) => user.IsInRole(role);

    public static IReadOnlyList<NavEntry> Entries { get; } =
    [
        new("/", "首页", "Home", _ => true),
        new("/inbox", "我的待办", "My tasks", IsStaff),
        new("/compliance", "时限合规", "Timing compliance", user => CleanProdFlow.Web.Compliance.ComplianceAccess.MayReadDashboard(WorkflowCaller.Of(user))),
        new("/register", "企业登记簿", "Enterprise register", user => user.HasClaim(c => c.Type == CleanProdFlow.Web.Security.UserPrincipal.RoleClaim)),
        new("/reception", "环保接待日", "Reception day", user => user.HasClaim(c => c.Type == CleanProdFlow.Web.Security.UserPrincipal.RoleClaim)),
        new("/programmes", "年度专项", "Yearly programmes", user => user.HasClaim(c => c.Type == CleanProdFlow.Web.Security.UserPrincipal.RoleClaim)),
        new("/quota", "总量指标", "Emission quota", user => user.HasClaim(c => c.Type == CleanProdFlow.Web.Security.UserPrincipal.RoleClaim)),
        new("/admin", "系统管理", "Administration", user => Has(user, Roles.Admin)),
        new("/public/advanced-enterprises", "先进企业名单", "Advanced enterprises", _ => true),
    ];

    public static IEnumerable<NavEntry> For(ClaimsPrincipal user) => Entries.Where(e => e.IsFor(user));
}
