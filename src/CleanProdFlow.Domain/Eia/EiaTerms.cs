using CleanProdFlow.Domain.Common;

namespace CleanProdFlow.Domain.Eia;

/// <summary>The words of an EIA application (环评审批申请) as the API spells them, with their names for people.</summary>
public static class EiaTerms
{
    /// <summary>Project kinds measure 8 names: 新建、改建、扩建.</summary>
    public static readonly IReadOnlyDictionary<string, LocalizedText> Kinds = new Dictionary<string, LocalizedText>(StringComparer.Ordinal)
    {
        ["new"] = new("新建", "new"),
        ["rebuild"] = new("改建", "rebuild"),
        ["expand"] = new("扩建", "expand"),
    };

    /// <summary>
    /// Documents that need an approval decision: 报告书 (report, 60 days) and 报告表 (form, 30 days). The 登记表 is a
    /// filing (备案) since the 2018 EIA Law, not an approval, so it is not accepted here.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, LocalizedText> DocumentTypes = new Dictionary<string, LocalizedText>(StringComparer.Ordinal)
    {
        ["report"] = new("环境影响报告书", "EIA report"),
        ["form"] = new("环境影响报告表", "EIA form"),
    };

    public const string Report = "report";
    public const string Form = "form";

    /// <summary>The decision clock's rule per document type (workflows/time-limits.json rows E5 and E6).</summary>
    public static string DecisionRule(string documentType) => documentType == Report ? "eia.decision.report" : "eia.decision.form";

    /// <summary>The name of the decision clock on every EIA instance (acceptance → decision).</summary>
    public const string DecisionClock = "eia.decision";
}

/// <summary>
/// Where a case stands, as its workflow records it (service task <c>eia.application.status</c>): received (收件),
/// accepted (受理), correcting (补正中), not-accepted (不予受理), approved (准予批准), rejected (不予批准).
/// </summary>
public static class EiaStatus
{
    public const string Received = "received";
    public const string Accepted = "accepted";
    public const string Correcting = "correcting";
    public const string NotAccepted = "not-accepted";
    public const string Approved = "approved";
    public const string Rejected = "rejected";

    public static readonly IReadOnlyDictionary<string, LocalizedText> Names = new Dictionary<string, LocalizedText>(StringComparer.Ordinal)
    {
        [Received] = new("已收件，待受理审查", "received, awaiting the acceptance check"),
        [Accepted] = new("已受理，审批办理中", "accepted, in progress"),
        [Correcting] = new("待申请人补正材料（计时暂停）", "waiting for the applicant's corrected materials (clock paused)"),
        [NotAccepted] = new("不予受理", "not accepted"),
        [Approved] = new("准予批准", "approved"),
        [Rejected] = new("不予批准", "rejected"),
    };

    public static bool IsKnown(string? status) => status is not null && Names.ContainsKey(status);
}
