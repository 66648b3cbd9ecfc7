using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using CleanProdFlow.Data.Database;
using CleanProdFlow.Data.Workflows;
using CleanProdFlow.Engine.Execution;
using CleanProdFlow.Engine.Model;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using TaskStatus = CleanProdFlow.Engine.Runtime.TaskStatus;

namespace CleanProdFlow.Data.Tests.Runtime;

/// <summary>
/// The engine's runtime on a real database of each provider: timers that fire exactly once also across a restart,
/// concurrent completions, idempotent replays, messages, incidents, call activities and migration.
/// </summary>
public abstract class WorkflowRuntimeConformance
{
    protected abstract DatabaseProvider Provider { get; }

    private static readonly DateTimeOffset Monday = new(2026, 10, 12, 9, 0, 0, TimeSpan.FromHours(8));

    private static readonly TaskActor Reviewer = new("review.suzhou", "suzhou", ["review"]);
    private static readonly TaskActor OtherReviewer = new("review2.suzhou", "suzhou", ["review"]);

    /// <summary>What the scheduler was asked to arm (the product hands these to Hangfire).</summary>
    private sealed class RecordingScheduler : ITimerScheduler
    {
        public ConcurrentQueue<(Guid Id, DateTimeOffset DueAt)> Armed { get; } = new();

        public void Schedule(Guid timerId, DateTimeOffset dueAt) => Armed.Enqueue((timerId, dueAt));
    }

    /// <summary>Fails as often as told, then succeeds, returning a variable.</summary>
    private sealed class FlakyHandler(int failures) : IServiceTaskHandler
    {
        private int _calls;

        public string Name => "register.lookup";

        public int Calls => _calls;

        public Task<JsonObject?> ExecuteAsync(ServiceTaskContext context, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _calls) <= failures
                ? throw new InvalidOperationException("the register did not answer")
                : Task.FromResult<JsonObject?>(new JsonObject { ["registered"] = true });
    }

    private sealed class Node(TestDatabase database, FakeTimeProvider time, params IServiceTaskHandler[] handlers)
    {
        public WorkflowStore Store { get; } = new(database.Database);

        public RecordingScheduler Scheduler { get; } = new();

        public WorkflowRuntime Runtime { get; } = null!;

        public Node Start()
        {
            var node = new Node(database, time, handlers);
            typeof(Node).GetProperty(nameof(Runtime))!.SetValue(node, new WorkflowRuntime(node.Store, node.Scheduler, new NoStatutoryTime(),
                handlers, time, NullLogger<WorkflowRuntime>.Instance));
            return node;
        }
    }

    private async Task<(TestDatabase Database, FakeTimeProvider Time)> PrepareAsync()
    {
        var database = await TestDatabase.CreateAsync(Provider);
        await new DatabaseMigrator(database.Database, NullLogger<DatabaseMigrator>.Instance).MigrateAsync();
        return (database, new FakeTimeProvider(Monday));
    }

    private static WorkflowRuntime RuntimeOn(TestDatabase database, TimeProvider time, ITimerScheduler? scheduler = null, params IServiceTaskHandler[] handlers) =>
        new(new WorkflowStore(database.Database), scheduler ?? new RecordingScheduler(), new NoStatutoryTime(), handlers, time,
            NullLogger<WorkflowRuntime>.Instance);

    private static async Task PublishAsync(WorkflowRuntime runtime, string xml)
    {
        var deployed = await runtime.DeployAsync(xml, "admin.province");
        Assert.True(deployed.IsValid, string.Join("; ", deployed.Problems.Select(p => $"{p.ElementId}: {p.Message}")));
        await runtime.PublishAsync(deployed.Version!.Key, deployed.Version.Version, "admin.province");
    }

    private static async Task<Guid> OpenTaskAsync(IWorkflowStore store, Guid instanceId, string elementId)
    {
        var tasks = await store.ListTasksAsync(new TaskQuery { InstanceId = instanceId, Status = TaskStatus.Open });
        return tasks.Single(t => t.ElementId == elementId).Id;
    }

    private static Task<IdempotentReply> CompleteAsync(WorkflowRuntime runtime, Guid taskId, TaskActor actor, JsonObject? variables = null,
        string? outcome = null, string? key = null) =>
        runtime.CompleteTaskAsync(taskId, actor, outcome, variables ?? [], key,
            done => new IdempotentReply(200, WorkflowRuntime.Serialize(done)));

