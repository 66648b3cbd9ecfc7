using System.Net;
using System.Net.Http.Json;
using CleanProdFlow.Data.Database;

namespace CleanProdFlow.Web.Tests.Workflows;

/// <summary>The inbox and task commands: races, idempotent retries, paging, bad parameters, auditors.</summary>
public sealed class TaskCommandTests(VirtualHostsFixture hosts) : IClassFixture<VirtualHostsFixture>
{
    private async Task<(CpfWebFactory Host, HttpClient Reviewer, string Key)> SingleTaskDefinitionAsync(DatabaseProvider provider)
    {
        var host = await hosts.HostAsync(provider);
        var key = TestDefinitions.NewKey("task");
        await (await host.SignedInAsync("admin.province")).DeployAsync(TestDefinitions.SingleTask(key));
        return (host, await host.SignedInAsync("review.suzhou"), key);
    }

    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Two_concurrent_completions_of_one_task_give_one_200_and_one_409(DatabaseProvider provider)
    {
        var (host, reviewer, key) = await SingleTaskDefinitionAsync(provider);
        var second = await host.SignedInAsync("review.suzhou");
        for (var round = 0; round < 5; round++)
        {
            var instanceId = await reviewer.StartAsync(key);
            var taskId = await reviewer.OpenTaskAsync(instanceId, "check");

            var answers = await Task.WhenAll(reviewer.CompleteAsync(taskId, new { }), second.CompleteAsync(taskId, new { }));

            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], answers.Select(a => a.StatusCode).Order());
            var journal = await reviewer.JournalAsync(instanceId);
            Assert.Single(journal, j => j.GetProperty("kind").GetString() == "task.completed");
            Assert.Single(journal, j => j.GetProperty("kind").GetString() == "instance.completed");
        }
    }

    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_replayed_completion_answers_the_first_answer_and_changes_nothing(DatabaseProvider provider)
    {
        var (_, reviewer, key) = await SingleTaskDefinitionAsync(provider);
        var instanceId = await reviewer.StartAsync(key);
        var taskId = await reviewer.OpenTaskAsync(instanceId, "check");
        var idempotencyKey = Guid.NewGuid().ToString();

        var first = await reviewer.CompleteAsync(taskId, new { variables = new { note = "第一次" } }, idempotencyKey);
        var replay = await reviewer.CompleteAsync(taskId, new { variables = new { note = "第二次" } }, idempotencyKey);
        var concurrentReplays = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => reviewer.CompleteAsync(taskId, new { }, idempotencyKey)));
        var otherKey = await reviewer.CompleteAsync(taskId, new { }, Guid.NewGuid().ToString());

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var body = await first.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal(body, await replay.Content.ReadAsStringAsync());
        foreach (var r in concurrentReplays)
        {
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            Assert.Equal(body, await r.Content.ReadAsStringAsync());
        }
        Assert.Equal("completed", (await first.JsonAsync()).GetProperty("instanceStatus").GetString());
        Assert.Equal(HttpStatusCode.Conflict, otherKey.StatusCode);
        Assert.Single(await reviewer.JournalAsync(instanceId), j => j.GetProperty("kind").GetString() == "task.completed");
        Assert.Equal("第一次", (await reviewer.InstanceAsync(instanceId)).GetProperty("variables").GetProperty("note").GetString());
    }

    [Fact]
    public async Task An_idempotency_key_longer_than_200_characters_is_refused()
    {
        var (_, reviewer, key) = await SingleTaskDefinitionAsync(DatabaseProvider.Sqlite);
        var taskId = await reviewer.OpenTaskAsync(await reviewer.StartAsync(key), "check");

        var response = await reviewer.CompleteAsync(taskId, new { }, new string('k', 201));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Single(await response.FieldErrorsAsync("Idempotency-Key"));
        Assert.Equal("open", (await (await reviewer.GetAsync($"/api/v1/tasks/{taskId}")).JsonAsync()).GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("status=finished", "status")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=201", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("instanceId=not-a-guid", "instanceId")]
    [InlineData("after=%21%21", "after")]
    [InlineData("after=bm90LWEtY3Vyc29y", "after")]
    public async Task A_bad_list_parameter_is_a_400_naming_it(string query, string field)
    {
        var host = await hosts.HostAsync(DatabaseProvider.Sqlite);
        var reviewer = await host.SignedInAsync("review.suzhou");

        var response = await reviewer.GetAsync($"/api/v1/tasks?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Single(await response.FieldErrorsAsync(field));
    }

    [Fact]
    public async Task The_inbox_pages_by_due_date_with_an_opaque_cursor_without_repeats()
    {
        var (_, reviewer, key) = await SingleTaskDefinitionAsync(DatabaseProvider.Sqlite);
        var started = new List<Guid>();
        for (var i = 0; i < 5; i++)
            started.Add(await reviewer.StartAsync(key));

        var seen = new List<Guid>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var response = await reviewer.GetAsync($"/api/v1/tasks?definitionKey={key}&limit=2{(cursor is null ? "" : "&after=" + cursor)}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            seen.AddRange((await response.JsonAsync()).EnumerateArray().Select(t => t.GetProperty("instanceId").GetGuid()));
            cursor = response.Headers.TryGetValues("X-Next-Cursor", out var values) ? values.Single() : null;
            pages++;
        } while (cursor is not null);

        Assert.Equal(3, pages);
        Assert.Equal(started.Order(), seen.Order());
    }

    [Fact]
    public async Task A_claimed_task_can_be_given_back_by_its_assignee_only()
    {
        var (host, reviewer, key) = await SingleTaskDefinitionAsync(DatabaseProvider.Sqlite);
        await host.EnsureUserAsync("review2.suzhou", "suzhou", "review");
        var taskId = await reviewer.OpenTaskAsync(await reviewer.StartAsync(key), "check");
        Assert.Equal(HttpStatusCode.OK, (await reviewer.PostAsync($"/api/v1/tasks/{taskId}/claim", null)).StatusCode);

        var byOther = await (await host.SignedInAsync("review2.suzhou")).PostAsync($"/api/v1/tasks/{taskId}/unclaim", null);
        var byAssignee = await reviewer.PostAsync($"/api/v1/tasks/{taskId}/unclaim", null);

        Assert.Equal(HttpStatusCode.Forbidden, byOther.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byAssignee.StatusCode);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, (await byAssignee.JsonAsync()).GetProperty("assignee").ValueKind);
    }

    [Fact]
    public async Task An_auditor_reads_everything_and_changes_nothing()
    {
        var (host, reviewer, key) = await SingleTaskDefinitionAsync(DatabaseProvider.Sqlite);
        var instanceId = await reviewer.StartAsync(key, "AUDIT-1");
        var taskId = await reviewer.OpenTaskAsync(instanceId, "check");
        var auditor = await host.SignedInAsync("auditor.province");

        var start = await auditor.PostAsJsonAsync("/api/v1/instances", new { definitionKey = key });
        var claim = await auditor.PostAsync($"/api/v1/tasks/{taskId}/claim", null);
        var complete = await auditor.CompleteAsync(taskId, new { });
        var message = await auditor.PostAsJsonAsync("/api/v1/messages", new { name = "anything", correlationKey = "AUDIT-1" });

        Assert.Equal(HttpStatusCode.Forbidden, start.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, claim.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, complete.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, message.StatusCode);
        Assert.Equal("application/problem+json", complete.Content.Headers.ContentType?.MediaType);
        // Reads: the Suzhou instance, its journal, its task.
        Assert.Equal("running", (await auditor.InstanceAsync(instanceId)).GetProperty("status").GetString());
        Assert.NotEmpty(await auditor.JournalAsync(instanceId));
        Assert.Equal(taskId, Assert.Single(await auditor.TasksAsync($"instanceId={instanceId}")).GetProperty("id").GetGuid());
        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync($"/api/v1/tasks/{taskId}")).StatusCode);
        var task = await (await reviewer.GetAsync($"/api/v1/tasks/{taskId}")).JsonAsync();
        Assert.Equal("open", task.GetProperty("status").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, task.GetProperty("assignee").ValueKind);
    }
}
