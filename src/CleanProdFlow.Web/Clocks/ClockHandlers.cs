using System.Text.Json.Nodes;
using CleanProdFlow.Data.Timing;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.Timing.Clocks;
using CleanProdFlow.Web.Timing;
using CleanProdFlow.Web.Workflows;

namespace CleanProdFlow.Web.Clocks;

/// <summary>
/// Service-task handlers that drive an instance's statutory clocks from its BPMN (DESIGN §4): start, pause with its
/// legal basis, resume, stop, leave the fast track, record a breach. Each names its clock with
/// <c>&lt;cpf:input name="clock" value="…"/&gt;</c>, writes in the step's transaction, and reports the clock's new
/// instants so the timers and task due dates bound to it move in the same step. A refused clock event (e.g. pausing
/// a paused clock) fails the task with an incident that names the reason.
/// </summary>
public abstract class ClockHandler(StatutoryTime statutory, ClockStore clocks) : IServiceTaskHandler
{
    public abstract string Name { get; }

    protected StatutoryTime Statutory => statutory;

    public async Task<JsonObject?> ExecuteAsync(ServiceTaskContext context, CancellationToken cancellationToken)
    {
        var clockName = context.Input("clock");
        var subject = WorkflowRuntime.ClockSubject(context.InstanceId, clockName);
        var stored = await clocks.FindAsync(subject, cancellationToken, context.Transaction);
        var (clock, reason, output) = await ChangeAsync(context, clockName, stored, cancellationToken);
        if (clock is null)
            return output;
        if (stored is null)
            await clocks.CreateAsync(subject, clock, context.Now, cancellationToken, context.Transaction);
        else if (!await clocks.ReplaceAsync(stored, clock, context.Now, null, cancellationToken, context.Transaction))
            throw new InvalidOperationException($"clock '{clockName}' was changed by someone else; retry the step");
        context.ReportClockMoved(clockName, StatutoryDueDates.TimesOf(clock, statutory.Calendar), reason);
        return output;
    }



    /// <summary>The clock after this handler's event (null: nothing to change), the reason to journal, variables to set.</summary>
    protected abstract Task<ClockChange> ChangeAsync(ServiceTaskContext context, string clockName, StoredClock? stored,
        CancellationToken cancellationToken);

    protected static Clock Accepted(ClockResult result, string clockName) =>
        result.Accepted ? result.Clock! : throw new InvalidOperationException($"clock '{clockName}': {result.Refusal!.MessageEn} / {result.Refusal.MessageZh}");

    protected static StoredClock Existing(StoredClock? stored, string clockName) =>
        stored ?? throw new InvalidOperationException($"clock '{clockName}' has not been started (add a clock.start step before this one)");

    protected static string? Optional(ServiceTaskContext context, string name) =>
        context.Inputs.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;
}

/// <summary><c>clock.start</c>: inputs <c>clock</c>, <c>rule</c>; halved when the instance's variable <c>fastTrack</c> is true and the rule allows.</summary>
public sealed class ClockStartHandler(StatutoryTime statutory, ClockStore clocks) : ClockHandler(statutory, clocks)
{
    public override string Name => "clock.start";

    protected override Task<ClockChange> ChangeAsync(ServiceTaskContext context, string clockName, StoredClock? stored,
        CancellationToken cancellationToken)
    {
        // A step run again (a rework loop) does not restart a clock that is already counting.
        if (stored is { Clock.IsFinished: false })
            return Task.FromResult(new ClockChange(null, ""));
        var ruleId = context.Input("rule");
        if (!Statutory.Rules.TryGet(ruleId, out var rule))
            throw new InvalidOperationException($"clock '{clockName}': no time-limit rule '{ruleId}'");
        var fastTrack = context.Variables[WorkflowRuntime.FastTrackVariable] is JsonValue value && value.GetValueKind() == System.Text.Json.JsonValueKind.True;
        var clock = Accepted(Clock.Start(rule.ToTimeLimit(), fastTrack, StartInstant(context, clockName), Statutory.Calendar), clockName);
        return Task.FromResult(new ClockChange(clock, clock.IsFastTrackInForce && rule.Halvable
            ? $"开始计时（{rule.NameZh}，绿色通道时限减半）/ started ({rule.Id}, halved on the fast track)"
            : $"开始计时（{rule.NameZh}）/ started ({rule.Id})"));
    }