    private static async Task<int> JournalCountAsync(IWorkflowStore store, Guid instanceId, string kind) =>
        (await store.JournalAsync(instanceId)).Count(j => j.Kind == kind);

    /// <summary>Records the tasks each step created and, after commit, which steps' work ran; fails a step when told.</summary>
    private sealed class RecordingObserver : IStepObserver
    {
        public ConcurrentQueue<string> Seen { get; } = new();

        public ConcurrentQueue<string> AfterCommit { get; } = new();

        public bool FailNextStep { get; set; }

        public Task StepAppliedAsync(StepRecord step, CancellationToken cancellationToken)
        {
            Assert.NotNull(step.Transaction.Connection); // inside the step's open transaction
            foreach (var created in step.Effects.OfType<TaskCreated>())
            {
                var element = created.Element.Id;
                Seen.Enqueue(element);
                step.AfterCommit(() => AfterCommit.Enqueue(element));
            }
            if (FailNextStep)
            {
                FailNextStep = false;
                throw new InvalidOperationException("the observer's write failed");
            }
            return Task.CompletedTask;
        }
    }

    [SkippableFact]
    public async Task A_step_observer_sees_each_step_in_its_transaction_and_its_after_commit_work_runs_only_after_commit()
    {
        var (database, time) = await PrepareAsync();
        await using var _ = database;
        var observer = new RecordingObserver();
        var runtime = new WorkflowRuntime(new WorkflowStore(database.Database), new RecordingScheduler(), new NoStatutoryTime(), [], time,
            NullLogger<WorkflowRuntime>.Instance, [observer]);
        await PublishAsync(runtime, Bpmn.ReviewWithTimer("observed-review", "P1D"));

        var instance = await runtime.StartAsync("observed-review", "case-1", [], "suzhou", "acceptance.suzhou");
        Assert.Equal(["review"], observer.Seen);
        Assert.Equal(["review"], observer.AfterCommit);

        // The timer's step creates the escalation task: seen and handed on after its own commit.
        time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        Assert.Equal(1, await runtime.FireDueTimersAsync());
        Assert.Equal(["review", "escalate"], observer.AfterCommit);

        // A failing observer fails the step: nothing of it is stored and its after-commit work never runs.
        observer.FailNextStep = true;
        await Assert.ThrowsAsync<InvalidOperationException>(() => runtime.StartAsync("observed-review", "case-2", [], "suzhou", "acceptance.suzhou"));
        Assert.Equal(["review", "escalate", "review"], observer.Seen);
        Assert.Equal(["review", "escalate"], observer.AfterCommit);
        var store = new WorkflowStore(database.Database);
        Assert.Single(await store.ListTasksAsync(new TaskQuery { DefinitionKey = "observed-review", Status = TaskStatus.Open }));
        Assert.Equal(InstanceStatus.Running, (await store.FindInstanceAsync(instance.Id))!.State.Status);
    }

    [SkippableFact]
    public async Task Pending_timers_fire_exactly_once_on_a_new_node_after_a_restart()
    {
        var (database, time) = await PrepareAsync();
        await using var _ = database;
        var first = new RecordingScheduler();
        var before = RuntimeOn(database, time, first);
        await PublishAsync(before, Bpmn.ReviewWithTimer("late-review", "P1D"));
        var instances = new List<Guid>();
        for (var i = 0; i < 3; i++)
            instances.Add((await before.StartAsync("late-review", $"case-{i}", [], "suzhou", "acceptance.suzhou")).Id);
        Assert.Equal(3, first.Armed.Count);

        // The first node is gone (its in-memory Hangfire queue with it). A day later a new node starts on the same database.
        time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        var after = RuntimeOn(database, time);

        Assert.Equal(3, await after.FireDueTimersAsync());
        Assert.Equal(0, await after.FireDueTimersAsync());
        foreach (var id in instances)
        {
            Assert.Equal(1, await JournalCountAsync(new WorkflowStore(database.Database), id, "timer.fired"));
            var instance = await new WorkflowStore(database.Database).FindInstanceAsync(id);
            Assert.Equal(["escalate"], instance!.State.ActiveElementIds);
        }
    }

