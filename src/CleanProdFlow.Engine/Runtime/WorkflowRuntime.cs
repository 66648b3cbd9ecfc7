using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CleanProdFlow.Engine.Bpmn;
using CleanProdFlow.Engine.Execution;
using CleanProdFlow.Engine.Model;
using Microsoft.Extensions.Logging;

namespace CleanProdFlow.Engine.Runtime;

public sealed record DeployResult(DefinitionVersion? Version, IReadOnlyList<BpmnProblem> Problems)
{
    public bool IsValid => Version is not null;
}

public sealed record StartedInstance(Guid Id, InstanceStatus Status);

/// <summary>One batch of timer firings: how many due timers it claimed, fired, and left pending because they failed.</summary>
public sealed record TimerBatch(int Claimed, int Fired, int Failed);

public sealed record CompletedTask(Guid TaskId, Guid InstanceId, InstanceStatus InstanceStatus, IReadOnlyList<string> ActiveElementIds);

public sealed record MigrationResult(Guid InstanceId, int FromVersion, int ToVersion, bool DryRun, IReadOnlyDictionary<string, string> Mapping,
    IReadOnlyList<MigrationProblem> Problems)
{
    public bool Migrated => !DryRun && Problems.Count == 0;
}

/// <summary>
/// Runs the engine against the database (DESIGN §3): every command is one transaction with optimistic concurrency on
/// the instance row; the interpreter's effects are written in that transaction; service handlers run inside it and
/// a failure becomes an incident; timers are handed to the scheduler only after commit; a timer fires through a
/// conditional update, so a duplicate delivery does nothing.
/// </summary>
public sealed class WorkflowRuntime(
    IWorkflowStore store,
    ITimerScheduler scheduler,
    IStatutoryDueDates dueDates,
    IEnumerable<IServiceTaskHandler> handlers,
    TimeProvider time,
    ILogger<WorkflowRuntime> logger,
    IEnumerable<IStepObserver>? observers = null)
{
    /// <summary>
    /// A command that lost the race on the instance row, or whose transaction the database refused transiently
    /// (deadlock, serialization failure, busy), is run again from fresh state this often.
    /// </summary>
    private const int Attempts = 5;

    /// <summary>Call activities nested deeper than this are refused (a definition calling itself).</summary>
    private const int MaxCallDepth = 16;

    public const string FastTrackVariable = "fastTrack";

    private readonly Dictionary<string, IServiceTaskHandler> _handlers = handlers.ToDictionary(h => h.Name, StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Key, int Version), ProcessDefinition> _definitions = new();
    private readonly IStepObserver[] _observers = observers?.ToArray() ?? [];

    public IReadOnlyCollection<string> HandlerNames => _handlers.Keys;

    private TimeProvider Time => time;

    private IWorkflowStore Store => store;

    private ILogger Logger => logger;

    private IStatutoryDueDates DueDates => dueDates;

    /// <summary>The largest definition accepted, in UTF-8 bytes (the host sets it from its settings).</summary>
    public int MaxDefinitionBytes { get; set; } = new BpmnReadOptions().MaxBytes;

    public BpmnReadOptions ReadOptions => new()
    {
        IsKnownHandler = _handlers.ContainsKey,
        IsKnownTimeLimitRule = dueDates.IsKnownRule,
        MaxBytes = MaxDefinitionBytes,
    };

    // ---------------------------------------------------------------- definitions

    /// <summary>Validates the XML and stores it as a new draft version; nothing is stored when it has problems.</summary>
    public async Task<DeployResult> DeployAsync(string xml, string actor, CancellationToken cancellationToken = default)
    {
        var read = BpmnReader.Read(xml, ReadOptions);
        if (!read.IsValid)
            return new DeployResult(null, read.Problems);
        var definition = read.Definition!;
        var version = await store.AddVersionAsync(definition.Key, definition.Name, xml, ContentHash(xml), actor, time.GetUtcNow(), cancellationToken);
        logger.LogInformation("Definition {DefinitionKey} version {Version} uploaded by {Actor}", version.Key, version.Version, actor);
        return new DeployResult(version, []);
    }

    /// <summary>
    /// Publishes a draft: new instances start on it; the timer start events of the previously published version stop
    /// and this version's are armed. Running instances stay on their versions.
    /// </summary>
    public async Task PublishAsync(string key, int version, string actor, CancellationToken cancellationToken = default)
    {
        var stored = await store.FindDefinitionAsync(key, version, cancellationToken)
            ?? throw NotFound($"definition {key} version {version}", $"流程定义 {key} 版本 {version}");
        if (stored.Status != DefinitionStatus.Draft)
            throw new EngineRefusal(RefusalKind.Conflict, $"version {version} is {Word(stored.Status)}; only a draft can be published",
                $"版本 {version} 当前为{Chinese(stored.Status)}，只有草稿可以发布");
        var previous = await store.LatestPublishedAsync(key, cancellationToken);
        var definition = await DefinitionAsync(key, version, cancellationToken);
        var now = time.GetUtcNow();
        var armed = new List<(Guid, DateTimeOffset)>();
        await using (var session = await store.BeginAsync(cancellationToken))
        {
            if (previous is not null)
                await session.CancelStartTimersAsync(key, previous.Version, cancellationToken);
            foreach (var start in definition.TimerStartEvents)
            {
                if (start.Timer!.Schedule!.NextAfter(now) is not { } due)
                    continue;
                var id = Guid.NewGuid();
                await session.InsertStartTimerAsync(id, key, version, start.Id, due, 0, now, cancellationToken);
                armed.Add((id, due));
            }
            await session.CommitAsync(cancellationToken);
        }
        if (!await store.ChangeStatusAsync(key, version, DefinitionStatus.Draft, DefinitionStatus.Published, now, cancellationToken))
            throw new EngineRefusal(RefusalKind.Conflict, $"version {version} was changed by someone else", $"版本 {version} 已被他人修改");
        foreach (var (id, due) in armed)
            scheduler.Schedule(id, due);
        logger.LogInformation("Definition {DefinitionKey} version {Version} published by {Actor}", key, version, actor);
    }

    /// <summary>A retired version starts no new instance; its running instances go on to their end.</summary>
    public async Task RetireAsync(string key, int version, string actor, CancellationToken cancellationToken = default)
    {
        var stored = await store.FindDefinitionAsync(key, version, cancellationToken)
            ?? throw NotFound($"definition {key} version {version}", $"流程定义 {key} 版本 {version}");
        if (stored.Status != DefinitionStatus.Published)
            throw new EngineRefusal(RefusalKind.Conflict, $"version {version} is {Word(stored.Status)}; only a published version can be retired",
                $"版本 {version} 当前为{Chinese(stored.Status)}，只有已发布的版本可以停用");
        await using (var session = await store.BeginAsync(cancellationToken))
        {
            await session.CancelStartTimersAsync(key, version, cancellationToken);
            await session.CommitAsync(cancellationToken);
        }
        if (!await store.ChangeStatusAsync(key, version, DefinitionStatus.Published, DefinitionStatus.Retired, time.GetUtcNow(), cancellationToken))
            throw new EngineRefusal(RefusalKind.Conflict, $"version {version} was changed by someone else", $"版本 {version} 已被他人修改");
        logger.LogInformation("Definition {DefinitionKey} version {Version} retired by {Actor}", key, version, actor);
    }

    /// <summary>
    /// Deploys and publishes a shipped file when its content differs from every stored version of its key. Returns
    /// the problems of an invalid file (the caller stops the start-up: a shipped workflow must be valid).
    /// </summary>
    public async Task<DeployResult?> DeployShippedAsync(string xml, string source, CancellationToken cancellationToken = default)
    {
        var read = BpmnReader.Read(xml, ReadOptions);
        if (!read.IsValid)
            return new DeployResult(null, read.Problems);
        var hash = ContentHash(xml);
        var versions = await store.VersionsAsync(read.Definition!.Key, cancellationToken);
        if (versions.Any(v => v.ContentHash == hash))
            return null;
        var deployed = await DeployAsync(xml, source, cancellationToken);
        await PublishAsync(deployed.Version!.Key, deployed.Version.Version, source, cancellationToken);
        return deployed;
    }

    /// <summary>The model of a stored version (cached: a stored version never changes).</summary>
    public async Task<ProcessDefinition> DefinitionAsync(string key, int version, CancellationToken cancellationToken = default)
    {
        if (_definitions.TryGetValue((key, version), out var cached))
            return cached;
        var stored = await store.FindDefinitionAsync(key, version, cancellationToken)
            ?? throw NotFound($"definition {key} version {version}", $"流程定义 {key} 版本 {version}");
        // Read without the handler/rule checks: a version valid when stored stays runnable (an incident says what is missing).
        var read = BpmnReader.Read(stored.Xml);
        var definition = read.Definition
            ?? throw new InvalidOperationException($"Stored definition {key} v{version} no longer reads: {string.Join("; ", read.Problems.Select(p => p.Message))}");
        return _definitions.GetOrAdd((key, version), definition);
    }

    /// <summary>The subject under which a statutory clock of an instance is stored: <c>instance:{id}/{clock name}</c>.</summary>
    public static string ClockSubject(Guid instanceId, string clockName) => $"instance:{instanceId:D}/{clockName}";

    public static bool TryParseClockSubject(string subject, out Guid instanceId, out string clockName)
    {
        instanceId = Guid.Empty;
        clockName = "";
        const string prefix = "instance:";
        var slash = subject.IndexOf('/', StringComparison.Ordinal);
        if (!subject.StartsWith(prefix, StringComparison.Ordinal) || slash < 0
            || !Guid.TryParseExact(subject[prefix.Length..slash], "D", out instanceId) || slash == subject.Length - 1)
            return false;
        clockName = subject[(slash + 1)..];
        return true;
    }

    public static string ContentHash(string xml) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(xml)));

    // ---------------------------------------------------------------- instances

    public Task<StartedInstance> StartAsync(string definitionKey, string? businessKey, JsonObject variables, string organisation, string actor,
        CancellationToken cancellationToken = default) =>
        StartAsync(Guid.NewGuid(), definitionKey, businessKey, variables, organisation, actor, cancellationToken);

    /// <summary>
    /// Starts an instance under an id the caller chose. A second start with the same id fails on the instance row's
    /// key and stores nothing, so a start that is retried (after a crash, or by two nodes at once) runs once.
    /// </summary>
    public async Task<StartedInstance> StartAsync(Guid id, string definitionKey, string? businessKey, JsonObject variables, string organisation,
        string actor, CancellationToken cancellationToken = default)
    {
        var published = await store.LatestPublishedAsync(definitionKey, cancellationToken)
            ?? throw NotFound($"a published definition '{definitionKey}'", $"已发布的流程定义“{definitionKey}”");
        var definition = await DefinitionAsync(published.Key, published.Version, cancellationToken);
        if (!definition.HasNoneStartEvent)
            throw new EngineRefusal(RefusalKind.Conflict, $"'{definitionKey}' starts only by its timer", $"“{definitionKey}”只能由定时器启动");
        var state = await InSessionAsync(async work =>
            await work.StartAsync(definition, new NewInstance(id, published.Version, businessKey, organisation, variables, actor), 0),
            cancellationToken);
        return new StartedInstance(id, state!.Status);
    }

    public async Task<TaskRecord> ClaimAsync(Guid taskId, TaskActor actor, CancellationToken cancellationToken = default)
    {
        var task = await VisibleTaskAsync(taskId, actor, cancellationToken);
        if (task.Status != TaskStatus.Open)
            throw TaskNotOpen(task);
        if (task.Assignee == actor.Username)
            return task;
        if (!actor.IsCandidate(task))
            throw NotYourGroup();
        if (task.Assignee is not null)
            throw new EngineRefusal(RefusalKind.Conflict, $"the task is already claimed by {task.Assignee}", $"该任务已由 {task.Assignee} 认领");
        await ChangeAssigneeAsync(task, null, actor.Username, "task.claimed", actor.Username, cancellationToken);
        return (await store.FindTaskAsync(taskId, cancellationToken))!;
    }

    public async Task<TaskRecord> UnclaimAsync(Guid taskId, TaskActor actor, CancellationToken cancellationToken = default)
    {
        var task = await VisibleTaskAsync(taskId, actor, cancellationToken);
        if (task.Status != TaskStatus.Open)
            throw TaskNotOpen(task);
        if (task.Assignee is null)
            return task;
        if (task.Assignee != actor.Username)
            throw new EngineRefusal(RefusalKind.Forbidden, $"the task is claimed by {task.Assignee}; only they can give it back",
                $"该任务由 {task.Assignee} 认领，只有其本人可以退回");
        await ChangeAssigneeAsync(task, actor.Username, null, "task.unclaimed", actor.Username, cancellationToken);
        return (await store.FindTaskAsync(taskId, cancellationToken))!;
    }

    /// <summary>
    /// Completes a task with an outcome and form values. An unclaimed task is claimed by the completion when the
    /// caller is a candidate. With an idempotency key, a replay returns the first answer and changes nothing.
    /// </summary>
    public async Task<IdempotentReply> CompleteTaskAsync(Guid taskId, TaskActor actor, string? outcome, JsonObject variables, string? idempotencyKey,
        Func<CompletedTask, IdempotentReply> answer, CancellationToken cancellationToken = default)
    {
        var scope = $"task.complete:{taskId:D}:{actor.Username}";
        if (idempotencyKey is not null)
        {
            await using var lookup = await store.BeginAsync(cancellationToken);
            if (await lookup.FindReplyAsync(scope, idempotencyKey, cancellationToken) is { } first)
                return first;
        }
        var task = await VisibleTaskAsync(taskId, actor, cancellationToken);
        if (task.Status != TaskStatus.Open)
            throw TaskNotOpen(task);
        if (task.Assignee is not null && task.Assignee != actor.Username)
            throw new EngineRefusal(RefusalKind.Forbidden, $"the task is claimed by {task.Assignee}", $"该任务已由 {task.Assignee} 认领，您不能办理");
        if (task.Assignee is null && !actor.IsCandidate(task))
            throw NotYourGroup();

        IdempotentReply? reply = null;
        await InSessionAsync(async work =>
        {
            // Inside the transaction again: a concurrent replay with the same key must not complete twice.
            if (idempotencyKey is not null && await work.Session.FindReplyAsync(scope, idempotencyKey, cancellationToken) is { } first)
            {
                reply = first;
                return null;
            }
            var state = await work.RunAsync(task.InstanceId, (interpreter, current) =>
                interpreter.CompleteTask(current, taskId, actor.Username, outcome, variables));
            reply = answer(new CompletedTask(taskId, task.InstanceId, state.Status, state.ActiveElementIds));
            if (idempotencyKey is not null)
                await work.Session.SaveReplyAsync(scope, idempotencyKey, reply, time.GetUtcNow(), cancellationToken);
            return state;
        }, cancellationToken);
        return reply!;
    }

    /// <summary>Correlates a message to every waiting event with its name and key, one instance per transaction.</summary>
    public async Task<int> CorrelateAsync(string messageName, string correlationKey, JsonObject variables, string actor,
        CancellationToken cancellationToken = default)
    {
        var subscriptions = await store.SubscriptionsAsync(messageName, correlationKey, cancellationToken);
        var correlated = 0;
        foreach (var subscription in subscriptions)
        {
            try
            {
                await InSessionAsync(async work => await work.RunAsync(subscription.InstanceId, (interpreter, state) =>
                    interpreter.CorrelateMessage(state, subscription.Id, actor, variables)), cancellationToken);
                correlated++;
            }
            catch (EngineRefusal e) when (e.Kind == RefusalKind.NotFound)
            {
                // Another correlation or the end of the activity took it first.
            }
        }
        logger.LogInformation("Message {MessageName} with key {CorrelationKey} correlated to {Count} waiting events", messageName, correlationKey, correlated);
        return correlated;
    }

    /// <summary>Fires a timer if it is still pending (a duplicate delivery, a sweep and a restart can all ask: one wins).</summary>
    public async Task<bool> FireTimerAsync(Guid timerId, CancellationToken cancellationToken = default)
    {
        var timer = await store.FindTimerAsync(timerId, cancellationToken);
        if (timer is null || timer.Status != TimerStatus.Pending)
            return false;
        var now = time.GetUtcNow();
        if (timer.DueAt > now)
        {
            scheduler.Schedule(timer.Id, timer.DueAt); // delivered early (a clock moved back): it waits for its time
            return false;
        }
        var fired = false;
        try
        {
            await InSessionAsync(async work =>
            {
                fired = await FireInSessionAsync(work, timer, now, cancellationToken);
                return null;
            }, cancellationToken);
        }
        catch (EngineRefusal e)
        {
            logger.LogWarning("Timer {TimerId} could not fire: {Reason}", timerId, e.Message);
            return false;
        }
        if (fired)
            EngineMetrics.TimerFired(timer.DueAt, time.GetUtcNow());
        return fired;
    }

    /// <summary>
    /// Claims up to <paramref name="limit"/> due timers and fires them in ONE transaction (one commit for the batch:
    /// issue 11). Each still goes through the conditional update, so it fires once; one that finds nothing waiting is
    /// marked fired and the others go on; a later timer of an instance sees what an earlier one in the batch did (same
    /// transaction); a concurrent change or a transient refusal runs the whole batch again. Should the batch fail
    /// otherwise, its timers are fired one transaction each, so one bad timer does not hold back the others.
    /// </summary>
    public async Task<TimerBatch> FireDueTimerBatchAsync(int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var now = time.GetUtcNow();
        IReadOnlyList<TimerRecord> claimed = [];
        var fired = new List<DateTimeOffset>();
        try
        {
            await InSessionAsync(async work =>
            {
                fired.Clear(); // a re-run after a conflict starts over
                claimed = await store.ClaimDueTimersAsync(work.Session.Transaction, now, limit, cancellationToken);
                foreach (var timer in claimed)
                    if (await FireInSessionAsync(work, timer, now, cancellationToken))
                        fired.Add(timer.DueAt);
                return null;
            }, cancellationToken);
            var committedAt = time.GetUtcNow();
            foreach (var dueAt in fired)
                EngineMetrics.TimerFired(dueAt, committedAt);
            return new TimerBatch(claimed.Count, fired.Count, 0);
        }
        catch (Exception e) when (e is not OperationCanceledException && claimed.Count > 0)
        {
            logger.LogWarning(e, "A batch of {Count} timers failed; firing them one by one", claimed.Count);
        }
        var firedOneByOne = 0;
        var failed = 0;
        foreach (var timer in claimed)
        {
            try
            {
                if (await FireTimerAsync(timer.Id, cancellationToken))
                    firedOneByOne++;
                else if ((await store.FindTimerAsync(timer.Id, cancellationToken))?.Status == TimerStatus.Pending)
                    failed++;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Timer {TimerId} failed to fire; it stays pending and is tried again", timer.Id);
                failed++;
            }
        }
        return new TimerBatch(claimed.Count, firedOneByOne, failed);
    }

    /// <summary>Fires one claimed timer in the command's transaction; false when it was no longer pending.</summary>
    private async Task<bool> FireInSessionAsync(SessionWork work, TimerRecord timer, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!await work.Session.MarkTimerFiredAsync(timer.Id, now, cancellationToken))
            return false;
        if (timer.InstanceId is not { } instanceId)
        {
            await work.StartFromTimerAsync(timer, cancellationToken);
            return true;
        }
        try
        {
            await work.RunAsync(instanceId, (interpreter, state) => interpreter.FireTimer(state, timer.Id));
        }
        catch (EngineRefusal e)
        {
            // Nothing waits for it any more (the instance ended meanwhile): the timer stays marked as fired, which is
            // the truth, so no sweep delivers it again. The refusal came before the step wrote anything.
            logger.LogWarning("Timer {TimerId} of instance {InstanceId} found nothing waiting: {Reason}", timer.Id, instanceId, e.Message);
        }
        return true;
    }

    /// <summary>Timers fired per transaction by <see cref="FireDueTimersAsync"/>.</summary>
    public const int SweepBatchSize = 50;

    /// <summary>Fires every pending timer due by now, in batches; returns how many fired. The sweep and the virtual clock use it.</summary>
    public async Task<int> FireDueTimersAsync(CancellationToken cancellationToken = default)
    {
        var count = 0;
        while (true)
        {
            var batch = await FireDueTimerBatchAsync(SweepBatchSize, cancellationToken);
            count += batch.Fired;
            // Fewer than a full batch: nothing more was due. None fired: stop rather than claim the same ones again.
            if (batch.Claimed < SweepBatchSize || batch.Fired == 0)
                return count;
        }
    }

    public async Task RetryIncidentAsync(Guid instanceId, Guid incidentId, string actor, CancellationToken cancellationToken = default) =>
        await InSessionAsync(async work => await work.RunAsync(instanceId, (interpreter, state) => interpreter.RetryIncident(state, incidentId, actor)),
            cancellationToken);

    public async Task CancelInstanceAsync(Guid instanceId, string actor, string reason, CancellationToken cancellationToken = default) =>
        await InSessionAsync(async work => await work.RunAsync(instanceId, (interpreter, state) => interpreter.Cancel(state, actor, reason)),
            cancellationToken);

    /// <summary>
    /// A statutory clock of the instance changed its due date (pause, resume, extension, a newly loaded calendar year):
    /// timers and task due dates bound to it follow, in one transaction.
    /// </summary>
    public async Task ClockMovedAsync(Guid instanceId, string clockName, string actor, string reason, CancellationToken cancellationToken = default)
    {
        var stored = await store.FindInstanceAsync(instanceId, cancellationToken);
        if (stored is null || stored.State.IsEnded)
            return;
        var times = (await dueDates.ClockTimesAsync(instanceId, null, cancellationToken)).GetValueOrDefault(clockName, ClockTimes.Stopped);
        await InSessionAsync(async work => await work.RunAsync(instanceId, (interpreter, state) =>
            interpreter.ClockMoved(state, clockName, times, actor, reason)), cancellationToken);
    }

    /// <summary>
    /// Changes a statutory clock of the instance as one command: <paramref name="change"/> writes the clock in the
    /// command's transaction and returns its new due instant; timers and task due dates bound to it follow, journaled
    /// with <paramref name="reason"/>. Used for staff actions (pause, resume, extension) and for switching tracks.
    /// </summary>
    public async Task ChangeClockAsync(Guid instanceId, string clockName, string actor, string reason,
        Func<System.Data.Common.DbTransaction, Task<ClockTimes>> change, CancellationToken cancellationToken = default) =>
        await InSessionAsync(async work =>
        {
            var stored = await work.Session.LoadInstanceAsync(instanceId, cancellationToken) ?? throw NotFound("the instance", "该实例");
            if (stored.State.IsEnded)
                throw new EngineRefusal(RefusalKind.Conflict, "the instance has ended", "该实例已结束");
            var times = await change(work.Session.Transaction);
            var definition = await DefinitionAsync(stored.State.DefinitionKey, stored.State.Version, cancellationToken);
            var environment = (RuntimeEnvironment)await work.EnvironmentAsync(definition, stored.State, cancellationToken);
            environment.SetClock(clockName, times);
            var interpreter = new Interpreter(definition, environment);
            return await work.ApplyAsync(stored, interpreter, interpreter.ClockMoved(stored.State, clockName, times, actor, reason), 0);
        }, cancellationToken);

    /// <summary>Plans (dry run) or performs the move of a running instance to a newer published version of its definition.</summary>
    public async Task<MigrationResult> MigrateAsync(Guid instanceId, int toVersion, IReadOnlyDictionary<string, string> mapping, bool dryRun,
        string actor, CancellationToken cancellationToken = default)
    {
        var stored = await store.FindInstanceAsync(instanceId, cancellationToken)
            ?? throw NotFound("the instance", "该实例");
        var fromVersion = stored.State.Version;
        var target = await store.FindDefinitionAsync(stored.State.DefinitionKey, toVersion, cancellationToken)
            ?? throw NotFound($"version {toVersion} of {stored.State.DefinitionKey}", $"{stored.State.DefinitionKey} 的版本 {toVersion}");
        if (target.Status != DefinitionStatus.Published || toVersion <= fromVersion)
            return new MigrationResult(instanceId, fromVersion, toVersion, dryRun, new Dictionary<string, string>(),
                [new MigrationProblem("", $"version {toVersion} must be published and newer than the instance's version {fromVersion}",
                    $"目标版本 {toVersion} 须已发布且比实例当前版本 {fromVersion} 新")]);
        var from = await DefinitionAsync(stored.State.DefinitionKey, fromVersion, cancellationToken);
        var to = await DefinitionAsync(target.Key, toVersion, cancellationToken);
        var plan = MigrationPlan.Create(stored.State, from, to, mapping);
        if (dryRun || !plan.CanMigrate)
            return new MigrationResult(instanceId, fromVersion, toVersion, dryRun, plan.Mapping, plan.Problems);

        await InSessionAsync(async work =>
        {
            var current = await work.Session.LoadInstanceAsync(instanceId, cancellationToken) ?? throw NotFound("the instance", "该实例");
            if (current.State.Version != fromVersion)
                throw new EngineRefusal(RefusalKind.Conflict, "the instance changed version meanwhile", "实例版本已被修改");
            var freshPlan = MigrationPlan.Create(current.State, from, to, mapping);
            var interpreter = new Interpreter(to, await work.EnvironmentAsync(to, current.State, cancellationToken));
            return await work.ApplyAsync(current, interpreter, interpreter.Migrate(current.State, toVersion, freshPlan, actor), 0);
        }, cancellationToken);
        logger.LogInformation("Instance {InstanceId} migrated from version {From} to {To} by {Actor}", instanceId, fromVersion, toVersion, actor);
        return new MigrationResult(instanceId, fromVersion, toVersion, false, plan.Mapping, []);
    }

    // ---------------------------------------------------------------- the command loop

    /// <summary>
    /// Runs one command in one transaction; retried from fresh state when another command changed the same instance
    /// first. Timers armed by the command go to the scheduler after commit.
    /// </summary>
    private async Task<InstanceState?> InSessionAsync(Func<SessionWork, Task<InstanceState?>> command, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var begun = EngineMetrics.Start();
            var work = new SessionWork(this, await store.BeginAsync(cancellationToken), cancellationToken);
            EngineMetrics.Record(EngineMetrics.Begin, begun);
            InstanceState? state;
            await using (work.Session)
            {
                try
                {
                    state = await command(work);
                    var committing = EngineMetrics.Start();
                    await work.Session.CommitAsync(cancellationToken);
                    EngineMetrics.Record(EngineMetrics.Commit, committing);
                }
                catch (ConcurrentChange) when (attempt < Attempts)
                {
                    logger.LogDebug("Instance changed concurrently; retrying (attempt {Attempt})", attempt + 1);
                    continue;
                }
                catch (ConcurrentChange)
                {
                    throw new EngineRefusal(RefusalKind.Conflict, "the instance is being changed by others; try again", "该实例正被他人修改，请重试");
                }
                catch (Exception e) when (store.IsTransientConflict(e))
                {
                    // Nothing of the command was committed: it runs again from the start (a user never sees a deadlock).
                    if (attempt < Attempts)
                    {
                        logger.LogInformation("The database refused a command's transaction transiently ({Reason}); retrying (attempt {Attempt})",
                            e.Message, attempt + 1);
                        continue;
                    }
                    throw new EngineRefusal(RefusalKind.Conflict, "the database is busy with conflicting changes; try again", "数据库正忙于处理冲突的修改，请重试");
                }
            }
            foreach (var (id, due) in work.ArmedTimers)
                scheduler.Schedule(id, due);
            foreach (var action in work.AfterCommit)
            {
                try
                {
                    action();
                }
                catch (Exception e)
                {
                    // The step has committed; what follows it (e.g. a job enqueued) is recovered from its own table.
                    logger.LogError(e, "Work after a committed step failed");
                }
            }
            return state;
        }
    }

    private sealed class ConcurrentChange : Exception;

    /// <summary>One transaction's work: instances it changed, and the timers to hand to the scheduler after commit.</summary>
    private sealed class SessionWork(WorkflowRuntime runtime, IWorkflowSession session, CancellationToken cancellationToken)
    {
        public IWorkflowSession Session { get; } = session;

        public List<(Guid Id, DateTimeOffset DueAt)> ArmedTimers { get; } = [];

        /// <summary>What the step observers asked to run after commit.</summary>
        public List<Action> AfterCommit { get; } = [];

        public async Task<InstanceState> RunAsync(Guid instanceId, Func<Interpreter, InstanceState, StepResult> command)
        {
            var loading = EngineMetrics.Start();
            var stored = await Session.LoadInstanceAsync(instanceId, cancellationToken)
                ?? throw NotFound("the instance", "该实例");
            EngineMetrics.Record(EngineMetrics.Load, loading);
            if (stored.State.IsEnded)
                throw new EngineRefusal(RefusalKind.Conflict, $"the instance has {stored.State.Status.ToString().ToLowerInvariant()}",
                    $"该实例已{(stored.State.Status == InstanceStatus.Completed ? "办结" : "终止")}");
            var definition = await runtime.DefinitionAsync(stored.State.DefinitionKey, stored.State.Version, cancellationToken);
            var interpreting = EngineMetrics.Start();
            var interpreter = new Interpreter(definition, await EnvironmentAsync(definition, stored.State, cancellationToken));
            return await ApplyAsync(stored, interpreter, command(interpreter, stored.State), 0, interpreting: interpreting);
        }

        public async Task<InstanceState> StartAsync(ProcessDefinition definition, NewInstance start, int depth, bool parentInMemory = false)
        {
            var interpreting = EngineMetrics.Start();
            var placeholder = new InstanceState { Id = start.Id, Variables = start.Variables };
            var interpreter = new Interpreter(definition, await EnvironmentAsync(definition, placeholder, cancellationToken));
            var result = interpreter.Start(start);
            return await ApplyAsync(null, interpreter, result, depth, parentInMemory, interpreting);
        }

        public async Task<InstanceState?> StartFromTimerAsync(TimerRecord timer, CancellationToken token)
        {
            var key = timer.DefinitionKey!;
            var version = timer.DefinitionVersion!.Value;
            var definition = await runtime.DefinitionAsync(key, version, token);
            var start = (StartEvent)definition.Node(timer.ElementId);
            var now = runtime.Time.GetUtcNow();
            // A repeating start timer is armed again under a new id, so each occurrence fires exactly once.
            if (start.Timer!.Schedule is { IsRepeating: true } schedule && schedule.NextAfter(now, timer.DueAt, timer.FiredCount + 1) is { } next)
            {
                var nextId = Guid.NewGuid();
                await Session.InsertStartTimerAsync(nextId, key, version, start.Id, next, timer.FiredCount + 1, now, token);
                ArmedTimers.Add((nextId, next));
            }
            var stored = await runtime.Store.FindDefinitionAsync(key, version, token);
            if (stored?.Status != DefinitionStatus.Published)
                return null;
            return await StartAsync(definition, new NewInstance(Guid.NewGuid(), version, null, TimerStartOrganisation, [], Interpreter.SystemActor)
            {
                StartEventId = start.Id,
            }, 0);
        }

        /// <summary>
        /// Finishes a step in memory (service handlers, child instances started or cancelled), then writes the
        /// instance (insert when <paramref name="stored"/> is null) and the projections of every effect. A child that
        /// ends reports to its parent, unless the parent is the one still in memory.
        /// </summary>
        public async Task<InstanceState> ApplyAsync(StoredInstance? stored, Interpreter interpreter, StepResult result, int depth,
            bool parentInMemory = false, long interpreting = 0)
        {
            var state = result.State;
            var effects = new List<Effect>(result.Effects);
            for (var i = 0; i < effects.Count; i++)
            {
                StepResult? next = null;
                switch (effects[i])
                {
                    case HandlerRequested request when !state.IsEnded && state.TokenOf(request.TokenId) is not null:
                        next = await InvokeHandlerAsync(interpreter, state, request);
                        break;
                    case ChildInstanceRequested child when !state.IsEnded && state.TokenOf(child.TokenId) is not null:
                        next = await StartChildAsync(interpreter, state, child, depth);
                        break;
                    case ChildInstanceCancelled cancelled:
                        await CancelChildAsync(cancelled.ChildInstanceId);
                        break;
                }
                if (next is null)
                    continue;
                state = next.State;
                effects.AddRange(next.Effects);
            }
            EngineMetrics.Record(EngineMetrics.Interpret, interpreting);
            var writing = EngineMetrics.Start();
            var now = runtime.Time.GetUtcNow();
            if (stored is null)
                await Session.InsertInstanceAsync(state, now, cancellationToken);
            else if (!await Session.UpdateInstanceAsync(state, stored.RowVersion, now, cancellationToken))
                throw new ConcurrentChange();
            await Session.ApplyEffectsAsync(state, effects, now, cancellationToken);
            EngineMetrics.Record(EngineMetrics.Write, writing);
            var observing = EngineMetrics.Start();
            foreach (var observer in runtime._observers)
            {
                var step = new StepRecord(state, interpreter.Definition, effects, now, Session.Transaction);
                await observer.StepAppliedAsync(step, cancellationToken);
                AfterCommit.AddRange(step.AfterCommitActions);
            }
            EngineMetrics.Record(EngineMetrics.Observe, observing);
            foreach (var armed in effects.OfType<TimerArmed>())
                if (state.TokenWithWait(armed.TimerId) is not null)
                    ArmedTimers.Add((armed.TimerId, armed.DueAt));
            if (!parentInMemory && state.IsEnded && effects.OfType<InstanceEnded>().Any() && state.ParentInstanceId is { } parentId)
                await ReturnToParentAsync(state, parentId, depth);
            return state;
        }

        private async Task<StepResult> InvokeHandlerAsync(Interpreter interpreter, InstanceState state, HandlerRequested request)
        {
            if (!runtime._handlers.TryGetValue(request.Handler, out var handler))
                return interpreter.HandlerFailed(state, request.TokenId, $"no service-task handler named '{request.Handler}' is registered");
            var context = new ServiceTaskContext(state.Id, state.DefinitionKey, state.Version, state.BusinessKey, state.Organisation,
                request.ElementId, (JsonObject)state.Variables.DeepClone(), runtime.Time.GetUtcNow())
            {
                Inputs = ((ServiceTask)interpreter.Definition.Node(request.ElementId)).Inputs,
                Transaction = Session.Transaction,
            };
            try
            {
                var output = await handler.ExecuteAsync(context, cancellationToken);
                // Moved clocks first, so that a task bound to the clock and created by this step gets the new due date.
                var environment = (RuntimeEnvironment)interpreter.Environment;
                foreach (var move in context.ClockMoves)
                    environment.SetClock(move.ClockName, move.Times);
                var result = interpreter.HandlerSucceeded(state, request.TokenId, output);
                foreach (var move in context.ClockMoves)
                {
                    var moved = interpreter.ClockMoved(result.State, move.ClockName, move.Times, Interpreter.SystemActor, move.Reason);
                    result = new StepResult(moved.State, [.. result.Effects, .. moved.Effects]);
                }
                return result;
            }
            catch (Exception e) when (e is not OperationCanceledException && !runtime.Store.IsTransientConflict(e))
            {
                // A transient refusal of the transaction is not the handler's failure: the whole command runs again.
                runtime.Logger.LogWarning(e, "Handler {Handler} failed for instance {InstanceId} at {ElementId}", request.Handler, state.Id, request.ElementId);
                return interpreter.HandlerFailed(state, request.TokenId, $"{request.Handler}: {e.Message}");
            }
        }

        /// <summary>Starts a call activity's child in this transaction; the parent's next step is returned (an incident, or the child's end).</summary>
        private async Task<StepResult?> StartChildAsync(Interpreter interpreter, InstanceState parent, ChildInstanceRequested child, int depth)
        {
            var published = await runtime.Store.LatestPublishedAsync(child.CalledElement, cancellationToken);
            if (depth >= MaxCallDepth)
                return interpreter.CallFailed(parent, child.TokenId, $"call activities are nested deeper than {MaxCallDepth} (does '{child.CalledElement}' call itself?)");
            if (published is null)
                return interpreter.CallFailed(parent, child.TokenId, $"there is no published definition '{child.CalledElement}' to call");
            var definition = await runtime.DefinitionAsync(published.Key, published.Version, cancellationToken);
            var childState = await StartAsync(definition, new NewInstance(child.ChildInstanceId, published.Version, parent.BusinessKey, parent.Organisation,
                child.Variables, Interpreter.SystemActor) { ParentInstanceId = parent.Id, ParentTokenId = child.TokenId }, depth + 1, parentInMemory: true);
            return childState.IsEnded ? interpreter.ChildEnded(parent, childState.Id, childState.Status, childState.Variables) : null;
        }

        private async Task CancelChildAsync(Guid childId)
        {
            var child = await Session.LoadInstanceAsync(childId, cancellationToken);
            if (child is null || child.State.IsEnded)
                return;
            var definition = await runtime.DefinitionAsync(child.State.DefinitionKey, child.State.Version, cancellationToken);
            var interpreter = new Interpreter(definition, await EnvironmentAsync(definition, child.State, cancellationToken));
            var result = interpreter.Cancel(child.State, Interpreter.SystemActor, "the calling activity was cancelled");
            // The parent cancelled it: it does not report back.
            await ApplyAsync(child, interpreter, result, 0, parentInMemory: true);
        }

        private async Task ReturnToParentAsync(InstanceState child, Guid parentId, int depth)
        {
            var parent = await Session.LoadInstanceAsync(parentId, cancellationToken);
            if (parent is null || parent.State.IsEnded)
                return;
            var definition = await runtime.DefinitionAsync(parent.State.DefinitionKey, parent.State.Version, cancellationToken);
            var interpreter = new Interpreter(definition, await EnvironmentAsync(definition, parent.State, cancellationToken));
            await ApplyAsync(parent, interpreter, interpreter.ChildEnded(parent.State, child.Id, child.Status, child.Variables), Math.Max(0, depth - 1));
        }

        /// <summary>The command's environment: its instant and, when the process binds anything to a clock, the instance's clocks.</summary>
        public async Task<IExecutionEnvironment> EnvironmentAsync(ProcessDefinition definition, InstanceState state, CancellationToken token) =>
            new RuntimeEnvironment(runtime.Time.GetUtcNow(), runtime.DueDates, definition.UsesClocks
                ? await runtime.DueDates.ClockTimesAsync(state.Id, Session.Transaction, token)
                : new Dictionary<string, ClockTimes>());
    }

    /// <summary>The organisation of instances started by a timer start event (no person started them).</summary>
    public const string TimerStartOrganisation = "province";

    private sealed class RuntimeEnvironment(DateTimeOffset now, IStatutoryDueDates dueDates, IReadOnlyDictionary<string, ClockTimes> loaded)
        : IExecutionEnvironment
    {
        private readonly Dictionary<string, ClockTimes> clocks = new(loaded, StringComparer.Ordinal);

        public DateTimeOffset Now => now;

        /// <summary>A clock changed during this command (its row is written in the command's transaction).</summary>
        public void SetClock(string clockName, ClockTimes times) => clocks[clockName] = times;

        public Guid NewId() => Guid.CreateVersion7(now);

        public DateTimeOffset? DueAt(DueDateBinding binding, InstanceState instance, DateTimeOffset from)
        {
            if (binding.TimeLimitRuleId is { } rule)
            {
                if (!dueDates.IsKnownRule(rule))
                    return null;
                var fastTrack = instance.Variables[FastTrackVariable] is JsonValue v && v.GetValueKind() == JsonValueKind.True;
                return dueDates.RuleDueAt(rule, fastTrack, from);
            }
            return clocks.TryGetValue(binding.ClockName!, out var times) ? times.At(binding.Point) : null;
        }
    }

    // ---------------------------------------------------------------- helpers

    private async Task<TaskRecord> VisibleTaskAsync(Guid taskId, TaskActor actor, CancellationToken cancellationToken)
    {
        var task = await store.FindTaskAsync(taskId, cancellationToken);
        // A task of another organisation is "not found": its existence does not leak.
        if (task is null || !(actor.CanSee(task) || actor.IsCandidate(task) || task.Organisation == actor.Organisation))
            throw NotFound("the task", "该任务");
        return task;
    }

    private async Task ChangeAssigneeAsync(TaskRecord task, string? expected, string? assignee, string kind, string actor, CancellationToken cancellationToken)
    {
        await using var session = await store.BeginAsync(cancellationToken);
        if (!await session.SetAssigneeAsync(task.Id, expected, assignee, cancellationToken))
            throw new EngineRefusal(RefusalKind.Conflict, "the task was claimed or completed by someone else just now", "该任务刚被他人认领或办理");
        await session.AppendJournalAsync(task.InstanceId, kind, task.ElementId, actor,
            new JsonObject { ["taskId"] = task.Id.ToString(), ["assignee"] = assignee }, time.GetUtcNow(), cancellationToken);
        await session.CommitAsync(cancellationToken);
    }

    private static EngineRefusal TaskNotOpen(TaskRecord task) => task.Status == TaskStatus.Completed
        ? new EngineRefusal(RefusalKind.Conflict, $"the task was already completed by {task.CompletedBy}", $"该任务已由 {task.CompletedBy} 办理完毕")
        : new EngineRefusal(RefusalKind.Conflict, "the task was cancelled", "该任务已取消");

    private static EngineRefusal NotYourGroup() =>
        new(RefusalKind.Forbidden, "the task is for other groups than yours", "该任务不属于您所在的岗位");

    private static EngineRefusal NotFound(string what, string whatZh) => new(RefusalKind.NotFound, $"{what} was not found", $"未找到{whatZh}");

    private static string Word(DefinitionStatus status) => status.ToString().ToLowerInvariant();

    private static string Chinese(DefinitionStatus status) => status switch
    {
        DefinitionStatus.Draft => "草稿",
        DefinitionStatus.Published => "已发布",
        _ => "已停用",
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, InstanceState.Json);
}