    /// <summary>
    /// When the period starts: now, or the instant in the variable named by the optional input <c>startAt</c> (e.g. the
    /// receipt of an application recorded later that day), which may not lie in the future.
    /// </summary>
    private static DateTimeOffset StartInstant(ServiceTaskContext context, string clockName)
    {
        if (Optional(context, "startAt") is not { } variable)
            return context.Now;
        if (context.Variables[variable] is not JsonValue value || value.GetValueKind() != System.Text.Json.JsonValueKind.String
            || !DateTimeOffset.TryParse(value.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.None, out var at))
            throw new InvalidOperationException($"clock '{clockName}': the variable '{variable}' named by startAt holds no instant");
        // A receipt stamped a few minutes ahead of the server (a fast counter clock) starts now.
        if (at > context.Now + TimeSpan.FromMinutes(5))
            throw new InvalidOperationException($"clock '{clockName}': it cannot start in the future ({at:O})");
        return at > context.Now ? context.Now : at;
    }
}

/// <summary><c>clock.pause</c>: inputs <c>clock</c>, <c>reason</c>, optional <c>legalBasis</c> (e.g. 《中华人民共和国行政许可法》第四十五条).</summary>
public sealed class ClockPauseHandler(StatutoryTime statutory, ClockStore clocks) : ClockHandler(statutory, clocks)
{
    public override string Name => "clock.pause";

    protected override Task<ClockChange> ChangeAsync(ServiceTaskContext context, string clockName, StoredClock? stored,
        CancellationToken cancellationToken)
    {
        var reason = context.Input("reason");
        var legalBasis = Optional(context, "legalBasis");
        // Already paused by staff (e.g. for a hearing) when the workflow reaches its own pause: the time is not
        // counted either way, so the step goes on instead of stopping the case with an incident.
        if (Existing(stored, clockName).Clock.State == ClockState.Paused)
            return Task.FromResult(new ClockChange(null, ""));
        var clock = Accepted(Existing(stored, clockName).Clock.Pause(context.Now, reason, legalBasis, Statutory.Calendar), clockName);
        return Task.FromResult(new ClockChange(clock, legalBasis is null ? $"暂停计时 / paused: {reason}" : $"暂停计时 / paused: {reason}（{legalBasis}）"));
    }
}

/// <summary><c>clock.resume</c>: input <c>clock</c>.</summary>
public sealed class ClockResumeHandler(StatutoryTime statutory, ClockStore clocks) : ClockHandler(statutory, clocks)
{
    public override string Name => "clock.resume";

    protected override Task<ClockChange> ChangeAsync(ServiceTaskContext context, string clockName, StoredClock? stored,
        CancellationToken cancellationToken) =>
        // Running already (staff resumed it earlier): nothing to resume.
        Existing(stored, clockName).Clock.State == ClockState.Running
            ? Task.FromResult(new ClockChange(null, ""))
            : Task.FromResult(new ClockChange(Accepted(Existing(stored, clockName).Clock.Resume(context.Now, Statutory.Calendar), clockName), "恢复计时 / resumed"));
}

/// <summary><c>clock.stop</c>: input <c>clock</c>; the step it times is done (the due date stays for the record).</summary>
public sealed class ClockStopHandler(StatutoryTime statutory, ClockStore clocks) : ClockHandler(statutory, clocks)
{
    public override string Name => "clock.stop";

    protected override Task<ClockChange> ChangeAsync(ServiceTaskContext context, string clockName, StoredClock? stored,
        CancellationToken cancellationToken) =>
        Task.FromResult(new ClockChange(Accepted(Existing(stored, clockName).Clock.Stop(context.Now, Statutory.Calendar), clockName), "停止计时 / stopped"));
}

/// <summary>
/// <c>clock.end-fast-track</c>: input <c>clock</c>, reason from input <c>reason</c> or the variable
/// <c>revocationReference</c>: the full limit applies from now on (used working days stay used).
/// </summary>
public sealed class ClockEndFastTrackHandler(StatutoryTime statutory, ClockStore clocks) : ClockHandler(statutory, clocks)
{
    public override string Name => "clock.end-fast-track";

    protected override Task<ClockChange> ChangeAsync(ServiceTaskContext context, string clockName, StoredClock? stored,
        CancellationToken cancellationToken)
    {
        var existing = Existing(stored, clockName).Clock;
        // Already on the full limit (standard track, or revoked before): nothing to change.
        if (!existing.IsFastTrackInForce || existing.IsFinished)
            return Task.FromResult(new ClockChange(null, ""));
        var reference = context.Variables["revocationReference"] is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String
            ? v.GetValue<string>()
            : null;
        var reason = Optional(context, "reason") ?? reference ?? "fast track ended";
        var clock = Accepted(existing.EndFastTrack(context.Now, reason, Statutory.Calendar), clockName);
        return Task.FromResult(new ClockChange(clock, $"退出绿色通道，适用完整时限 / left the fast track: {reason}"));
    }
}

