namespace CleanProdFlow.Domain.Access;

/// <summary>The roles of the programme's staff (DESIGN §6). A user may hold several.</summary>
public static class Roles
{
    public const string Acceptance = "acceptance";
    public const string Publicity = "publicity";
    public const string Assessment = "assessment";
    public const string Review = "review";
    public const string Approver = "approver";
    public const string AuditOfficer = "audit-officer";
    public const string QuotaOfficer = "quota-officer";
    public const string Enforcement = "enforcement";
    public const string Admin = "admin";
    /// <summary>督查/审计: reads everything, changes nothing.</summary>
    public const string Auditor = "auditor";

    public static IReadOnlyList<string> All { get; } =
        [Acceptance, Publicity, Assessment, Review, Approver, AuditOfficer, QuotaOfficer, Enforcement, Admin, Auditor];

    public static bool IsKnown(string? role) => role is not null && All.Contains(role, StringComparer.Ordinal);
}
