using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CleanProdFlow.Data.Database;
using Dapper;

namespace CleanProdFlow.Web.Tests.Workflows;

/// <summary>Issue 12: the journal is a hash chain per instance; an edit made directly in the database is found.</summary>
public sealed class JournalChainTests(VirtualHostsFixture hosts) : IClassFixture<VirtualHostsFixture>
{
    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_journal_row_edited_in_the_database_breaks_the_verification_at_that_row(DatabaseProvider provider)
    {
        var host = await hosts.HostAsync(provider);
        var key = TestDefinitions.NewKey("chain");
        await (await host.SignedInAsync("admin.province")).DeployAsync(TestDefinitions.SingleTask(key));
        await host.EnsureUserAsync("review.nanjing", "nanjing", "review");
        var reviewer = await host.SignedInAsync("review.suzhou");
        var instanceId = await reviewer.StartAsync(key);
        var taskId = await reviewer.OpenTaskAsync(instanceId, "check");
        Assert.Equal(HttpStatusCode.OK, (await reviewer.PostAsync($"/api/v1/tasks/{taskId}/claim", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reviewer.CompleteAsync(taskId, new { })).StatusCode);

        var journal = await reviewer.JournalAsync(instanceId);
        Assert.Equal(Enumerable.Range(1, journal.Count), journal.Select(j => j.GetProperty("position").GetInt32()));
        Assert.All(journal, j => Assert.Matches("^[0-9a-f]{64}$", j.GetProperty("hash").GetString()));
        var intact = await VerifyAsync(reviewer, instanceId);
        Assert.True(intact.GetProperty("intact").GetBoolean());
        Assert.Equal(journal.Count, intact.GetProperty("chainedRows").GetInt32());
        Assert.Equal(0, intact.GetProperty("rowsBeforeTheChain").GetInt32());

        // Someone with database access rewrites who completed the task (the append-only trigger set aside first).
        var edited = journal.First(j => j.GetProperty("kind").GetString() == "task.completed");
        var position = edited.GetProperty("position").GetInt32();
        await EditActorAsync(host, instanceId, position, "someone.else");

        var broken = await VerifyAsync(reviewer, instanceId);
        Assert.False(broken.GetProperty("intact").GetBoolean());
        Assert.Equal(position, broken.GetProperty("brokenAtPosition").GetInt32());
        Assert.Contains("哈希不符", broken.GetProperty("reasonZh").GetString());
        Assert.Equal(HttpStatusCode.NotFound,
            (await (await host.SignedInAsync("review.nanjing")).GetAsync($"/api/v1/instances/{instanceId}/journal/verify")).StatusCode);
    }

    private static async Task<JsonElement> VerifyAsync(HttpClient client, Guid instanceId)
    {
        var response = await client.GetAsync($"/api/v1/instances/{instanceId}/journal/verify");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task EditActorAsync(CpfWebFactory host, Guid instanceId, int position, string actor)
    {
        await using var connection = await host.Database.Database.OpenAsync();
        var sqlite = host.Database.Provider == DatabaseProvider.Sqlite;
        await connection.ExecuteAsync(sqlite
            ? "DROP TRIGGER tr_workflow_journal_no_update"
            : "ALTER TABLE workflow_journal DISABLE TRIGGER tr_workflow_journal_append_only");
        await connection.ExecuteAsync("UPDATE workflow_journal SET actor = @actor WHERE instance_id = @instanceId AND position = @position",
            new { actor, instanceId, position });
        await connection.ExecuteAsync(sqlite
            ? "CREATE TRIGGER tr_workflow_journal_no_update BEFORE UPDATE ON workflow_journal BEGIN SELECT RAISE(ABORT, 'append-only'); END"
            : "ALTER TABLE workflow_journal ENABLE TRIGGER tr_workflow_journal_append_only");
    }
}
