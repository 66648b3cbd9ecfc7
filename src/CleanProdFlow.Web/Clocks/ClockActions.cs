using System.Data.Common;
using CleanProdFlow.Data.Timing;
using CleanProdFlow.Domain.Documents;
using CleanProdFlow.Web.Documents;
using CleanProdFlow.Domain.Access;
using CleanProdFlow.Domain.Common;
using CleanProdFlow.Engine.Execution;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.Timing.Clocks;
using CleanProdFlow.Web.Api.Clocks;
using CleanProdFlow.Web.Api.Workflows;
using CleanProdFlow.Web.Timing;
using CleanProdFlow.Web.Workflows;
using Serilog.Context;

namespace CleanProdFlow.Web.Clocks;

/// <summary>Why a staff action on a clock was refused (nothing changed): the status, what to tell the user, refused fields.</summary>
public sealed record ClockActionRefusal(int Status, LocalizedText Title, LocalizedText? Detail = null, IReadOnlyList<FieldError>? Fields = null)
{
    public IReadOnlyList<FieldError> Errors => Fields ?? [];
}

/// <summary>
/// The outcome of a staff action on a clock: the changed clock, or a refusal — checked here
/// (<see cref="Refused"/>) or by the engine's command (<see cref="EngineRefused"/>, e.g. a pause of a paused clock).
/// </summary>
public sealed record ClockActionResult(ClockEndpoints.ClockView? Clock, ClockActionRefusal? Refused = null, EngineRefusal? EngineRefused = null);