    [SkippableFact]
    public async Task A_duplicate_timer_delivery_does_nothing_and_an_early_one_waits()
    {
        var (database, time) = await PrepareAsync();
        await using var _ = database;
        var scheduler = new RecordingScheduler();
        var runtime = RuntimeOn(database, time, scheduler);
        await PublishAsync(runtime, Bpmn.ReviewWithTimer("late-review", "PT2H"));
        var instance = await runtime.StartAsync("late-review", "case-1", [], "suzhou", "acceptance.suzhou");
        var (timerId, _) = Assert.Single(scheduler.Armed);

        Assert.False(await runtime.FireTimerAsync(timerId)); // delivered before it is due: nothing happens
        time.Advance(TimeSpan.FromHours(2));
        var deliveries = await Task.WhenAll(runtime.FireTimerAsync(timerId), runtime.FireTimerAsync(timerId), runtime.FireTimerAsync(timerId));

        Assert.Equal(1, deliveries.Count(fired => fired));
        Assert.Equal(1, await JournalCountAsync(new WorkflowStore(database.Database), instance.Id, "timer.fired"));
        Assert.False(await runtime.FireTimerAsync(timerId));
    }

    [SkippableFact]
    public async Task A_batch_fires_two_timers_of_one_instance_and_the_timers_of_others_in_one_transaction()
    {
        var (database, time) = await PrepareAsync();
        await using var _ = database;
        var runtime = RuntimeOn(database, time);
        await PublishAsync(runtime, Bpmn.TwoTimers("two-timers", "PT1H"));
        await PublishAsync(runtime, Bpmn.ReviewWithTimer("late-review", "PT1H"));
        var pairs = new[]
        {
            (await runtime.StartAsync("two-timers", "pair-1", [], "suzhou", "acceptance.suzhou")).Id,
            (await runtime.StartAsync("two-timers", "pair-2", [], "suzhou", "acceptance.suzhou")).Id,
        };
        var single = (await runtime.StartAsync("late-review", "single", [], "suzhou", "acceptance.suzhou")).Id;
        var store = new WorkflowStore(database.Database);
        Assert.Equal(0, (await runtime.FireDueTimerBatchAsync(50)).Claimed); // nothing is due yet

        time.Advance(TimeSpan.FromHours(1));
        var batch = await runtime.FireDueTimerBatchAsync(50);

        Assert.Equal(new TimerBatch(5, 5, 0), batch);
        foreach (var id in pairs)
        {
            // The second timer saw the first's step (same transaction): the join completed once, one task.
            Assert.Equal(2, await JournalCountAsync(store, id, "timer.fired"));
            Assert.Equal(["after"], (await store.FindInstanceAsync(id))!.State.ActiveElementIds);
            Assert.Single(await store.ListTasksAsync(new TaskQuery { InstanceId = id, Status = TaskStatus.Open }));
        }
        Assert.Equal(["escalate"], (await store.FindInstanceAsync(single))!.State.ActiveElementIds);
        Assert.Empty(await store.DueTimersAsync(time.GetUtcNow(), 10));
        Assert.Equal(new TimerBatch(0, 0, 0), await runtime.FireDueTimerBatchAsync(50));
    }

    [SkippableFact]
    public async Task A_timer_finding_nothing_waiting_in_a_batch_does_not_hold_back_the_others()
    {
        var (database, time) = await PrepareAsync();
        await using var _ = database;
        var runtime = RuntimeOn(database, time);
        await PublishAsync(runtime, Bpmn.ReviewWithTimer("late-review", "PT1H"));
        var ended = (await runtime.StartAsync("late-review", "ended", [], "suzhou", "acceptance.suzhou")).Id;
        var store = new WorkflowStore(database.Database);
        var stale = Assert.Single(await store.DueTimersAsync(time.GetUtcNow().AddDays(1), 10)).Id;
        await runtime.CancelInstanceAsync(ended, "admin.province", "测试");
        // The row says pending although nothing waits for it any more (as a stale copy would).
        await using (var connection = await database.Database.OpenAsync())
            await Dapper.SqlMapper.ExecuteAsync(connection, "UPDATE workflow_timers SET status = 'pending' WHERE id = @stale", new { stale });
        var others = new List<Guid>();
        for (var i = 0; i < 3; i++)
            others.Add((await runtime.StartAsync("late-review", $"case-{i}", [], "suzhou", "acceptance.suzhou")).Id);

        time.Advance(TimeSpan.FromHours(1));
        var batch = await runtime.FireDueTimerBatchAsync(50);

        Assert.Equal(new TimerBatch(4, 4, 0), batch); // the stale one is marked fired too: that is the truth
        Assert.Equal(TimerStatus.Fired, (await store.FindTimerAsync(stale))!.Status);
        Assert.Equal(0, await JournalCountAsync(store, ended, "timer.fired"));
        foreach (var id in others)
        {
            Assert.Equal(1, await JournalCountAsync(store, id, "timer.fired"));
            Assert.Equal(["escalate"], (await store.FindInstanceAsync(id))!.State.ActiveElementIds);
        }
    }