/// <summary>
/// <c>clock.change-limit</c>: inputs <c>clock</c>, <c>rule</c> (the new limit, e.g. <c>audit.cycle.extended</c>), the reason
/// as the literal <c>reason</c> or from the variable named by <c>reasonVariable</c>, optional <c>legalBasis</c> (default the
/// rule's). From now on the new limit applies, counted from the same start with the same pauses and extensions; the
/// timers and due dates bound to the clock move in the same step. A clock already finished, or already on that rule,
/// is left as it is (the variable <c>limitChanged</c> says which happened).
/// </summary>
public sealed class ClockChangeLimitHandler(StatutoryTime statutory, ClockStore clocks) : ClockHandler(statutory, clocks)
{
    public override string Name => "clock.change-limit";

    protected override Task<ClockChange> ChangeAsync(ServiceTaskContext context, string clockName, StoredClock? stored,
        CancellationToken cancellationToken)
    {
        var existing = Existing(stored, clockName).Clock;
        var ruleId = context.Input("rule");
        if (!Statutory.Rules.TryGet(ruleId, out var rule))
            throw new InvalidOperationException($"clock '{clockName}': no time-limit rule '{ruleId}'");
        var reason = Optional(context, "reasonVariable") is { } variable
            ? context.Variables[variable] is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String && !string.IsNullOrWhiteSpace(v.GetValue<string>())
                ? v.GetValue<string>().Trim()
                : throw new InvalidOperationException($"clock '{clockName}': the variable '{variable}' named by reasonVariable holds no reason")
            : context.Input("reason");
        var legalBasis = Optional(context, "legalBasis") ?? rule.LegalBasis;
        var unchanged = new JsonObject { ["limitChanged"] = false };
        // Finished (the step it times is done) or on that rule already: nothing left to move.
        if (existing.IsFinished || existing.EffectiveLimit.RuleId == rule.Id)
            return Task.FromResult(new ClockChange(null, "", unchanged));
        var clock = Accepted(existing.ChangeLimit(context.Now, rule.ToTimeLimit(), reason, legalBasis, Statutory.Calendar), clockName);
        return Task.FromResult(new ClockChange(clock, $"改按{rule.NameZh}计算 / limit changed to {rule.Id}: {reason}（{legalBasis}）",
            new JsonObject { ["limitChanged"] = true }));
    }
}

/// <summary>
/// <c>clock.breach</c>: input <c>clock</c>: records that the clock's limit was not met (once per due date), with the
/// working days overdue; the BPMN then creates the escalation task.
/// </summary>
public sealed class ClockBreachHandler(StatutoryTime statutory, ClockStore clocks, ClockBreachStore breaches) : ClockHandler(statutory, clocks)
{
    public override string Name => "clock.breach";

    protected override async Task<ClockChange> ChangeAsync(ServiceTaskContext context, string clockName, StoredClock? stored,
        CancellationToken cancellationToken)
    {
        var clock = Existing(stored, clockName).Clock;
        // A clock that is paused or stopped in time, or whose due date moved later since the timer was armed, is not in breach.
        if (clock.DueAt is not { } due || clock.IsFinished || due > context.Now)
            return new ClockChange(null, "");
        var progress = clock.ProgressAt(context.Now, Statutory.Calendar);
        await breaches.RecordAsync(context.Transaction!, stored!.Subject, context.InstanceId, clockName, clock.EffectiveLimit.RuleId, due, context.Now,
            progress.WorkingDaysOverdue, context.ElementId, "system", cancellationToken);
        // Kept as a variable too, so the journal shows the breach and a gateway can route on it.
        var output = new JsonObject
        {
            ["lastBreach"] = new JsonObject
            {
                ["clock"] = clockName, ["rule"] = clock.EffectiveLimit.RuleId, ["dueAt"] = due, ["detectedAt"] = context.Now,
                ["workingDaysOverdue"] = progress.WorkingDaysOverdue,
            },
        };
        return new ClockChange(null, "", output);
    }
}

/// <summary>What a clock handler did: the new clock (null: unchanged), why, and variables to set.</summary>
public sealed record ClockChange(Clock? Clock, string Reason, JsonObject? Output = null);