/// <summary>
/// The staff actions on a statutory clock the law allows — pause and resume with reason and legal basis
/// (行政许可法 art. 45), extension approved by an approver (art. 42) — for the API and the case page alike, so the
/// checks exist once. Each action runs as one engine command: the clock is written in the command's transaction and
/// the timers and task due dates bound to it move with it, journaled.
/// </summary>
public sealed class ClockActions(WorkflowRuntime runtime, IWorkflowStore store, ClockStore clocks, StatutoryTime statutory, DocumentIssuer documents,
    TimeProvider time)
{
    public static readonly LocalizedText ApproverOnly = new("只有审批人可以批准延长期限", "Only an approver may extend a time limit");

    public Task<ClockActionResult> PauseAsync(Guid instanceId, string name, string? reason, string? legalBasis, WorkflowCaller caller,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(reason))
            return Task.FromResult(Invalid(new FieldError("reason", new("暂停须说明理由（如：专家评审、听证、申请人补正材料）",
                "a pause needs its reason (e.g. expert review, hearing, the applicant correcting materials)"))));
        var why = reason.Trim();
        var basis = string.IsNullOrWhiteSpace(legalBasis) ? null : legalBasis.Trim();
        return ChangeAsync(instanceId, name, caller, approverOnly: false,
            basis is null ? $"暂停计时 / paused: {why}" : $"暂停计时 / paused: {why}（{basis}）",
            (clock, now) => clock.Pause(now, why, basis, statutory.Calendar), cancellationToken);
    }

    public Task<ClockActionResult> ResumeAsync(Guid instanceId, string name, WorkflowCaller caller, CancellationToken cancellationToken) =>
        ChangeAsync(instanceId, name, caller, approverOnly: false, "恢复计时 / resumed", (clock, now) => clock.Resume(now, statutory.Calendar), cancellationToken);

    public Task<ClockActionResult> ExtendAsync(Guid instanceId, string name, int? days, string? reason, WorkflowCaller caller,
        CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        if (days is not > 0)
            errors.Add(new("days", new("延长天数须为正整数（工作日）", "days must be a positive number of working days")));
        if (string.IsNullOrWhiteSpace(reason))
            errors.Add(new("reason", new("延长须说明理由", "an extension needs its reason")));
        if (errors.Count > 0)
            return Task.FromResult(Invalid([.. errors]));
        var why = reason!.Trim();
        return ChangeAsync(instanceId, name, caller, approverOnly: true,
            $"延长 {days} 个工作日（批准人 {caller.Username}）/ extended by {days} working days, approved by {caller.Username}: {why}",
            (clock, now) => clock.Extend(now, days!.Value, caller.Username, why, statutory.Calendar), cancellationToken,
            (transaction, clock, instance, now) => ExtensionNoticeAsync(transaction, clock, instance, days!.Value, why, caller, now, cancellationToken));
    }

    /// <summary>
    /// The extension notice (延长审批期限通知书, 行政许可法 art. 42) of an EIA case, issued in the extension's transaction:
    /// the extension and its notice commit together. Cases of other workflows (no case number and project) have none.
    /// </summary>
    private async Task ExtensionNoticeAsync(DbTransaction transaction, Clock clock, StoredInstance instance, int days, string reason, WorkflowCaller caller,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var variables = instance.State.Variables;
        if (Text(variables["caseNumber"]) is not { } caseNumber || Text(variables["projectName"]) is not { } projectName || clock.DueDate is not { } due)
            return;
        await documents.IssueAsync(transaction, new DocumentRequest(DocumentKind.ExtensionNotice, instance.State.Organisation, instance.State.Organisation,
            instance.State.Id, instance.State.BusinessKey, Text(variables["creditCode"]), caller.Username, new Dictionary<string, string>
            {
                ["caseNumber"] = caseNumber,
                ["projectName"] = projectName,
                ["enterpriseName"] = Text(variables["enterpriseName"]) ?? "",
                ["creditCode"] = Text(variables["creditCode"]) ?? "",
                ["extensionDays"] = days.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["extensionReason"] = reason,
                ["newDueDate"] = DocumentTemplate.ChineseDate(due),
            }), now, cancellationToken);
    }

    private static string? Text(System.Text.Json.Nodes.JsonNode? node) =>
        node is System.Text.Json.Nodes.JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String ? v.GetValue<string>() : null;

    /// <summary>May the caller pause and resume the clocks of a case they can see (auditors only read).</summary>
    public static bool MayPauseOrResume(WorkflowCaller caller) => caller.MayAct;

    /// <summary>May the caller approve an extension (行政许可法 art. 42: the head of the authority, here the approver role).</summary>
    public static bool MayExtend(WorkflowCaller caller) => caller.MayAct && caller.Roles.Contains(Roles.Approver);

    private static ClockActionResult Invalid(params FieldError[] errors) =>
        new(null, new ClockActionRefusal(StatusCodes.Status400BadRequest, new("输入有误", "The input is not valid"), null, errors));

    private static ClockActionResult NoInstance(Guid id) => new(null, new ClockActionRefusal(StatusCodes.Status404NotFound,
        new("找不到该流程实例", "No such instance"), new($"没有标识为 {id} 的流程实例（或不属于本单位）", $"No instance {id} (or not of your organisation)")));

    private static ClockActionResult NoClock(string name) => new(null, new ClockActionRefusal(StatusCodes.Status404NotFound,
        new("找不到该计时", "No such clock"), new($"该实例没有名为“{name}”的计时", $"The instance has no clock '{name}'")));

    /// <summary>One staff action on a clock: checked, applied in the engine's transaction, bound timers moved, journaled.</summary>
    private async Task<ClockActionResult> ChangeAsync(Guid id, string name, WorkflowCaller caller, bool approverOnly, string reason,
        Func<Clock, DateTimeOffset, ClockResult> change, CancellationToken cancellationToken,
        Func<DbTransaction, Clock, StoredInstance, DateTimeOffset, Task>? alsoInTransaction = null)
    {
        using var _ = LogContext.PushProperty("InstanceId", id);
        if (await store.FindInstanceAsync(id, cancellationToken) is not { } instance || !caller.MaySeeInstanceOf(instance.State.Organisation))
            return NoInstance(id);
        if (!caller.MayAct)
            return new(null, new ClockActionRefusal(StatusCodes.Status403Forbidden, new("无权执行此操作", "You may not do this"),
                EngineProblems.AuditorsChangeNothing));
        if (approverOnly && !MayExtend(caller))
            return new(null, new ClockActionRefusal(StatusCodes.Status403Forbidden, ApproverOnly,
                new("《中华人民共和国行政许可法》第四十二条：经本行政机关负责人批准，可以延长",
                    "Administrative Licensing Law art. 42: extended with the approval of the head of the authority")));
        var subject = WorkflowRuntime.ClockSubject(id, name);
        if (await clocks.FindAsync(subject, cancellationToken) is null)
            return NoClock(name);

        Clock? changed = null;
        try
        {
            await runtime.ChangeClockAsync(id, name, caller.Username, reason, async transaction =>
            {
                var stored = await clocks.FindAsync(subject, cancellationToken, transaction)
                    ?? throw new EngineRefusal(RefusalKind.NotFound, $"the instance has no clock '{name}'", $"该实例没有名为“{name}”的计时");
                var result = change(stored.Clock, time.GetUtcNow());
                if (!result.Accepted)
                    throw Refusal(result.Refusal!);
                if (!await clocks.ReplaceAsync(stored, result.Clock!, time.GetUtcNow(), null, cancellationToken, transaction))
                    throw new EngineRefusal(RefusalKind.Conflict, "the clock was changed by someone else just now", "该计时刚被他人修改，请重试");
                changed = result.Clock!;
                if (alsoInTransaction is not null)
                    await alsoInTransaction(transaction, changed, instance, time.GetUtcNow());
                return StatutoryDueDates.TimesOf(changed, statutory.Calendar);
            }, cancellationToken);
        }
        catch (EngineRefusal refusal)
        {
            return new(null, EngineRefused: refusal);
        }
        return new(ClockEndpoints.ViewOf(name, changed!, time.GetUtcNow(), statutory));
    }

    /// <summary>A refused clock event: a missing or wrong value is 400 on its field; the clock's state forbidding it is 409.</summary>
    private static EngineRefusal Refusal(ClockRefusal refusal) => refusal.Reason is ClockRefusalReason.MissingField or ClockRefusalReason.InvalidDays
        ? new EngineRefusal(RefusalKind.Invalid, refusal.MessageEn, refusal.MessageZh, [new RefusalProblem(refusal.Field, refusal.MessageEn, refusal.MessageZh)])
        : new EngineRefusal(RefusalKind.Conflict, refusal.MessageEn, refusal.MessageZh);
}
