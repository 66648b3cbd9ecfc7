using System.Data.Common;
using System.Text.Json.Nodes;
using CleanProdFlow.Data.Database;
using CleanProdFlow.Data.Workflows;
using CleanProdFlow.Engine.Execution;
using CleanProdFlow.Engine.Model;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.TestSupport;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using TaskStatus = CleanProdFlow.Engine.Runtime.TaskStatus;

namespace CleanProdFlow.Data.Tests.Workflows;

/// <summary>
/// What the workflow store promises the engine, written once and run on every provider (one subclass each, as in
/// <see cref="StoreConformance"/>). States and effects are built directly; no interpreter is involved.
/// </summary>
public abstract class WorkflowStoreConformance
{
    protected abstract DatabaseProvider Provider { get; }

    private static readonly DateTimeOffset Noon = WorkflowStoreData.Noon;

    private Task<TestDatabase> MigratedDatabaseAsync() => WorkflowStoreData.MigratedDatabaseAsync(Provider);

    private static InstanceState NewState(string organisation = "suzhou", string? businessKey = "EIA-2026-001", string definitionKey = "eia") =>
        WorkflowStoreData.NewState(organisation, businessKey, definitionKey);

    private static UserTask Review(params string[] groups) => new("review", "技术审查")
    {
        CandidateGroups = groups,
        Form = new FormDefinition([new FormField("opinion", FormFieldType.Text) { Label = "审查意见", Required = true },
            new FormField("decision", FormFieldType.Enum) { Options = ["approve", "reject"] }]),
        Outcomes = ["approve", "reject"],
    };

    private static async Task<InstanceState> StartAsync(IWorkflowStore store, InstanceState state, params Effect[] effects)
    {
        await using var session = await store.BeginAsync();
        await session.InsertInstanceAsync(state, Noon);
        await session.ApplyEffectsAsync(state, effects, Noon);
        await session.CommitAsync();
        return state;
    }

    private static async Task ApplyAsync(IWorkflowStore store, InstanceState state, DateTimeOffset now, params Effect[] effects)
    {
        await using var session = await store.BeginAsync();
        await session.ApplyEffectsAsync(state, effects, now);
        await session.CommitAsync();
    }

    // ------------------------------------------------------------------ definitions

    [SkippableFact]
    public async Task Definition_versions_count_up_per_key_and_change_status_only_from_the_expected_one()
    {
        await using var database = await MigratedDatabaseAsync();
        var store = new WorkflowStore(database.Database);

        var first = await store.AddVersionAsync("eia", "环评审批", "<definitions/>", "hash-1", "admin.province", Noon);
        var second = await store.AddVersionAsync("eia", "环评审批 v2", "<definitions v='2'/>", "hash-2", "admin.province", Noon.AddHours(1));
        var other = await store.AddVersionAsync("audit", null, "<definitions/>", "hash-3", "admin.province", Noon);

        Assert.Equal((1, 2, 1), (first.Version, second.Version, other.Version));
        Assert.Equal(DefinitionStatus.Draft, second.Status);
        Assert.Null(await store.LatestPublishedAsync("eia"));

        Assert.False(await store.ChangeStatusAsync("eia", 1, DefinitionStatus.Published, DefinitionStatus.Retired, Noon)); // still a draft
        Assert.True(await store.ChangeStatusAsync("eia", 1, DefinitionStatus.Draft, DefinitionStatus.Published, Noon.AddHours(2)));
        Assert.False(await store.ChangeStatusAsync("eia", 1, DefinitionStatus.Draft, DefinitionStatus.Published, Noon.AddHours(3))); // already published
        Assert.False(await store.ChangeStatusAsync("eia", 9, DefinitionStatus.Draft, DefinitionStatus.Published, Noon)); // no such version
        Assert.Equal(1, (await store.LatestPublishedAsync("eia"))!.Version);
        Assert.True(await store.ChangeStatusAsync("eia", 2, DefinitionStatus.Draft, DefinitionStatus.Published, Noon.AddHours(4)));
        Assert.True(await store.ChangeStatusAsync("eia", 1, DefinitionStatus.Published, DefinitionStatus.Retired, Noon.AddHours(5)));

        var one = await store.FindDefinitionAsync("eia", 1);
        Assert.NotNull(one);
        Assert.Equal(DefinitionStatus.Retired, one.Status);
        Assert.Equal(Noon.AddHours(2), one.PublishedAt);
        Assert.Equal(Noon.AddHours(5), one.RetiredAt);
        Assert.Equal(("<definitions/>", "hash-1", "admin.province", "环评审批", Noon), (one.Xml, one.ContentHash, one.CreatedBy, one.Name, one.CreatedAt));
        Assert.Equal(2, (await store.LatestPublishedAsync("eia"))!.Version);
        Assert.Null(await store.FindDefinitionAsync("eia", 3));
        Assert.Equal([1, 2], (await store.VersionsAsync("eia")).Select(v => v.Version));
        Assert.Equal([("audit", 1), ("eia", 2)], (await store.ListDefinitionsAsync()).Select(d => (d.Key, d.Version)));
    }

