using System.Data.Common;
using System.Diagnostics;
using System.Text.Json.Nodes;
using CleanProdFlow.Data.Database;
using CleanProdFlow.Data.Tests.Runtime;
using CleanProdFlow.Data.Workflows;
using CleanProdFlow.Engine.Execution;
using CleanProdFlow.Engine.Model;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.TestSupport;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using TaskStatus = CleanProdFlow.Engine.Runtime.TaskStatus;

namespace CleanProdFlow.Data.Tests.Workflows;

/// <summary>
/// A session's writes on PostgreSQL wait in a batch (<see cref="PostgresWriteBatch"/>): they must still run in the
/// order they were made, be seen by every later read of the command, fail with the statement that failed and leave
/// nothing behind when one of them fails. The same promises hold on SQLite, where each write runs at once.
/// </summary>
public abstract class WriteBatchConformance
{
    protected abstract DatabaseProvider Provider { get; }

    private static readonly DateTimeOffset Noon = WorkflowStoreData.Noon;

    private Task<TestDatabase> MigratedDatabaseAsync() => WorkflowStoreData.MigratedDatabaseAsync(Provider);

    private static InstanceState NewState() => WorkflowStoreData.NewState(businessKey: "EIA-2026-007");

    private static UserTask UserTaskNamed(string id, params string[] groups) => new(id, id) { CandidateGroups = groups };

    private static async Task<long> CountAsync(TestDatabase database, string sql, object parameters)
    {
        await using var connection = await database.Database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>(sql, parameters);
    }

    [SkippableFact]
    public async Task A_later_write_that_fails_fails_with_its_own_error_and_leaves_none_of_the_earlier_writes()
    {
        await using var database = await MigratedDatabaseAsync();
        var store = new WorkflowStore(database.Database);
        var state = NewState();
        var taskId = Guid.NewGuid();

        DbException failure;
        await using (var session = await store.BeginAsync())
        {
            await session.InsertInstanceAsync(state, Noon);
            // The same task twice: the second insert violates the task table's key after the instance, the first task,
            // its groups and nothing else were written.
            failure = await Assert.ThrowsAnyAsync<DbException>(() => session.ApplyEffectsAsync(state,
            [
                new TaskCreated(taskId, state.Tokens[0].Id, UserTaskNamed("review", "review", "approver"), "suzhou", Noon.AddDays(20)),
                new TimerArmed(Guid.NewGuid(), state.Tokens[0].Id, "late", Noon.AddDays(1)),
                new TaskCreated(taskId, state.Tokens[0].Id, UserTaskNamed("review", "review"), "suzhou", null),
                new JournalEntry("task.created", "review", "system"),
            ], Noon));
        }

        Assert.True(database.Database.Dialect.IsUniqueViolation(failure), failure.Message);
        if (failure is PostgresException postgres) // the error of the task insert, not of the batch as a whole
            Assert.Equal(("workflow_tasks", "workflow_tasks_pkey"), (postgres.TableName, postgres.ConstraintName));
        Assert.Null(await store.FindInstanceAsync(state.Id));
        Assert.Null(await store.FindTaskAsync(taskId));
        Assert.Equal(0, await CountAsync(database, "SELECT COUNT(*) FROM workflow_task_candidate_groups WHERE task_id = @taskId", new { taskId }));
        Assert.Equal(0, await CountAsync(database, "SELECT COUNT(*) FROM workflow_timers WHERE instance_id = @id", new { id = state.Id }));
        Assert.Empty(await store.JournalAsync(state.Id));
    }

