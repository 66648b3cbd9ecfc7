using System.Text.Json.Nodes;
using CleanProdFlow.Data.Database;
using CleanProdFlow.Engine.Execution;
using CleanProdFlow.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace CleanProdFlow.Data.Tests.Workflows;

/// <summary>What the workflow store's conformance tests start from: a migrated database and an instance waiting at a review.</summary>
internal static class WorkflowStoreData
{
    public static readonly DateTimeOffset Noon = new(2026, 11, 24, 4, 0, 0, TimeSpan.Zero);

    public static async Task<TestDatabase> MigratedDatabaseAsync(DatabaseProvider provider)
    {
        var database = await TestDatabase.CreateAsync(provider);
        await new DatabaseMigrator(database.Database, NullLogger<DatabaseMigrator>.Instance).MigrateAsync();
        return database;
    }

    public static InstanceState NewState(string organisation = "suzhou", string? businessKey = "EIA-2026-001", string definitionKey = "eia") => new()
    {
        Id = Guid.NewGuid(),
        DefinitionKey = definitionKey,
        Version = 1,
        BusinessKey = businessKey,
        Organisation = organisation,
        Status = InstanceStatus.Running,
        Variables = new JsonObject { ["fastTrack"] = true, ["enterprise"] = "苏州某化工有限公司" },
        Tokens = [new Token { Id = Guid.NewGuid(), ElementId = "review", State = TokenState.Waiting, EnteredAt = Noon }],
    };
}
