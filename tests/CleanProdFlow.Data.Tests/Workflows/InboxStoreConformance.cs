using System.Text.Json.Nodes;
using CleanProdFlow.Data.Database;
using CleanProdFlow.Data.Enterprises;
using CleanProdFlow.Data.Workflows;
using CleanProdFlow.Domain.Enterprises;
using CleanProdFlow.Engine.Execution;
using CleanProdFlow.Engine.Model;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using TaskStatus = CleanProdFlow.Engine.Runtime.TaskStatus;

namespace CleanProdFlow.Data.Tests.Workflows;

/// <summary>The inbox page's task list on every provider: the enterprise filter (case variables, business key, register) and "completed by me".</summary>
public abstract class InboxStoreConformance
{
    protected abstract DatabaseProvider Provider { get; }

    private static readonly DateTimeOffset Noon = new(2026, 11, 24, 4, 0, 0, TimeSpan.Zero);

    private static InstanceState Case(string businessKey, JsonObject variables) => new()
    {
        Id = Guid.NewGuid(),
        DefinitionKey = "eia",
        Version = 1,
        BusinessKey = businessKey,
        Organisation = "suzhou",
        Status = InstanceStatus.Running,
        Variables = variables,
        Tokens = [new Token { Id = Guid.NewGuid(), ElementId = "review", State = TokenState.Waiting, EnteredAt = Noon }],
    };

    private static async Task<Guid> TaskOfAsync(IWorkflowStore store, InstanceState state, DateTimeOffset? due)
    {
        var taskId = Guid.NewGuid();
        await using var session = await store.BeginAsync();
        await session.InsertInstanceAsync(state, Noon);
        await session.ApplyEffectsAsync(state, [new TaskCreated(taskId, state.Tokens[0].Id, new UserTask("review", "技术审查") { CandidateGroups = ["review"] },
            "suzhou", due)], Noon);
        await session.CommitAsync();
        return taskId;
    }

    private static InboxQuery Query(string? enterprise = null, string? completedBy = null, TaskStatus? status = TaskStatus.Open) => new()
    {
        Tasks = new TaskQuery { Organisations = ["suzhou"], Groups = ["review"], Status = status, Limit = 10 },
        Enterprise = enterprise,
        CompletedBy = completedBy,
    };

    [SkippableFact]
    public async Task The_enterprise_filter_finds_cases_by_credit_code_or_name_in_the_case_or_in_the_register()
    {
        await using var database = await TestDatabase.CreateAsync(Provider);
        await new DatabaseMigrator(database.Database, NullLogger<DatabaseMigrator>.Instance).MigrateAsync();
        var store = new WorkflowStore(database.Database);
        var inbox = new InboxStore(database.Database);
        await new EnterpriseStore(database.Database).UpsertAsync(
            [new Enterprise("91320500000000033C", "苏州登记在册材料有限公司", "suzhou", null, null, null, false)], Noon, "test");

        var keyedByCode = await TaskOfAsync(store, Case("91320500000000011A", new JsonObject { ["enterpriseName"] = "苏州甲化工有限公司" }), Noon.AddDays(3));
        var withVariable = await TaskOfAsync(store, Case("EIA-2026-001", new JsonObject { ["creditCode"] = "91320500000000022B" }), Noon.AddDays(1));
        var registered = await TaskOfAsync(store, Case("EIA-2026-002", new JsonObject { ["creditCode"] = "91320500000000033C" }), null);
        var other = await TaskOfAsync(store, Case("EIA-2026-003", new JsonObject { ["enterpriseName"] = "无锡乙有限公司_100%" }), Noon.AddDays(2));

        async Task<Guid[]> FindAsync(string? enterprise) => (await inbox.ListTasksAsync(Query(enterprise))).Select(t => t.Id).ToArray();

        Assert.Equal([withVariable, other, keyedByCode, registered], await FindAsync(null)); // due date order, none last
        Assert.Equal([keyedByCode], await FindAsync("91320500000000011a")); // codes are upper case
        Assert.Equal([withVariable], await FindAsync("91320500000000022B"));
        Assert.Equal([keyedByCode], await FindAsync("甲化工"));
        Assert.Equal([registered], await FindAsync("登记在册")); // the name is in the register, the case has the code
        Assert.Equal([other], await FindAsync("_100%")); // wildcards match themselves
        Assert.Empty(await FindAsync("100_%"));
        Assert.Empty(await FindAsync("丙"));
    }

    [SkippableFact]
    public async Task Completed_by_lists_the_users_completed_tasks_keyset_paged_by_due_date()
    {
        await using var database = await TestDatabase.CreateAsync(Provider);
        await new DatabaseMigrator(database.Database, NullLogger<DatabaseMigrator>.Instance).MigrateAsync();
        var store = new WorkflowStore(database.Database);
        var inbox = new InboxStore(database.Database);
        var tasks = new List<(Guid Task, InstanceState State)>();
        for (var i = 0; i < 3; i++)
        {
            var state = Case($"EIA-2026-10{i}", []);
            tasks.Add((await TaskOfAsync(store, state, Noon.AddDays(3 - i)), state));
        }
        foreach (var (task, state) in tasks.Take(2))
        {
            await using var session = await store.BeginAsync();
            await session.ApplyEffectsAsync(state, [new TaskCompleted(task, "review.suzhou", null)], Noon.AddHours(1));
            await session.CommitAsync();
        }

        var first = await inbox.ListTasksAsync(Query(completedBy: "review.suzhou", status: TaskStatus.Completed) with
        {
            Tasks = Query().Tasks with { Status = TaskStatus.Completed, Limit = 1 },
        });
        var second = await inbox.ListTasksAsync(Query(completedBy: "review.suzhou") with
        {
            Tasks = Query().Tasks with { Status = TaskStatus.Completed, Limit = 1, After = (first[0].DueAt, first[0].Id) },
        });

        Assert.Equal(tasks[1].Task, Assert.Single(first).Id);
        Assert.Equal(tasks[0].Task, Assert.Single(second).Id);
        Assert.Empty(await inbox.ListTasksAsync(Query(completedBy: "acceptance.suzhou", status: TaskStatus.Completed)));
    }
}

public sealed class SqliteInboxStoreConformance : InboxStoreConformance
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class PostgresInboxStoreConformance : InboxStoreConformance
{
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;
}

public sealed class SqlServerInboxStoreConformance : InboxStoreConformance
{
    protected override DatabaseProvider Provider => DatabaseProvider.SqlServer;
}