    [SkippableFact]
    public async Task Queued_writes_run_in_order_and_every_later_read_of_the_command_sees_them()
    {
        await using var database = await MigratedDatabaseAsync();
        var store = new WorkflowStore(database.Database);
        var state = NewState();
        var taskId = Guid.NewGuid();
        var timerId = Guid.NewGuid();

        await using (var session = await store.BeginAsync())
        {
            // The session's own read sees the queued insert.
            await session.InsertInstanceAsync(state, Noon);
            var loaded = await session.LoadInstanceAsync(state.Id);
            Assert.NotNull(loaded);
            Assert.Equal(1, loaded.RowVersion);

            // Order matters for each pair: created then completed, armed then cancelled, moved (groups deleted, then the new ones).
            await session.ApplyEffectsAsync(state,
            [
                new TaskCreated(taskId, state.Tokens[0].Id, UserTaskNamed("review", "review", "approver"), "suzhou", null),
                new TimerArmed(timerId, state.Tokens[0].Id, "late", Noon.AddDays(1)),
                new TaskMoved(taskId, UserTaskNamed("review-2", "approver", "legal")),
                new TimerCancelled(timerId),
                new TaskCompleted(taskId, "review.suzhou", "approve"),
                new JournalEntry("task.completed", "review-2", "review.suzhou"),
            ], Noon);

            // Statements others run on the command's transaction (observers, handlers) come after the step's writes.
            var transaction = session.Transaction;
            Assert.Equal("completed", await transaction.Connection!.ExecuteScalarAsync<string>(
                "SELECT status FROM workflow_tasks WHERE id = @taskId", new { taskId }, transaction));

            // A write queued after that (a claim's journal row) is seen by the next read through the transaction as well.
            await session.AppendJournalAsync(state.Id, "task.claimed", "review-2", "review.suzhou", null, Noon.AddMinutes(1));
            Assert.Equal(2, await transaction.Connection!.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM workflow_journal WHERE instance_id = @id", new { id = state.Id }, session.Transaction));
            // ... and by the session's next read: the row version the claim moved on.
            Assert.Equal(2, (await session.LoadInstanceAsync(state.Id))!.RowVersion);
            await session.CommitAsync();
        }

        var task = await store.FindTaskAsync(taskId);
        Assert.NotNull(task);
        Assert.Equal((TaskStatus.Completed, "review-2", "approve"), (task.Status, task.ElementId, task.Outcome));
        Assert.Equal(["approver", "legal"], task.CandidateGroups.Order());
        Assert.Equal(TimerStatus.Cancelled, (await store.FindTimerAsync(timerId))!.Status);
        Assert.Equal(["task.completed", "task.claimed"], (await store.JournalAsync(state.Id)).Select(j => j.Kind));
    }

    [SkippableFact]
    public async Task A_row_count_that_decides_sees_the_queued_writes_before_it()
    {
        await using var database = await MigratedDatabaseAsync();
        var store = new WorkflowStore(database.Database);
        var state = NewState();
        var timerId = Guid.NewGuid();

        await using (var session = await store.BeginAsync())
        {
            await session.InsertInstanceAsync(state, Noon);
            await session.ApplyEffectsAsync(state, [new TimerArmed(timerId, state.Tokens[0].Id, "late", Noon.AddDays(1))], Noon);
            // The update of the row inserted in this command counts it; the timer armed in this command is pending.
            Assert.True(await session.UpdateInstanceAsync(state, 1, Noon));
            Assert.False(await session.UpdateInstanceAsync(state, 1, Noon));
            Assert.True(await session.MarkTimerFiredAsync(timerId, Noon.AddDays(1)));
            Assert.False(await session.MarkTimerFiredAsync(timerId, Noon.AddDays(1)));
            // Armed again (a repeating timer): the same row is pending again with the new due date.
            await session.ApplyEffectsAsync(state, [new TimerArmed(timerId, state.Tokens[0].Id, "late", Noon.AddDays(2))], Noon);
            await session.CommitAsync();
        }

        var timer = await store.FindTimerAsync(timerId);
        Assert.NotNull(timer);
        Assert.Equal((Noon.AddDays(2), 1), (timer.DueAt, timer.FiredCount));
        Assert.Equal(TimerStatus.Pending, timer.Status);
        Assert.Equal(2, (await store.FindInstanceAsync(state.Id))!.RowVersion);
    }
}

public sealed class SqliteWriteBatchConformance : WriteBatchConformance
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class PostgresWriteBatchConformance : WriteBatchConformance
{
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;

    private static readonly DateTimeOffset Monday = new(2026, 10, 12, 9, 0, 0, TimeSpan.FromHours(8));

    private const string Listener = "CleanProdFlow.Tests.RoundTrips";

    private static readonly ActivitySource Probe = new(Listener);

    /// <summary>start → first (user task, 1-day boundary timer) → second (user task, 1-day boundary timer) → end.</summary>
    private static string TwoReviews(string key) => Bpmn.Process(key, """
            <bpmn:startEvent id="start" />
            <bpmn:userTask id="first" name="初审" cpf:candidateGroups="review" />
            <bpmn:boundaryEvent id="first-late" attachedToRef="first">
              <bpmn:timerEventDefinition><bpmn:timeDuration>P1D</bpmn:timeDuration></bpmn:timerEventDefinition>
            </bpmn:boundaryEvent>
            <bpmn:userTask id="second" name="复审" cpf:candidateGroups="review,approver" />
            <bpmn:boundaryEvent id="second-late" attachedToRef="second">
              <bpmn:timerEventDefinition><bpmn:timeDuration>P1D</bpmn:timeDuration></bpmn:timerEventDefinition>
            </bpmn:boundaryEvent>
            <bpmn:endEvent id="end" />
            <bpmn:endEvent id="end-late" />
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="first" />
            <bpmn:sequenceFlow id="f2" sourceRef="first" targetRef="second" />
            <bpmn:sequenceFlow id="f3" sourceRef="second" targetRef="end" />
            <bpmn:sequenceFlow id="f4" sourceRef="first-late" targetRef="end-late" />
            <bpmn:sequenceFlow id="f5" sourceRef="second-late" targetRef="end-late" />
        """);

    /// <summary>
    /// Npgsql traces each command or batch it sends (one round trip each; BEGIN rides on the first, COMMIT goes alone
    /// or last in a batch). Completing a task that cancels its timer, creates the next task with two groups, arms its
    /// timer and journals the step took ten statements with an idempotency key (two reads outside the command's
    /// transaction, the reply looked up again inside, the instance read and updated, five writes, the reply saved);
    /// the step's writes now share one round trip.
    /// </summary>
    [SkippableFact]
    public async Task A_task_completion_takes_a_bounded_number_of_round_trips()
    {
        await using var database = await TestDatabase.CreateAsync(Provider);
        await new DatabaseMigrator(database.Database, NullLogger<DatabaseMigrator>.Instance).MigrateAsync();
        var store = new WorkflowStore(database.Database);
        var runtime = new WorkflowRuntime(store, new NoScheduler(), new NoClocks(), [], new FakeTimeProvider(Monday),
            NullLogger<WorkflowRuntime>.Instance);
        var deployed = await runtime.DeployAsync(TwoReviews("two-reviews"), "admin.province");
        await runtime.PublishAsync("two-reviews", deployed.Version!.Version, "admin.province");
        var started = await runtime.StartAsync("two-reviews", "case-1", [], "suzhou", "acceptance.suzhou");
        var first = (await store.ListTasksAsync(new TaskQuery { InstanceId = started.Id, Status = TaskStatus.Open })).Single();

        var sent = new List<string>();
        using (var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is Listener or "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        })
        {
            // Only this test's commands: Npgsql's activities are children of the probe's (it flows with the awaits).
            listener.ActivityStopped = activity =>
            {
                if (activity.Source.Name == "Npgsql" && activity.Parent?.Source.Name == Listener)
                    lock (sent)
                        sent.Add(activity.GetTagItem("db.query.text") as string ?? activity.DisplayName);
            };
            ActivitySource.AddActivityListener(listener);
            using (Probe.StartActivity("complete"))
            {
                await runtime.CompleteTaskAsync(first.Id, new TaskActor("review.suzhou", "suzhou", ["review"]), null, [], "key-1",
                    done => new IdempotentReply(200, WorkflowRuntime.Serialize(done)));
            }
        }

        var second = (await store.ListTasksAsync(new TaskQuery { InstanceId = started.Id, Status = TaskStatus.Open })).Single();
        Assert.Equal("second", second.ElementId);
        Assert.Equal(["approver", "review"], second.CandidateGroups.Order());
        var writes = sent.Where(s => !s.StartsWith("SELECT", StringComparison.Ordinal)).ToList();
        Assert.True(sent.Count <= 7, $"{sent.Count} round trips:\n{string.Join("\n", sent)}");
        // The instance update alone (its row count decides), then one batch with every projection, then the reply.
        Assert.Equal(3, writes.Count);
        Assert.StartsWith("UPDATE workflow_instances ", writes[0]);
        foreach (var table in new[] { "UPDATE workflow_tasks", "UPDATE workflow_timers", "INSERT INTO workflow_tasks",
                     "INSERT INTO workflow_task_candidate_groups", "INSERT INTO workflow_timers", "INSERT INTO workflow_journal" })
            Assert.Contains(table, writes[1]);
        Assert.StartsWith("INSERT INTO idempotency_replies ", writes[2]);
    }

    private sealed class NoScheduler : ITimerScheduler
    {
        public void Schedule(Guid timerId, DateTimeOffset dueAt)
        {
        }
    }

    private sealed class NoClocks : IStatutoryDueDates
    {
        public bool IsKnownRule(string ruleId) => false;

        public DateTimeOffset RuleDueAt(string ruleId, bool fastTrack, DateTimeOffset from) => throw new InvalidOperationException();

        public Task<IReadOnlyDictionary<string, ClockTimes>> ClockTimesAsync(Guid instanceId, DbTransaction? transaction,
            CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyDictionary<string, ClockTimes>>(new Dictionary<string, ClockTimes>());
    }
}
