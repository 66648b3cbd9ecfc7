using System.Globalization;
using CleanProdFlow.Domain.Access;
using CleanProdFlow.Domain.Common;
using CleanProdFlow.Timing;

namespace CleanProdFlow.Web.Pages;

/// <summary>
/// Text of the pages in the user's language: Chinese first, English when the user chose it (the culture cookie set
/// by /culture/{culture}). Every page writes its words as <c>Ui.T("中文", "English")</c>; dates are Beijing time.
/// </summary>
public static class Ui
{
    public static bool IsEnglish => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";

    public static string T(string zh, string en) => IsEnglish ? en : zh;

    public static string T(LocalizedText text) => T(text.Zh, text.En);

    public static string Lang => IsEnglish ? "en" : "zh-CN";

    /// <summary>A day as yyyy-MM-dd in Beijing time, the zone the law counts in.</summary>
    public static string Date(DateTimeOffset? instant) => instant is { } i ? BeijingTime.Format(BeijingTime.DateOf(i)) : "";

    public static string Date(DateOnly? day) => day is { } d ? BeijingTime.Format(d) : "";

    /// <summary>yyyy-MM-dd HH:mm in Beijing time.</summary>
    public static string DateTime(DateTimeOffset? instant) => instant is { } i ? BeijingTime.Format(i) : "";

    /// <summary>
    /// A due instant as the law says it: a period ends at 24:00 of its last day, so 00:00 reads as "the day before,
    /// 24:00" (2026-11-09 24:00, not 2026-11-10 00:00).
    /// </summary>
    public static string DueDateTime(DateTimeOffset? instant)
    {
        if (instant is not { } i)
            return "";
        var beijing = i.ToBeijing();
        return beijing.TimeOfDay == TimeSpan.Zero
            ? $"{BeijingTime.Format(BeijingTime.DateOf(i).AddDays(-1))} 24:00"
            : BeijingTime.Format(i);
    }

    /// <summary>A step without a name in its definition, called by its kind.</summary>
    public static string ElementKind(string kind) => kind switch
    {
        "startEvent" => T("开始", "Start"),
        "endEvent" => T("结束", "End"),
        "parallelGateway" => T("并行网关", "Parallel gateway"),
        "exclusiveGateway" => T("排他网关", "Exclusive gateway"),
        "inclusiveGateway" => T("包容网关", "Inclusive gateway"),
        "userTask" => T("人工任务", "User task"),
        "serviceTask" => T("自动处理", "Service task"),
        "intermediateCatchEvent" => T("中间事件", "Intermediate event"),
        "boundaryEvent" => T("边界事件", "Boundary event"),
        "subProcess" => T("子流程", "Sub-process"),
        "callActivity" => T("调用流程", "Call activity"),
        _ => kind,
    };

