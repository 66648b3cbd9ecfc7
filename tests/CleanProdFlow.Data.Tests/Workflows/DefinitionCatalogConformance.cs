using CleanProdFlow.Data.Database;
using CleanProdFlow.Data.Workflows;
using CleanProdFlow.Engine.Execution;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace CleanProdFlow.Data.Tests.Workflows;

/// <summary>The administrators' definitions overview on every provider: versions without their XML, instance counts per version.</summary>
public abstract class DefinitionCatalogConformance
{
    protected abstract DatabaseProvider Provider { get; }

    private static readonly DateTimeOffset Noon = new(2026, 11, 24, 4, 0, 0, TimeSpan.Zero);

    private static async Task InstanceAsync(IWorkflowStore store, string key, int version, InstanceStatus status)
    {
        var state = new InstanceState { Id = Guid.NewGuid(), DefinitionKey = key, Version = version, Organisation = "suzhou", Status = status };
        await using var session = await store.BeginAsync();
        await session.InsertInstanceAsync(state, Noon);
        await session.CommitAsync();
    }

    [SkippableFact]
    public async Task Versions_are_listed_by_key_and_version_and_instances_counted_running_and_in_all()
    {
        await using var database = await TestDatabase.CreateAsync(Provider);
        await new DatabaseMigrator(database.Database, NullLogger<DatabaseMigrator>.Instance).MigrateAsync();
        var store = new WorkflowStore(database.Database);
        var catalog = new DefinitionCatalog(database.Database);
        await store.AddVersionAsync("eia", "环评审批", "<definitions/>", "hash-1", "admin.province", Noon);
        await store.AddVersionAsync("eia", "环评审批 v2", "<definitions v='2'/>", "hash-2", "admin.suzhou", Noon.AddHours(1));
        await store.AddVersionAsync("audit", null, "<definitions/>", "hash-3", "admin.province", Noon);
        await store.ChangeStatusAsync("eia", 1, DefinitionStatus.Draft, DefinitionStatus.Published, Noon.AddMinutes(5));
        await InstanceAsync(store, "eia", 1, InstanceStatus.Running);
        await InstanceAsync(store, "eia", 1, InstanceStatus.Running);
        await InstanceAsync(store, "eia", 1, InstanceStatus.Completed);
        await InstanceAsync(store, "eia", 2, InstanceStatus.Terminated);

        var all = await catalog.ListVersionsAsync();
        var eia = await catalog.ListVersionsAsync("eia");
        var counts = await catalog.InstanceCountsAsync();
        var eiaCounts = await catalog.InstanceCountsAsync("eia");

        Assert.Equal([("audit", 1), ("eia", 1), ("eia", 2)], all.Select(v => (v.Key, v.Version)));
        Assert.Equal([1, 2], eia.Select(v => v.Version));
        Assert.Equal((DefinitionStatus.Published, "admin.province", Noon.AddMinutes(5)), (eia[0].Status, eia[0].CreatedBy, eia[0].PublishedAt));
        Assert.Equal((DefinitionStatus.Draft, "admin.suzhou", "环评审批 v2"), (eia[1].Status, eia[1].CreatedBy, eia[1].Name));
        Assert.Equal(new InstanceCounts(2, 3), counts[("eia", 1)]);
        Assert.Equal(new InstanceCounts(0, 1), counts[("eia", 2)]);
        Assert.False(counts.ContainsKey(("audit", 1)));
        Assert.Equal(counts.Where(c => c.Key.Key == "eia").OrderBy(c => c.Key.Version), eiaCounts.OrderBy(c => c.Key.Version));
    }
}

public sealed class SqliteDefinitionCatalogConformance : DefinitionCatalogConformance
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class PostgresDefinitionCatalogConformance : DefinitionCatalogConformance
{
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;
}

public sealed class SqlServerDefinitionCatalogConformance : DefinitionCatalogConformance
{
    protected override DatabaseProvider Provider => DatabaseProvider.SqlServer;
}
