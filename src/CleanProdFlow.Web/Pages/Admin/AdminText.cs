using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.Timing.Deadlines;

namespace CleanProdFlow.Web.Pages.Admin;

/// <summary>The administrators' pages' words for stored values (statuses, units, rounding), in the user's language.</summary>
public static class AdminText
{
    public static string Status(DefinitionStatus status) => status switch
    {
        DefinitionStatus.Draft => Ui.T("草稿", "Draft"),
        DefinitionStatus.Published => Ui.T("已发布", "Published"),
        _ => Ui.T("已停用", "Retired"),
    };

    public static string StatusBadge(DefinitionStatus status) => status switch
    {
        DefinitionStatus.Draft => "badge-amber",
        DefinitionStatus.Published => "badge-green",
        _ => "badge-neutral",
    };

    public static string Unit(PeriodUnit unit) => unit switch
    {
        PeriodUnit.WorkingDays => Ui.T("工作日", "working days"),
        PeriodUnit.NaturalDays => Ui.T("自然日", "natural days"),
        PeriodUnit.Months => Ui.T("月", "months"),
        _ => Ui.T("年", "years"),
    };

    public static string Rounding(HalfRounding rounding) => rounding == HalfRounding.Down
        ? Ui.T("向下取整", "round down")
        : Ui.T("向上取整", "round up");

    public static string YesNo(bool value) => value ? Ui.T("是", "Yes") : Ui.T("否", "No");

    /// <summary>A BPMN element type as administrators read it (the XML name stays beside it).</summary>
    public static string ElementType(string kind) => kind switch
    {
        "startEvent" => Ui.T("开始事件", "start event"),
        "endEvent" => Ui.T("结束事件", "end event"),
        "userTask" => Ui.T("用户任务", "user task"),
        "serviceTask" => Ui.T("服务任务", "service task"),
        "subProcess" => Ui.T("子流程", "sub-process"),
        "callActivity" => Ui.T("调用活动", "call activity"),
        "exclusiveGateway" => Ui.T("排他网关", "exclusive gateway"),
        "inclusiveGateway" => Ui.T("包容网关", "inclusive gateway"),
        "parallelGateway" => Ui.T("并行网关", "parallel gateway"),
        "intermediateCatchEvent" => Ui.T("中间捕获事件", "intermediate catch event"),
        "boundaryEvent" => Ui.T("边界事件", "boundary event"),
        _ => kind,
    };
}