    /// <summary>The machine-readable form for a &lt;time datetime&gt; attribute.</summary>
    public static string Iso(DateTimeOffset instant) => instant.ToBeijing().ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture);

    public static string OrganisationName(string? code) =>
        Organisation.Find(code) is { } organisation ? T(organisation.NameZh, organisation.NameEn) : code ?? "";

    public static string RoleName(string role) => role switch
    {
        Roles.Acceptance => T("受理", "Acceptance"),
        Roles.Publicity => T("公示", "Publicity"),
        Roles.Assessment => T("技术评估", "Technical assessment"),
        Roles.Review => T("审查", "Review"),
        Roles.Approver => T("审批", "Approval"),
        Roles.AuditOfficer => T("清洁生产审核", "Audit officer"),
        Roles.QuotaOfficer => T("总量", "Emission quota"),
        Roles.Enforcement => T("执法", "Enforcement"),
        Roles.Admin => T("系统管理", "Administration"),
        Roles.Auditor => T("督查/审计", "Auditor"),
        _ => role,
    };

    public static string RoleNames(IEnumerable<string> roles) => string.Join(T("、", ", "), roles.Select(RoleName));

    /// <summary>
    /// A word of a BPMN definition (an outcome like <c>approve</c>, an enum option like <c>policy</c>) in the user's
    /// language when it is a common one; otherwise as the definition wrote it.
    /// </summary>
    public static string Word(string word) => word switch
    {
        "approve" => T("批准", "Approve"),
        "reject" => T("驳回", "Reject"),
        "accept" => T("受理", "Accept"),
        "refer" => T("转交", "Refer"),
        "return" => T("退回", "Return"),
        "correct" or "correction" => T("补正", "Correction"),
        "pass" => T("通过", "Pass"),
        "fail" => T("不通过", "Fail"),
        "agree" => T("同意", "Agree"),
        "disagree" => T("不同意", "Disagree"),
        "complete" or "done" => T("办结", "Done"),
        "escalate" => T("上报", "Escalate"),
        "balanced" => T("已平衡", "Balanced"),
        "report" => T("报告书", "Report"),
        "form" => T("报告表", "Form"),
        "policy" => T("政策咨询", "Policy"),
        "technology" => T("技术", "Technology"),
        "permit" => T("许可", "Permit"),
        "funding" => T("资金", "Funding"),
        "other" => T("其他", "Other"),
        _ => word,
    };

    public static string TaskStatusName(string status) => status switch
    {
        "open" => T("办理中", "Open"),
        "completed" => T("已办结", "Completed"),
        "cancelled" => T("已取消", "Cancelled"),
        _ => status,
    };

    public static string InstanceStatusName(string status) => status switch
    {
        "running" => T("办理中", "Running"),
        "completed" => T("已办结", "Completed"),
        "terminated" => T("已终止", "Terminated"),
        _ => status,
    };

    public static string ClockStateName(string state) => state switch
    {
        "running" => T("计时中", "Running"),
        "paused" => T("已暂停", "Paused"),
        "stopped" => T("已停止", "Stopped"),
        "cancelled" => T("已撤销", "Cancelled"),
        _ => state,
    };

    /// <summary>What a journal entry records, in words.</summary>
    public static string JournalKind(string kind) => kind switch
    {
        "instance.started" => T("案件启动", "Case started"),
        "instance.completed" => T("案件办结", "Case completed"),
        "instance.terminated" => T("案件终止", "Case terminated"),
        "instance.migrated" => T("迁移到新版本", "Moved to a new version"),
        "element.entered" => T("进入环节", "Step entered"),
        "element.left" => T("完成环节", "Step done"),
        "element.cancelled" => T("环节取消", "Step cancelled"),
        "task.created" => T("生成任务", "Task created"),
        "task.claimed" => T("认领任务", "Task claimed"),
        "task.unclaimed" => T("退回任务", "Task given back"),
        "task.completed" => T("办结任务", "Task completed"),
        "task.cancelled" => T("任务取消", "Task cancelled"),
        "task.due-changed" => T("办理期限变更", "Due date moved"),
        "timer.armed" => T("设置定时", "Timer set"),
        "timer.waiting" => T("定时等待计时恢复", "Timer waits for its clock"),
        "timer.fired" => T("定时触发", "Timer fired"),
        "timer.cancelled" => T("定时取消", "Timer cancelled"),
        "timer.rescheduled" => T("定时随计时调整", "Timer moved with its clock"),
        "message.waiting" => T("等待消息", "Waiting for a message"),
        "message.correlated" => T("收到消息", "Message received"),
        "message.unsubscribed" => T("不再等待消息", "No longer waiting for a message"),
        "gateway.joined" => T("并行汇合", "Branches joined"),
        "handler.succeeded" => T("自动处理完成", "Automatic step done"),
        "incident.raised" => T("发生故障", "Incident raised"),
        "incident.retried" => T("故障重试", "Incident retried"),
        "incident.resolved" => T("故障已解决", "Incident resolved"),
        "call.started" => T("启动子流程", "Sub-case started"),
        "call.returned" => T("子流程返回", "Sub-case returned"),
        "activity.interrupted" => T("环节被中断", "Step interrupted"),
        "variables.changed" => T("案件信息更新", "Case data changed"),
        _ => kind,
    };
}
