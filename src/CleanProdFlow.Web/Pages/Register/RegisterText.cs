using CleanProdFlow.Domain.Eligibility;
using CleanProdFlow.Domain.Enterprises;
using CleanProdFlow.Domain.Register;

namespace CleanProdFlow.Web.Pages.Register;

/// <summary>The register pages' words for stored values, in the user's language.</summary>
public static class RegisterText
{
    public static string RuleName(string id) => id switch
    {
        EligibilityDecision.AuditLevelRule => Ui.T("清洁生产审核等级为Ⅰ级或Ⅱ级", "Clean-production audit rated Ⅰ or Ⅱ"),
        EligibilityDecision.NoPenaltyRule => Ui.T("近三年内无生态环境行政处罚", "No eco-environmental penalty in three years"),
        _ => id,
    };

    public static string Level(AuditLevel level) => level switch { AuditLevel.I => "Ⅰ", AuditLevel.II => "Ⅱ", _ => "Ⅲ" };

    public static string List(string code) => IncentiveList.Find(code) is { } list ? Ui.T(list.NameZh, list.NameEn) : code;

    public static string EntryStatus(string status) => status switch
    {
        "active" => Ui.T("有效", "Active"),
        "revoked" => Ui.T("已撤销", "Revoked"),
        _ => status,
    };

    public static string YesNo(bool value) => value ? Ui.T("是", "Yes") : Ui.T("否", "No");
}
