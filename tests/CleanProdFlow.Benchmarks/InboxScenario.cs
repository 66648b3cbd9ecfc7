using System.Diagnostics;
using CleanProdFlow.Data.Database;
using CleanProdFlow.Data.Workflows;
using CleanProdFlow.Engine.Runtime;
using TaskStatus = CleanProdFlow.Engine.Runtime.TaskStatus;

namespace CleanProdFlow.Benchmarks;

/// <summary>
/// The inbox at volume: 1,000,000 tasks of 100,000 cases (50,000 open) across 13 cities and 10 groups, bulk-loaded,
/// then the product's own <see cref="InboxStore"/> query "open tasks of my groups in my city, by due date": p95 of the
/// first page and of page 50 (keyset after page 49). The big city holds a fifth of the cases, so page 50 exists.
/// </summary>
public static class InboxScenario
{
    public static readonly string[] Cities =
        ["suzhou", "nanjing", "wuxi", "changzhou", "nantong", "xuzhou", "yangzhou", "taizhou", "yancheng", "huaian", "lianyungang", "zhenjiang", "suqian"];

    public static readonly string[] Groups =
        ["acceptance", "publicity", "assessment", "review", "approver", "audit-officer", "quota-officer", "enforcement", "finance", "legal"];

    private const int PageSize = 50;

    public static async Task<IReadOnlyList<Figure>> RunAsync(BenchmarkRun run)
    {
        var tasks = run.Options.Size(1_000_000);
        var cases = Math.Max(1, tasks / 10);
        await using var database = await BenchDatabase.CreateAsync(run.Options);
        var load = Stopwatch.StartNew();
        var open = await LoadAsync(database.Database, cases);
        await TableWriter.ExecuteAsync(database.Database, "ANALYZE");
        var loadSeconds = load.Elapsed.TotalSeconds;

        var store = new InboxStore(database.Database);
        var query = new TaskQuery
        {
            Organisations = ["suzhou"], Groups = ["review", "approver", "assessment"], Status = TaskStatus.Open, Limit = PageSize,
        };
        var first = await Percentiles.TimeAsync(200, () => store.ListTasksAsync(new InboxQuery { Tasks = query }));

        // Walk to page 50 the way the page does: each page after the last task of the one before.
        (DateTimeOffset? DueAt, Guid Id)? after = null;
        var pages = 1;
        for (; pages < 50; pages++)
        {
            var page = await store.ListTasksAsync(new InboxQuery { Tasks = query with { After = after } });
            if (page.Count < PageSize)
                break;
            after = (page[^1].DueAt, page[^1].Id);
        }
        var fiftieth = await Percentiles.TimeAsync(200, () => store.ListTasksAsync(new InboxQuery { Tasks = query with { After = after } }));
        var p95First = Percentiles.Of(first, 95);
        var p95Fiftieth = Percentiles.Of(fiftieth, 95);
        return
        [
            new("inbox", $"{tasks:N0} tasks ({open:N0} open, 13 cities, 10 groups) bulk-loaded and analysed", loadSeconds, "s"),
            new("inbox", "first page (50) of my 3 groups in my city by due date, p95", p95First, "ms", AtMost: 20,
                Note: $"p50 {Percentiles.Of(first, 50):F2} ms"),
            new("inbox", $"page {pages} (keyset after page {pages - 1}), p95", p95Fiftieth, "ms", AtMost: 20,
                Note: $"p50 {Percentiles.Of(fiftieth, 50):F2} ms"),
        ];
    }

    /// <summary>Cases of ten tasks each; every twentieth task open. Returns the number of open tasks.</summary>
    private static async Task<int> LoadAsync(CpfDatabase database, int cases)
    {
        var random = new Random(20261125);
        var now = new DateTimeOffset(2026, 11, 25, 2, 0, 0, TimeSpan.Zero);
        var instances = new List<object?[]>(cases);
        var tasks = new List<object?[]>(cases * 10);
        var groups = new List<object?[]>(cases * 12);
        var open = 0;
        for (var c = 0; c < cases; c++)
        {
            var id = Guid.CreateVersion7(now.AddMinutes(-c));
            var city = c % 5 == 0 ? Cities[0] : Cities[1 + c % 12];
            var key = $"{city}-{c:D7}";
            var started = now.AddDays(-random.Next(1, 400));
            instances.Add([id, "bench-inbox", 1, key, city, "running", "{}", started, started]);
            for (var t = 0; t < 10; t++)
            {
                var taskId = Guid.CreateVersion7(started.AddMinutes(t));
                var isOpen = (c * 10 + t) % 20 == 0;
                open += isOpen ? 1 : 0;
                DateTimeOffset? due = random.Next(20) == 0 ? null : now.AddMinutes(random.Next(-60 * 24 * 60, 60 * 24 * 60));
                var created = started.AddHours(t);
                tasks.Add([taskId, id, "bench-inbox", key, $"step-{t}", $"步骤 {t}", city, null, isOpen ? "open" : "completed", created, due,
                    isOpen ? null : created.AddDays(1), isOpen ? null : "bench", "{\"fields\":[]}", "[]"]);
                var group = random.Next(Groups.Length);
                groups.Add([taskId, Groups[group]]);
                if (random.Next(5) == 0)
                    groups.Add([taskId, Groups[(group + 1 + random.Next(Groups.Length - 1)) % Groups.Length]]);
            }
        }
        await TableWriter.WriteAsync(database, "workflow_instances",
            ["id", "definition_key", "version", "business_key", "organisation", "status", "state", "started_at", "updated_at"], instances);
        await TableWriter.WriteAsync(database, "workflow_tasks",
            ["id", "instance_id", "definition_key", "business_key", "element_id", "name", "organisation", "assignee", "status", "created_at", "due_at",
             "completed_at", "completed_by", "form", "outcomes"], tasks);
        await TableWriter.WriteAsync(database, "workflow_task_candidate_groups", ["task_id", "group_name"], groups);
        return open;
    }
}