    [SkippableFact]
    public async Task Concurrent_batches_fire_each_due_timer_exactly_once()
    {
        var (database, time) = await PrepareAsync();
        await using var _ = database;
        var runtime = RuntimeOn(database, time);
        var otherNode = RuntimeOn(database, time);
        await PublishAsync(runtime, Bpmn.ReviewWithTimer("late-review", "PT1H"));
        var instances = new List<Guid>();
        for (var i = 0; i < 120; i++)
            instances.Add((await runtime.StartAsync("late-review", $"case-{i}", [], "suzhou", "acceptance.suzhou")).Id);
        time.Advance(TimeSpan.FromHours(1));

        // Four workers on each of two "nodes", each claiming batches of 10 until none is left.
        var batches = new ConcurrentQueue<TimerBatch>();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            var node = worker % 2 == 0 ? runtime : otherNode;
            TimerBatch batch;
            do
            {
                batch = await node.FireDueTimerBatchAsync(10);
                batches.Enqueue(batch);
            } while (batch.Claimed == 10);
        })));

        Assert.Equal(120, batches.Sum(b => b.Fired));
        Assert.All(batches, b => Assert.Equal(0, b.Failed));
        var store = new WorkflowStore(database.Database);
        await using var connection = await database.Database.OpenAsync();
        Assert.Equal([1], await Dapper.SqlMapper.QueryAsync<int>(connection, "SELECT DISTINCT fired_count FROM workflow_timers"));
        Assert.Equal(120, (await store.ListTasksAsync(new TaskQuery { DefinitionKey = "late-review", Status = TaskStatus.Open, Limit = 500 }))
            .Count(t => t.ElementId == "escalate"));
    }

    [SkippableFact]
    public async Task Two_concurrent_completions_of_one_task_have_exactly_one_winner()
    {
        var (database, time) = await PrepareAsync();
        await using var _ = database;
        var runtime = RuntimeOn(database, time);
        var other = RuntimeOn(database, time); // a second node
        await PublishAsync(runtime, Bpmn.ReviewWithTimer("review-case", "P10D"));
        var instance = await runtime.StartAsync("review-case", "case-1", [], "suzhou", "acceptance.suzhou");
        var taskId = await OpenTaskAsync(new WorkflowStore(database.Database), instance.Id, "review");
        var form = new JsonObject { ["opinion"] = "同意" };

        var attempts = await Task.WhenAll(
            Outcome(() => CompleteAsync(runtime, taskId, Reviewer, form, "approve")),
            Outcome(() => CompleteAsync(other, taskId, OtherReviewer, form, "reject")));

        Assert.Single(attempts, a => a is null);
        var refusal = Assert.Single(attempts, a => a is not null)!;
        Assert.Contains(refusal.Kind, new[] { RefusalKind.Conflict, RefusalKind.Forbidden });
        var store = new WorkflowStore(database.Database);
        Assert.Equal(1, await JournalCountAsync(store, instance.Id, "task.completed"));
        Assert.Equal(TaskStatus.Completed, (await store.FindTaskAsync(taskId))!.Status);
        Assert.Equal(InstanceStatus.Completed, (await store.FindInstanceAsync(instance.Id))!.State.Status);
    }

    private static async Task<EngineRefusal?> Outcome(Func<Task> action)
    {
        try
        {
            await action();
            return null;
        }
        catch (EngineRefusal e)
        {
            return e;
        }
    }

    [SkippableFact]
    public async Task A_replayed_completion_returns_the_first_answer_and_changes_nothing()
    {
        var (database, time) = await PrepareAsync();
        await using var _ = database;
        var runtime = RuntimeOn(database, time);
        await PublishAsync(runtime, Bpmn.TwoTasks("two", "check", "approve"));
        var instance = await runtime.StartAsync("two", "case-1", [], "suzhou", "acceptance.suzhou");
        var store = new WorkflowStore(database.Database);
        var taskId = await OpenTaskAsync(store, instance.Id, "check");

        var first = await CompleteAsync(runtime, taskId, Reviewer, key: "retry-7f3a");
        var replay = await CompleteAsync(runtime, taskId, Reviewer, key: "retry-7f3a");

        Assert.Equal(first, replay);
        Assert.Equal(1, await JournalCountAsync(store, instance.Id, "task.completed"));
        // Without the key, the same call is refused: the task is done.
        var refusal = await Assert.ThrowsAsync<EngineRefusal>(() => CompleteAsync(runtime, taskId, Reviewer));
        Assert.Equal(RefusalKind.Conflict, refusal.Kind);
    }

    [SkippableFact]
    public async Task Claiming_is_exclusive_and_only_the_assignee_completes()
    {
        var (database, time) = await PrepareAsync();
        await using var _ = database;
        var runtime = RuntimeOn(database, time);
        await PublishAsync(runtime, Bpmn.OneTask("one", "review"));
        var instance = await runtime.StartAsync("one", "case-1", [], "suzhou", "acceptance.suzhou");
        var taskId = await OpenTaskAsync(new WorkflowStore(database.Database), instance.Id, "review");

        var claimed = await runtime.ClaimAsync(taskId, Reviewer);
        Assert.Equal("review.suzhou", claimed.Assignee);
        Assert.Equal(RefusalKind.Conflict, (await Assert.ThrowsAsync<EngineRefusal>(() => runtime.ClaimAsync(taskId, OtherReviewer))).Kind);
        Assert.Equal(RefusalKind.Forbidden, (await Assert.ThrowsAsync<EngineRefusal>(() => CompleteAsync(runtime, taskId, OtherReviewer))).Kind);
        Assert.Equal(RefusalKind.Forbidden, (await Assert.ThrowsAsync<EngineRefusal>(() => runtime.UnclaimAsync(taskId, OtherReviewer))).Kind);
        // Another city does not even see it; a group that is not a candidate may not take it.
        Assert.Equal(RefusalKind.NotFound, (await Assert.ThrowsAsync<EngineRefusal>(() =>
            runtime.ClaimAsync(taskId, new TaskActor("review.nanjing", "nanjing", ["review"])))).Kind);
        Assert.Equal(RefusalKind.Forbidden, (await Assert.ThrowsAsync<EngineRefusal>(() =>
            runtime.ClaimAsync(taskId, new TaskActor("approver.suzhou", "suzhou", ["approver"])))).Kind);

        var unclaimed = await runtime.UnclaimAsync(taskId, Reviewer);
        Assert.Null(unclaimed.Assignee);
        await runtime.ClaimAsync(taskId, OtherReviewer);
        await CompleteAsync(runtime, taskId, OtherReviewer);
        var journal = await new WorkflowStore(database.Database).JournalAsync(instance.Id);
        Assert.Equal(["task.claimed", "task.unclaimed", "task.claimed", "task.completed"],
            journal.Where(j => j.Kind.StartsWith("task.") && j.Kind != "task.created").Select(j => j.Kind).ToList());
    }

    [SkippableFact]
    public async Task A_message_reaches_every_instance_waiting_under_its_key()
    {
        var (database, time) = await PrepareAsync();
        await using var _ = database;
        var runtime = RuntimeOn(database, time);
        await PublishAsync(runtime, Bpmn.WaitForRevocation("fast-track"));
        var waiting = new List<Guid>();
        for (var i = 0; i < 3; i++)
            waiting.Add((await runtime.StartAsync("fast-track", $"case-{i}", new JsonObject { ["caseNumber"] = "E-91320500" }, "suzhou", "acceptance.suzhou")).Id);
        var bystander = await runtime.StartAsync("fast-track", "case-x", new JsonObject { ["caseNumber"] = "E-00000000" }, "suzhou", "acceptance.suzhou");

        Assert.Equal(0, await runtime.CorrelateAsync("incentive.revoked", "E-nobody", [], "enforcement.province"));
        Assert.Equal(3, await runtime.CorrelateAsync("incentive.revoked", "E-91320500", new JsonObject { ["revokedOn"] = "2026-10-20" }, "enforcement.province"));
        Assert.Equal(0, await runtime.CorrelateAsync("incentive.revoked", "E-91320500", [], "enforcement.province"));

        var store = new WorkflowStore(database.Database);
        foreach (var id in waiting)
        {
            var instance = (await store.FindInstanceAsync(id))!.State;
            Assert.Equal(InstanceStatus.Completed, instance.Status);
            Assert.Equal("2026-10-20", instance.Variables["revokedOn"]!.GetValue<string>());
        }
        Assert.Equal(InstanceStatus.Running, (await store.FindInstanceAsync(bystander.Id))!.State.Status);
    }

    [SkippableFact]
    public async Task A_failing_handler_raises_an_incident_and_a_retry_goes_on()
    {
        var (database, time) = await PrepareAsync();
        await using var _ = database;
        var handler = new FlakyHandler(failures: 1);
        var runtime = RuntimeOn(database, time, null, handler);
        await PublishAsync(runtime, Bpmn.ServiceThenReview("lookup", "register.lookup"));
        var instance = await runtime.StartAsync("lookup", "case-1", [], "suzhou", "acceptance.suzhou");
        var store = new WorkflowStore(database.Database);

        var incident = Assert.Single(await store.OpenIncidentsAsync(instance.Id));
        Assert.Equal("check", incident.ElementId);
        Assert.Contains("the register did not answer", incident.Message);
        Assert.Equal(["check"], (await store.FindInstanceAsync(instance.Id))!.State.ActiveElementIds);

        await runtime.RetryIncidentAsync(instance.Id, incident.Id, "admin.province");

        Assert.Empty(await store.OpenIncidentsAsync(instance.Id));
        var state = (await store.FindInstanceAsync(instance.Id))!.State;
        Assert.Equal(["review"], state.ActiveElementIds);
        Assert.True(state.Variables["registered"]!.GetValue<bool>());
        Assert.Equal(2, handler.Calls);
    }

    /// <summary>Throws the provider's own transient refusal (busy / deadlock victim) as often as told, then succeeds.</summary>
    private sealed class DeadlockedHandler(DatabaseProvider provider, int refusals) : IServiceTaskHandler
    {
        private int _calls;

        public string Name => "register.lookup";

        public int Calls => _calls;

        public Task<JsonObject?> ExecuteAsync(ServiceTaskContext context, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _calls) <= refusals
                ? throw (provider == DatabaseProvider.Postgres
                    ? new Npgsql.PostgresException("deadlock detected", "ERROR", "ERROR", Npgsql.PostgresErrorCodes.DeadlockDetected)
                    : new Microsoft.Data.Sqlite.SqliteException("database is locked", 5))
                : Task.FromResult<JsonObject?>(new JsonObject { ["registered"] = true });
    }

    [SkippableFact]
    public async Task A_transient_database_refusal_runs_the_whole_command_again_instead_of_failing_it()
    {
        var (database, time) = await PrepareAsync();
        await using var _ = database;
        var handler = new DeadlockedHandler(Provider, refusals: 2);
        var runtime = RuntimeOn(database, time, null, handler);
        await PublishAsync(runtime, Bpmn.ServiceThenReview("lookup", "register.lookup"));

        var instance = await runtime.StartAsync("lookup", "case-1", [], "suzhou", "acceptance.suzhou");

        // Run three times from the start: the first two transactions were rolled back, nothing of them is left.
        var store = new WorkflowStore(database.Database);
        Assert.Equal(3, handler.Calls);
        Assert.Empty(await store.OpenIncidentsAsync(instance.Id));
        var state = (await store.FindInstanceAsync(instance.Id))!.State;
        Assert.Equal(["review"], state.ActiveElementIds);
        Assert.Equal(1, await JournalCountAsync(store, instance.Id, "instance.started"));
        Assert.Single(await store.ListTasksAsync(new TaskQuery { InstanceId = instance.Id }));
    }

    [SkippableFact]
    public async Task A_transient_refusal_that_does_not_pass_is_a_conflict_and_stores_nothing()
    {
        var (database, time) = await PrepareAsync();
        await using var _ = database;
        var handler = new DeadlockedHandler(Provider, refusals: 100);
        var runtime = RuntimeOn(database, time, null, handler);
        await PublishAsync(runtime, Bpmn.ServiceThenReview("lookup", "register.lookup"));
        var id = Guid.NewGuid();

        var refusal = await Assert.ThrowsAsync<EngineRefusal>(() => runtime.StartAsync(id, "lookup", "case-1", [], "suzhou", "acceptance.suzhou"));

        Assert.Equal(RefusalKind.Conflict, refusal.Kind);
        Assert.Equal(5, handler.Calls);
        Assert.Null(await new WorkflowStore(database.Database).FindInstanceAsync(id));
    }

    [SkippableFact]
    public async Task A_start_under_a_chosen_id_runs_once_when_it_is_tried_twice()
    {
        var (database, time) = await PrepareAsync();
        await using var _ = database;
        var runtime = RuntimeOn(database, time);
        await PublishAsync(runtime, Bpmn.OneTask("once", "confirm"));
        var id = Guid.NewGuid();

        await runtime.StartAsync(id, "once", "case-1", [], "suzhou", "acceptance.suzhou");
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => runtime.StartAsync(id, "once", "case-1", [], "suzhou", "acceptance.suzhou"));

        var store = new WorkflowStore(database.Database);
        Assert.Equal(1, await JournalCountAsync(store, id, "instance.started"));
        Assert.Single(await store.ListTasksAsync(new TaskQuery { InstanceId = id }));
    }

    [SkippableFact]
    public async Task A_call_activity_waits_for_its_child_and_continues_when_the_child_completes()
    {
        var (database, time) = await PrepareAsync();
        await using var _ = database;
        var runtime = RuntimeOn(database, time);
        await PublishAsync(runtime, Bpmn.OneTask("quota-confirmation", "confirm"));
        await PublishAsync(runtime, Bpmn.Calling("eia", "quota-confirmation"));
        var parent = await runtime.StartAsync("eia", "EIA-1", new JsonObject { ["tonnes"] = 2 }, "suzhou", "acceptance.suzhou");
        var store = new WorkflowStore(database.Database);
        var parentState = (await store.FindInstanceAsync(parent.Id))!.State;
        var childId = parentState.Tokens.Single().ChildInstanceId!.Value;

        var childTask = await OpenTaskAsync(store, childId, "confirm");
        await CompleteAsync(runtime, childTask, Reviewer, new JsonObject { ["confirmed"] = true });

        var after = (await store.FindInstanceAsync(parent.Id))!.State;
        Assert.Equal(["after"], after.ActiveElementIds);
        Assert.True(after.Variables["confirmed"]!.GetValue<bool>());
        Assert.Equal(InstanceStatus.Completed, (await store.FindInstanceAsync(childId))!.State.Status);
    }

    [SkippableFact]
    public async Task Calling_a_definition_that_is_not_published_is_an_incident_on_the_call_activity()
    {
        var (database, time) = await PrepareAsync();
        await using var _ = database;
        var runtime = RuntimeOn(database, time);
        await PublishAsync(runtime, Bpmn.Calling("eia", "missing-child"));

        var parent = await runtime.StartAsync("eia", "EIA-1", [], "suzhou", "acceptance.suzhou");

        var incident = Assert.Single(await new WorkflowStore(database.Database).OpenIncidentsAsync(parent.Id));
        Assert.Equal("call", incident.ElementId);
        Assert.Contains("missing-child", incident.Message);
    }

    [SkippableFact]
    public async Task A_timer_start_event_starts_an_instance_once_when_due()
    {
        var (database, time) = await PrepareAsync();
        await using var _ = database;
        var runtime = RuntimeOn(database, time);
        await PublishAsync(runtime, Bpmn.StartedAt("finance-batch", "2026-10-13T09:00:00+08:00"));
        var store = new WorkflowStore(database.Database);

        Assert.Equal(0, await runtime.FireDueTimersAsync());
        time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(1, await runtime.FireDueTimersAsync());
        Assert.Equal(0, await runtime.FireDueTimersAsync());

        var definition = await store.LatestPublishedAsync("finance-batch");
        var started = Assert.Single(await store.RunningInstancesAsync("finance-batch", definition!.Version));
        Assert.Equal(WorkflowRuntime.TimerStartOrganisation, started.Organisation);
    }

    [SkippableFact]
    public async Task Versions_never_break_running_instances_and_migration_moves_one_on_request()
    {
        var (database, time) = await PrepareAsync();
        await using var _ = database;
        var runtime = RuntimeOn(database, time);
        await PublishAsync(runtime, Bpmn.OneTask("permit", "review"));
        var old = await runtime.StartAsync("permit", "P-1", [], "suzhou", "acceptance.suzhou");
        await PublishAsync(runtime, Bpmn.TwoTasks("permit", "check", "final-review"));
        var store = new WorkflowStore(database.Database);

        // New instances start on version 2; the old one stays on version 1.
        var fresh = await runtime.StartAsync("permit", "P-2", [], "suzhou", "acceptance.suzhou");
        Assert.Equal(2, (await store.FindInstanceAsync(fresh.Id))!.State.Version);
        Assert.Equal(1, (await store.FindInstanceAsync(old.Id))!.State.Version);

        var refused = await runtime.MigrateAsync(old.Id, 2, new Dictionary<string, string>(), dryRun: true, "admin.province");
        Assert.Equal("review", Assert.Single(refused.Problems).ElementId);
        var notApplied = await runtime.MigrateAsync(old.Id, 2, new Dictionary<string, string>(), dryRun: false, "admin.province");
        Assert.False(notApplied.Migrated);
        Assert.Equal(1, (await store.FindInstanceAsync(old.Id))!.State.Version);

        var mapping = new Dictionary<string, string> { ["review"] = "final-review" };
        var dryRun = await runtime.MigrateAsync(old.Id, 2, mapping, dryRun: true, "admin.province");
        Assert.Empty(dryRun.Problems);
        Assert.Equal(1, (await store.FindInstanceAsync(old.Id))!.State.Version);

        var migrated = await runtime.MigrateAsync(old.Id, 2, mapping, dryRun: false, "admin.province");
        Assert.True(migrated.Migrated);
        var state = (await store.FindInstanceAsync(old.Id))!.State;
        Assert.Equal(2, state.Version);
        Assert.Equal(["final-review"], state.ActiveElementIds);
        var taskId = await OpenTaskAsync(store, old.Id, "final-review");
        await CompleteAsync(runtime, taskId, Reviewer);
        Assert.Equal(InstanceStatus.Completed, (await store.FindInstanceAsync(old.Id))!.State.Status);
        Assert.Equal(1, await JournalCountAsync(store, old.Id, "instance.migrated"));
    }

    [SkippableFact]
    public async Task Publishing_and_retiring_follow_draft_published_retired()
    {
        var (database, time) = await PrepareAsync();
        await using var _ = database;
        var runtime = RuntimeOn(database, time);
        var deployed = await runtime.DeployAsync(Bpmn.OneTask("permit", "review"), "admin.province");

        Assert.Equal(DefinitionStatus.Draft, deployed.Version!.Status);
        await Assert.ThrowsAsync<EngineRefusal>(() => runtime.StartAsync("permit", "P-1", [], "suzhou", "x"));
        await Assert.ThrowsAsync<EngineRefusal>(() => runtime.RetireAsync("permit", 1, "admin.province"));
        await runtime.PublishAsync("permit", 1, "admin.province");
        await Assert.ThrowsAsync<EngineRefusal>(() => runtime.PublishAsync("permit", 1, "admin.province"));
        var running = await runtime.StartAsync("permit", "P-1", [], "suzhou", "x");
        await runtime.RetireAsync("permit", 1, "admin.province");

        Assert.Equal(RefusalKind.NotFound, (await Assert.ThrowsAsync<EngineRefusal>(() => runtime.StartAsync("permit", "P-2", [], "suzhou", "x"))).Kind);
        // The running instance goes on to its end on the retired version.
        var store = new WorkflowStore(database.Database);
        await CompleteAsync(runtime, await OpenTaskAsync(store, running.Id, "review"), Reviewer);
        Assert.Equal(InstanceStatus.Completed, (await store.FindInstanceAsync(running.Id))!.State.Status);
    }

    [SkippableFact]
    public async Task An_invalid_file_is_refused_with_its_problems_and_nothing_is_stored()
    {
        var (database, time) = await PrepareAsync();
        await using var _ = database;
        var runtime = RuntimeOn(database, time);

        var refused = await runtime.DeployAsync(Bpmn.ServiceThenReview("lookup", "no.such.handler"), "admin.province");

        Assert.False(refused.IsValid);
        Assert.Contains(refused.Problems, p => p.ElementId == "check");
        Assert.Empty(await new WorkflowStore(database.Database).ListDefinitionsAsync());
    }
}

public sealed class SqliteWorkflowRuntime : WorkflowRuntimeConformance
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class PostgresWorkflowRuntime : WorkflowRuntimeConformance
{
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;
}

public sealed class SqlServerWorkflowRuntime : WorkflowRuntimeConformance
{
    protected override DatabaseProvider Provider => DatabaseProvider.SqlServer;
}