    [SkippableFact]
    public async Task Uploads_of_the_same_key_at_the_same_time_get_different_versions()
    {
        await using var database = await MigratedDatabaseAsync();
        var store = new WorkflowStore(database.Database);

        var uploads = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() =>
            store.AddVersionAsync("eia", $"upload {i}", $"<definitions n='{i}'/>", $"hash-{i}", "admin.province", Noon))));

        Assert.Equal([1, 2, 3, 4, 5, 6], uploads.Select(u => u.Version).Order());
        Assert.Equal(6, (await store.VersionsAsync("eia")).Count);
    }

    // ------------------------------------------------------------------ instances

    [SkippableFact]
    public async Task An_instance_is_inserted_loaded_and_updated_and_a_stale_update_writes_nothing()
    {
        await using var database = await MigratedDatabaseAsync();
        var store = new WorkflowStore(database.Database);
        var state = NewState();
        state.ParentInstanceId = Guid.NewGuid();
        await StartAsync(store, state);

        var loaded = await store.FindInstanceAsync(state.Id);
        Assert.NotNull(loaded);
        Assert.Equal(1, loaded.RowVersion);
        Assert.Equal(state.ToJson(), loaded.State.ToJson());
        Assert.Null(await store.FindInstanceAsync(Guid.NewGuid()));

        // Two commands read version 1; the first update wins, the second finds the row changed and writes nothing.
        var first = loaded.State.Clone();
        first.Variables["decision"] = "approve";
        var second = loaded.State.Clone();
        second.Variables["decision"] = "reject";
        await using (var session = await store.BeginAsync())
        {
            Assert.True(await session.UpdateInstanceAsync(first, 1, Noon.AddMinutes(1)));
            await session.CommitAsync();
        }
        await using (var session = await store.BeginAsync())
        {
            Assert.False(await session.UpdateInstanceAsync(second, 1, Noon.AddMinutes(2)));
            await session.CommitAsync();
        }

        var after = await store.FindInstanceAsync(state.Id);
        Assert.Equal(2, after!.RowVersion);
        Assert.Equal("approve", after.State.Variables["decision"]!.GetValue<string>());
        Assert.Equal(state.ParentInstanceId, after.State.ParentInstanceId);

        // Within a session the row is read with its version, and an update from that version succeeds.
        await using (var session = await store.BeginAsync())
        {
            var inSession = await session.LoadInstanceAsync(state.Id);
            Assert.Equal(2, inSession!.RowVersion);
            inSession.State.Status = InstanceStatus.Completed;
            Assert.True(await session.UpdateInstanceAsync(inSession.State, inSession.RowVersion, Noon.AddMinutes(3)));
            await session.CommitAsync();
        }
        var ended = await store.FindInstanceAsync(state.Id);
        Assert.Equal((3, InstanceStatus.Completed), (ended!.RowVersion, ended.State.Status));
        Assert.Empty(await store.RunningInstancesAsync("eia", 1));
    }

    [SkippableFact]
    public async Task Running_instances_of_a_version_are_listed_and_ending_or_migrating_moves_them_out()
    {
        await using var database = await MigratedDatabaseAsync();
        var store = new WorkflowStore(database.Database);
        var a = await StartAsync(store, NewState(businessKey: "A"));
        var b = await StartAsync(store, NewState(businessKey: "B", organisation: "wuxi"));
        var c = await StartAsync(store, NewState(businessKey: "C"));

        var running = await store.RunningInstancesAsync("eia", 1);
        Assert.Equal(["A", "B", "C"], running.Select(r => r.BusinessKey).Order());
        var summaryOfB = running.Single(r => r.Id == b.Id);
        Assert.Equal(("wuxi", InstanceStatus.Running, Noon, (DateTimeOffset?)null), (summaryOfB.Organisation, summaryOfB.Status, summaryOfB.StartedAt, summaryOfB.EndedAt));

        await ApplyAsync(store, a, Noon.AddHours(1), new InstanceEnded(InstanceStatus.Terminated));
        c.Version = 2;
        await ApplyAsync(store, c, Noon.AddHours(1), new InstanceMigrated(1, 2));

        Assert.Equal([b.Id], (await store.RunningInstancesAsync("eia", 1)).Select(r => r.Id));
        Assert.Equal([c.Id], (await store.RunningInstancesAsync("eia", 2)).Select(r => r.Id));
    }

    [SkippableFact]
    public async Task A_session_disposed_without_commit_writes_nothing()
    {
        await using var database = await MigratedDatabaseAsync();
        var store = new WorkflowStore(database.Database);
        var state = NewState();
        var taskId = Guid.NewGuid();

        await using (var session = await store.BeginAsync())
        {
            await session.InsertInstanceAsync(state, Noon);
            await session.ApplyEffectsAsync(state, [new TaskCreated(taskId, state.Tokens[0].Id, Review("review"), "suzhou", null),
                new JournalEntry("started", null, "acceptance.suzhou")], Noon);
            await session.SaveReplyAsync("start", "key-1", new IdempotentReply(201, "{}"), Noon);
            Assert.NotNull(await session.LoadInstanceAsync(state.Id)); // the session sees its own work
        }

        Assert.Null(await store.FindInstanceAsync(state.Id));
        Assert.Null(await store.FindTaskAsync(taskId));
        Assert.Empty(await store.JournalAsync(state.Id));
        await using var check = await store.BeginAsync();
        Assert.Null(await check.FindReplyAsync("start", "key-1"));
    }

    [SkippableFact]
    public async Task Ids_are_stored_so_that_each_database_compares_them_natively()
    {
        await using var database = await MigratedDatabaseAsync();
        var store = new WorkflowStore(database.Database);
        var state = await StartAsync(store, NewState());

        await using var connection = await database.Database.OpenAsync();
        var stored = await connection.ExecuteScalarAsync<object>("SELECT id FROM workflow_instances");
        if (Provider == DatabaseProvider.Sqlite)
            Assert.Equal(state.Id.ToString("D"), stored); // lower-case text, not a BLOB
        else
            Assert.Equal(state.Id, stored);
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM workflow_instances WHERE id = @id", new { id = state.Id }));
    }

    // ------------------------------------------------------------------ tasks

    [SkippableFact]
    public async Task Effects_create_complete_cancel_and_move_tasks()
    {
        await using var database = await MigratedDatabaseAsync();
        var store = new WorkflowStore(database.Database);
        var state = NewState();
        var (reviewId, otherId) = (Guid.NewGuid(), Guid.NewGuid());
        var due = new DateTimeOffset(2026, 12, 8, 9, 30, 0, TimeSpan.FromHours(8)).AddTicks(1234567);
        await StartAsync(store, state,
            new TaskCreated(reviewId, state.Tokens[0].Id, Review("review", "acceptance", "review"), "suzhou", due),
            new TaskCreated(otherId, state.Tokens[0].Id, new UserTask("accept", null), "wuxi", null));

        var review = await store.FindTaskAsync(reviewId);
        Assert.NotNull(review);
        Assert.Equal((state.Id, "eia", "EIA-2026-001", "review", "技术审查", "suzhou", (string?)null, TaskStatus.Open),
            (review.InstanceId, review.DefinitionKey, review.BusinessKey, review.ElementId, review.Name, review.Organisation, review.Assignee, review.Status));
        Assert.Equal(["acceptance", "review"], review.CandidateGroups);
        Assert.Equal(Noon, review.CreatedAt);
        Assert.Equal(Instants.ForStorage(due), review.DueAt); // UTC to the microsecond
        Assert.Equal("""["approve","reject"]""", review.OutcomesJson);
        var form = JsonNode.Parse(review.FormJson)!;
        Assert.Equal("opinion", form["fields"]![0]!["name"]!.GetValue<string>());
        Assert.Equal("text", form["fields"]![0]!["type"]!.GetValue<string>());
        Assert.True(form["fields"]![0]!["required"]!.GetValue<bool>());
        Assert.Equal("enum", form["fields"]![1]!["type"]!.GetValue<string>());

        var other = await store.FindTaskAsync(otherId);
        Assert.Equal(("accept", "wuxi", (DateTimeOffset?)null, """{"fields":[]}""", "[]"), (other!.Name, other.Organisation, other.DueAt, other.FormJson, other.OutcomesJson));
        Assert.Empty(other.CandidateGroups);

        // A migration moves the open task to another element of the new version, with its groups.
        var moved = new UserTask("review2", "复核") { CandidateGroups = ["approver"], Outcomes = ["ok"] };
        await ApplyAsync(store, state, Noon.AddHours(1), new TaskMoved(otherId, moved));
        var afterMove = await store.FindTaskAsync(otherId);
        Assert.Equal(("review2", "复核", """["ok"]"""), (afterMove!.ElementId, afterMove.Name, afterMove.OutcomesJson));
        Assert.Equal(["approver"], afterMove.CandidateGroups);

        await ApplyAsync(store, state, Noon.AddHours(2),
            new TaskCompleted(reviewId, "review.suzhou", "approve"),
            new TaskCancelled(otherId, "the instance was terminated"));
        var completed = await store.FindTaskAsync(reviewId);
        Assert.Equal((TaskStatus.Completed, Noon.AddHours(2), "review.suzhou", "approve"),
            (completed!.Status, completed.CompletedAt!.Value, completed.CompletedBy, completed.Outcome));
        var cancelled = await store.FindTaskAsync(otherId);
        Assert.Equal((TaskStatus.Cancelled, (DateTimeOffset?)null, (string?)null), (cancelled!.Status, cancelled.CompletedAt, cancelled.CompletedBy));

        // A completed task is not cancelled afterwards, nor completed twice.
        await ApplyAsync(store, state, Noon.AddHours(3), new TaskCancelled(reviewId, "late"), new TaskCompleted(reviewId, "someone.else", "reject"));
        var still = await store.FindTaskAsync(reviewId);
        Assert.Equal((TaskStatus.Completed, "review.suzhou", "approve"), (still!.Status, still.CompletedBy, still.Outcome));
        Assert.Null(await store.FindTaskAsync(Guid.NewGuid()));
    }

    [SkippableFact]
    public async Task A_due_date_that_moves_with_its_clock_moves_the_open_task_in_the_list()
    {
        await using var database = await MigratedDatabaseAsync();
        var store = new WorkflowStore(database.Database);
        var state = NewState();
        var (first, second) = (Guid.NewGuid(), Guid.NewGuid());
        await StartAsync(store, state,
            new TaskCreated(first, state.Tokens[0].Id, Review("review"), "suzhou", Noon.AddDays(1)),
            new TaskCreated(second, state.Tokens[0].Id, Review("review"), "suzhou", Noon.AddDays(2)));

        await ApplyAsync(store, state, Noon, new TaskDueChanged(first, null)); // paused: no due date while the clock stands
        Assert.Null((await store.FindTaskAsync(first))!.DueAt);
        Assert.Equal([second, first], (await store.ListTasksAsync(new TaskQuery())).Select(t => t.Id));

        await ApplyAsync(store, state, Noon, new TaskDueChanged(first, Noon.AddDays(3)), new TaskCompleted(second, "review.suzhou", null),
            new TaskDueChanged(second, Noon.AddDays(9))); // a closed task keeps its due date
        Assert.Equal(Noon.AddDays(3), (await store.FindTaskAsync(first))!.DueAt);
        Assert.Equal(Noon.AddDays(2), (await store.FindTaskAsync(second))!.DueAt);
    }

    [SkippableFact]
    public async Task An_open_task_is_claimed_and_unclaimed_only_from_the_expected_assignee()
    {
        await using var database = await MigratedDatabaseAsync();
        var store = new WorkflowStore(database.Database);
        var state = NewState();
        var taskId = Guid.NewGuid();
        await StartAsync(store, state, new TaskCreated(taskId, state.Tokens[0].Id, Review("review"), "suzhou", null));

        async Task<bool> SetAsync(string? expected, string? assignee)
        {
            await using var session = await store.BeginAsync();
            var changed = await session.SetAssigneeAsync(taskId, expected, assignee);
            await session.CommitAsync();
            return changed;
        }

        Assert.True(await SetAsync(null, "review.suzhou"));
        Assert.False(await SetAsync(null, "other.suzhou")); // already claimed
        Assert.Equal("review.suzhou", (await store.FindTaskAsync(taskId))!.Assignee);
        Assert.False(await SetAsync("other.suzhou", null));
        Assert.True(await SetAsync("review.suzhou", null));
        Assert.Null((await store.FindTaskAsync(taskId))!.Assignee);

        await ApplyAsync(store, state, Noon, new TaskCompleted(taskId, "review.suzhou", null));
        Assert.False(await SetAsync(null, "review.suzhou")); // not open any more
    }

    [SkippableFact]
    public async Task The_task_list_shows_what_organisations_and_groups_may_see_and_applies_the_filters()
    {
        await using var database = await MigratedDatabaseAsync();
        var store = new WorkflowStore(database.Database);
        var first = NewState(businessKey: "EIA-1");
        var second = NewState(businessKey: "EIA-2", definitionKey: "audit");
        var (a, b, c, d, e) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await StartAsync(store, first,
            new TaskCreated(a, first.Tokens[0].Id, Review("review"), "suzhou", Noon.AddDays(1)),
            new TaskCreated(b, first.Tokens[0].Id, Review("acceptance"), "suzhou", Noon.AddDays(2)),
            new TaskCreated(c, first.Tokens[0].Id, Review("review"), "wuxi", Noon.AddDays(3)));
        await StartAsync(store, second,
            new TaskCreated(d, second.Tokens[0].Id, Review("review", "approver"), "suzhou", Noon.AddDays(4)),
            new TaskCreated(e, second.Tokens[0].Id, Review(), "suzhou", null));
        await using (var session = await store.BeginAsync())
        {
            await session.SetAssigneeAsync(d, null, "review.suzhou");
            await session.CommitAsync();
        }
        await ApplyAsync(store, first, Noon, new TaskCompleted(b, "acceptance.suzhou", null));

        async Task<Guid[]> ListAsync(TaskQuery query) => (await store.ListTasksAsync(query)).Select(t => t.Id).ToArray();

        Assert.Equal([a, d], await ListAsync(new TaskQuery { Organisations = ["suzhou"], Groups = ["review"] }));
        Assert.Equal([a, c, d], await ListAsync(new TaskQuery { Groups = ["review"] }));
        Assert.Equal([a, b, d, e], await ListAsync(new TaskQuery { Organisations = ["suzhou"] }));
        Assert.Equal([a, b, c, d, e], await ListAsync(new TaskQuery()));
        Assert.Equal([a, b, d], await ListAsync(new TaskQuery { Organisations = ["suzhou", "nanjing"], Groups = ["review", "acceptance"] }));
        Assert.Empty(await ListAsync(new TaskQuery { Organisations = [] }));
        Assert.Empty(await ListAsync(new TaskQuery { Groups = [] }));
        Assert.Empty(await ListAsync(new TaskQuery { Organisations = ["suzhou"], Groups = ["auditor"] }));

        Assert.Equal([d], await ListAsync(new TaskQuery { CandidateGroup = "approver" }));
        Assert.Equal([d], await ListAsync(new TaskQuery { Organisations = ["suzhou"], Groups = ["review"], Assignee = "review.suzhou" }));
        Assert.Equal([a, c, d, e], await ListAsync(new TaskQuery { Status = TaskStatus.Open }));
        Assert.Equal([b], await ListAsync(new TaskQuery { Status = TaskStatus.Completed }));
        Assert.Equal([d, e], await ListAsync(new TaskQuery { InstanceId = second.Id }));
        Assert.Equal([d, e], await ListAsync(new TaskQuery { DefinitionKey = "audit" }));
        Assert.Equal([a, b, c], await ListAsync(new TaskQuery { BusinessKey = "EIA-1" }));
        Assert.Equal([a, d], await ListAsync(new TaskQuery { Status = TaskStatus.Open, Organisations = ["suzhou"], Groups = ["review"], Limit = 2 }));

        var withGroups = (await store.ListTasksAsync(new TaskQuery { InstanceId = second.Id })).ToDictionary(t => t.Id);
        Assert.Equal(["approver", "review"], withGroups[d].CandidateGroups);
        Assert.Empty(withGroups[e].CandidateGroups);
        Assert.Equal("review.suzhou", withGroups[d].Assignee);
    }

    [SkippableFact]
    public async Task Task_pages_follow_the_due_date_with_undated_tasks_last_without_duplicates_or_gaps()
    {
        await using var database = await MigratedDatabaseAsync();
        var store = new WorkflowStore(database.Database);
        var state = NewState();
        // 25 tasks: 20 with due dates, four of them sharing each date (ties are broken by id), and 5 without.
        var created = Enumerable.Range(0, 25).Select(i => new TaskCreated(Guid.NewGuid(), state.Tokens[0].Id, Review("review"), "suzhou",
            i < 20 ? Noon.AddDays(5 - i % 5).AddTicks(10 * (i % 2)) : null)).ToArray();
        await StartAsync(store, state, created.Cast<Effect>().Reverse().ToArray());

        var pages = new List<IReadOnlyList<TaskRecord>>();
        var query = new TaskQuery { Organisations = ["suzhou"], Groups = ["review"], Status = TaskStatus.Open, Limit = 10 };
        while (true)
        {
            var page = await store.ListTasksAsync(query);
            pages.Add(page);
            if (page.Count < query.Limit)
                break;
            query = query with { After = (page[^1].DueAt, page[^1].Id) };
        }
        var all = pages.SelectMany(p => p).ToList();
        var oneGo = await store.ListTasksAsync(new TaskQuery { Organisations = ["suzhou"], Groups = ["review"], Limit = 100 });

        Assert.Equal([10, 10, 5], pages.Select(p => p.Count));
        Assert.Equal(25, all.Select(t => t.Id).Distinct().Count());
        Assert.Equal(created.Select(c => c.TaskId).Order(), all.Select(t => t.Id).Order());
        Assert.Equal(oneGo.Select(t => t.Id), all.Select(t => t.Id));
        Assert.Equal(created.Where(c => c.DueAt is not null).Select(c => c.DueAt!.Value).Order(), all.Take(20).Select(t => t.DueAt!.Value));
        Assert.All(all.Skip(20), t => Assert.Null(t.DueAt));
        Assert.Empty(await store.ListTasksAsync(query with { After = (all[^1].DueAt, all[^1].Id) }));
    }

    // ------------------------------------------------------------------ timers

    [SkippableFact]
    public async Task Armed_timers_are_due_in_order_cancelled_ones_are_not_and_a_timer_fires_once()
    {
        await using var database = await MigratedDatabaseAsync();
        var store = new WorkflowStore(database.Database);
        var state = NewState();
        var (early, late, cancelled) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await StartAsync(store, state,
            new TimerArmed(late, state.Tokens[0].Id, "reminder", Noon.AddHours(2)),
            new TimerArmed(early, state.Tokens[0].Id, "deadline", Noon.AddHours(1)),
            new TimerArmed(cancelled, state.Tokens[0].Id, "other", Noon.AddMinutes(30)));
        await ApplyAsync(store, state, Noon, new TimerCancelled(cancelled));

        Assert.Empty(await store.DueTimersAsync(Noon.AddMinutes(59), 10));
        Assert.Equal([early], (await store.DueTimersAsync(Noon.AddHours(1), 10)).Select(t => t.Id));
        Assert.Equal([early, late], (await store.DueTimersAsync(Noon.AddDays(1), 10)).Select(t => t.Id));
        Assert.Equal([early], (await store.DueTimersAsync(Noon.AddDays(1), 1)).Select(t => t.Id));
        var timer = await store.FindTimerAsync(early);
        Assert.Equal(new TimerRecord(early, state.Id, "eia", 1, "deadline", Noon.AddHours(1), TimerStatus.Pending, 0), timer);
        Assert.Equal(TimerStatus.Cancelled, (await store.FindTimerAsync(cancelled))!.Status);

        await using (var session = await store.BeginAsync())
        {
            Assert.True(await session.MarkTimerFiredAsync(early, Noon.AddHours(1)));
            Assert.False(await session.MarkTimerFiredAsync(early, Noon.AddHours(1))); // a duplicate delivery does nothing
            Assert.False(await session.MarkTimerFiredAsync(cancelled, Noon.AddHours(1)));
            await session.ApplyEffectsAsync(state, [new TimerFired(early), new TimerCancelled(early)], Noon.AddHours(1));
            await session.CommitAsync();
        }
        var fired = await store.FindTimerAsync(early);
        Assert.Equal((TimerStatus.Fired, 1), (fired!.Status, fired.FiredCount));
        Assert.Equal([late], (await store.DueTimersAsync(Noon.AddDays(1), 10)).Select(t => t.Id));

        // A repeating timer armed again under its id is pending again with the new due date.
        await ApplyAsync(store, state, Noon.AddHours(1), new TimerArmed(early, state.Tokens[0].Id, "deadline", Noon.AddHours(5)));
        Assert.Equal(new TimerRecord(early, state.Id, "eia", 1, "deadline", Noon.AddHours(5), TimerStatus.Pending, 1), await store.FindTimerAsync(early));
        Assert.Null(await store.FindTimerAsync(Guid.NewGuid()));
    }

    [SkippableFact]
    public async Task Two_sessions_marking_the_same_timer_at_once_fire_it_exactly_once()
    {
        await using var database = await MigratedDatabaseAsync();
        var store = new WorkflowStore(database.Database);
        var timerId = Guid.NewGuid();
        await using (var session = await store.BeginAsync())
        {
            await session.InsertStartTimerAsync(timerId, "eia", 1, "everyMonday", Noon, 0, Noon);
            await session.CommitAsync();
        }

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            await using var session = await store.BeginAsync();
            var fired = await session.MarkTimerFiredAsync(timerId, Noon.AddSeconds(1));
            await session.CommitAsync();
            return fired;
        })));

        Assert.Single(results, fired => fired);
        Assert.Equal(1, (await store.FindTimerAsync(timerId))!.FiredCount);
    }

    [SkippableFact]
    public async Task Start_timers_belong_to_a_definition_version_and_are_cancelled_with_it()
    {
        await using var database = await MigratedDatabaseAsync();
        var store = new WorkflowStore(database.Database);
        var (v1, v2) = (Guid.NewGuid(), Guid.NewGuid());
        await using (var session = await store.BeginAsync())
        {
            await session.InsertStartTimerAsync(v1, "report", 1, "monthly", Noon.AddDays(7), 3, Noon);
            await session.InsertStartTimerAsync(v2, "report", 2, "monthly", Noon.AddDays(7), 0, Noon);
            await session.CommitAsync();
        }
        Assert.Equal(new TimerRecord(v1, null, "report", 1, "monthly", Noon.AddDays(7), TimerStatus.Pending, 3), await store.FindTimerAsync(v1));

        await using (var session = await store.BeginAsync())
        {
            await session.CancelStartTimersAsync("report", 1);
            await session.CommitAsync();
        }

        Assert.Equal(TimerStatus.Cancelled, (await store.FindTimerAsync(v1))!.Status);
        Assert.Equal([v2], (await store.DueTimersAsync(Noon.AddDays(30), 10)).Select(t => t.Id));
    }

    // ------------------------------------------------------------------ subscriptions, incidents, journal, replies

    [SkippableFact]
    public async Task Subscriptions_are_found_by_message_name_and_correlation_key_and_removed_on_unsubscribe()
    {
        await using var database = await MigratedDatabaseAsync();
        var store = new WorkflowStore(database.Database);
        var state = NewState();
        var (paid, paidOther, objection) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await StartAsync(store, state,
            new MessageSubscribed(paid, state.Tokens[0].Id, "waitPayment", "feePaid", "EIA-2026-001"),
            new MessageSubscribed(paidOther, state.Tokens[0].Id, "waitPayment", "feePaid", "EIA-2026-002"),
            new MessageSubscribed(objection, state.Tokens[0].Id, "objection", "publicObjection", "EIA-2026-001"));

        Assert.Equal([new MessageSubscriptionRecord(paid, state.Id, "feePaid", "EIA-2026-001", "waitPayment")],
            await store.SubscriptionsAsync("feePaid", "EIA-2026-001"));
        Assert.Equal([objection], (await store.SubscriptionsAsync("publicObjection", "EIA-2026-001")).Select(s => s.Id));
        Assert.Empty(await store.SubscriptionsAsync("feePaid", "EIA-2026-999"));

        await ApplyAsync(store, state, Noon, new MessageUnsubscribed(paid));

        Assert.Empty(await store.SubscriptionsAsync("feePaid", "EIA-2026-001"));
        Assert.Single(await store.SubscriptionsAsync("feePaid", "EIA-2026-002"));
    }

    [SkippableFact]
    public async Task Incidents_are_raised_retried_and_resolved()
    {
        await using var database = await MigratedDatabaseAsync();
        var store = new WorkflowStore(database.Database);
        var state = NewState();
        var incident = new Incident { Id = Guid.NewGuid(), TokenId = state.Tokens[0].Id, ElementId = "notify", Message = "smtp down", RaisedAt = Noon };
        var other = new Incident { Id = Guid.NewGuid(), TokenId = state.Tokens[0].Id, ElementId = "gateway", Message = "no condition held", RaisedAt = Noon.AddMinutes(1) };
        await StartAsync(store, state, new IncidentRaised(incident), new IncidentRaised(other));

        Assert.Equal([new IncidentRecord(incident.Id, state.Id, "notify", "smtp down", Noon, 1, null, null),
            new IncidentRecord(other.Id, state.Id, "gateway", "no condition held", Noon.AddMinutes(1), 1, null, null)],
            await store.OpenIncidentsAsync(state.Id));

        // A retry that fails again raises the same incident with more attempts: one row, updated.
        incident.Attempts = 2;
        incident.Message = "smtp still down";
        await ApplyAsync(store, state, Noon.AddMinutes(5), new IncidentRaised(incident), new IncidentResolved(other.Id, "admin.province"));

        var open = Assert.Single(await store.OpenIncidentsAsync(state.Id));
        Assert.Equal((incident.Id, 2, "smtp still down"), (open.Id, open.Attempts, open.Message));
        Assert.Empty(await store.OpenIncidentsAsync(Guid.NewGuid()));

        await ApplyAsync(store, state, Noon.AddMinutes(9), new IncidentResolved(incident.Id, "admin.province"),
            new IncidentResolved(incident.Id, "someone.else")); // a second resolution changes nothing
        Assert.Empty(await store.OpenIncidentsAsync(state.Id));
        await using var connection = await database.Database.OpenAsync();
        Assert.Equal("admin.province", await connection.ExecuteScalarAsync<string>(
            "SELECT resolved_by FROM workflow_incidents WHERE id = @id", new { id = incident.Id }));
        Assert.Equal(2, await connection.ExecuteScalarAsync<int>("SELECT attempts FROM workflow_incidents WHERE id = @id", new { id = incident.Id }));
    }

    [SkippableFact]
    public async Task The_journal_reads_back_in_order_and_refuses_updates_and_deletes()
    {
        await using var database = await MigratedDatabaseAsync();
        var store = new WorkflowStore(database.Database);
        var state = NewState();
        await StartAsync(store, state,
            new JournalEntry("started", null, "acceptance.suzhou", new JsonObject { ["businessKey"] = "EIA-2026-001", ["备注"] = "绿色通道" }),
            new JournalEntry("taskCreated", "review", "system"));
        await using (var session = await store.BeginAsync())
        {
            await session.AppendJournalAsync(state.Id, "claimed", "review", "review.suzhou", null, Noon.AddMinutes(3));
            await session.CommitAsync();
        }

        var journal = await store.JournalAsync(state.Id);
        Assert.Equal(["started", "taskCreated", "claimed"], journal.Select(j => j.Kind));
        Assert.True(journal[0].Sequence < journal[1].Sequence && journal[1].Sequence < journal[2].Sequence);
        Assert.Equal((state.Id, Noon, "acceptance.suzhou", (string?)null), (journal[0].InstanceId, journal[0].At, journal[0].Actor, journal[0].ElementId));
        Assert.Equal("绿色通道", JsonNode.Parse(journal[0].Data!)!["备注"]!.GetValue<string>());
        Assert.Equal(("review.suzhou", "review", Noon.AddMinutes(3), (string?)null), (journal[2].Actor, journal[2].ElementId!, journal[2].At, journal[2].Data));

        await using (var connection = await database.Database.OpenAsync())
        {
            await Assert.ThrowsAnyAsync<DbException>(() =>
                connection.ExecuteAsync("UPDATE workflow_journal SET actor = 'mallory' WHERE instance_id = @id", new { id = state.Id }));
            await Assert.ThrowsAnyAsync<DbException>(() =>
                connection.ExecuteAsync("DELETE FROM workflow_journal WHERE instance_id = @id", new { id = state.Id }));
        }
        Assert.Equal(journal, await store.JournalAsync(state.Id));
    }

    [SkippableFact]
    public async Task An_idempotent_reply_is_found_again_and_only_the_first_is_kept()
    {
        await using var database = await MigratedDatabaseAsync();
        var store = new WorkflowStore(database.Database);

        await using (var session = await store.BeginAsync())
        {
            Assert.Null(await session.FindReplyAsync("POST /instances review.suzhou", "k-1"));
            await session.SaveReplyAsync("POST /instances review.suzhou", "k-1", new IdempotentReply(201, """{"id":"1"}"""), Noon);
            await session.CommitAsync();
        }
        await using (var session = await store.BeginAsync())
        {
            Assert.Equal(new IdempotentReply(201, """{"id":"1"}"""), await session.FindReplyAsync("POST /instances review.suzhou", "k-1"));
            Assert.Null(await session.FindReplyAsync("POST /instances other.suzhou", "k-1"));
            await Assert.ThrowsAnyAsync<DbException>(() =>
                session.SaveReplyAsync("POST /instances review.suzhou", "k-1", new IdempotentReply(409, "{}"), Noon));
        }
        await using (var session = await store.BeginAsync())
            Assert.Equal(201, (await session.FindReplyAsync("POST /instances review.suzhou", "k-1"))!.Status);
    }
}

public sealed class SqliteWorkflowStoreConformance : WorkflowStoreConformance
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class PostgresWorkflowStoreConformance : WorkflowStoreConformance
{
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;
}

public sealed class SqlServerWorkflowStoreConformance : WorkflowStoreConformance
{
    protected override DatabaseProvider Provider => DatabaseProvider.SqlServer;
}
