using System.Net;
using System.Net.Http.Json;
using CleanProdFlow.Data.Database;

namespace CleanProdFlow.Web.Tests.Workflows;

/// <summary>
/// The workflow API from upload to a completed instance, with the virtual clock, on SQLite and PostgreSQL: a broken
/// file is refused with every element named; the inbox shows a task only to its organisation and roles; the form is
/// enforced; moving the clock fires the 3-day timer; a message is correlated; the journal tells the story.
/// </summary>
public sealed class WorkflowEndToEndTests(VirtualHostsFixture hosts) : IClassFixture<VirtualHostsFixture>
{
    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_review_runs_from_upload_to_completion_with_timer_and_message(DatabaseProvider provider)
    {
        var host = await hosts.HostAsync(provider);
        await host.EnsureUserAsync("review2.suzhou", "suzhou", "review");
        await host.EnsureUserAsync("review.nanjing", "nanjing", "review");
        var admin = await host.SignedInAsync("admin.province");

        // A broken file: 400, nothing stored, every problem with its element.
        var brokenKey = TestDefinitions.NewKey("broken");
        var broken = await admin.UploadAsync(TestDefinitions.Broken(brokenKey));
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        Assert.Equal("application/problem+json", broken.Content.Headers.ContentType?.MediaType);
        var elementIds = (await broken.JsonAsync()).GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("elementId").GetString()).ToList();
        Assert.Contains("no-groups", elementIds);
        Assert.Contains("send", elementIds);
        Assert.Contains("no-time", elementIds);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/v1/definitions/{brokenKey}/versions")).StatusCode);

        // Upload: a draft; publish it.
        var key = TestDefinitions.NewKey("e2e");
        var upload = await admin.UploadAsync(TestDefinitions.ReviewWithTimerAndMessage(key));
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        var uploaded = await upload.JsonAsync();
        Assert.Equal("draft", uploaded.GetProperty("status").GetString());
        Assert.Equal($"/api/v1/definitions/{key}/versions/1", upload.Headers.Location?.OriginalString);
        var reviewer = await host.SignedInAsync("review.suzhou");
        Assert.Equal(HttpStatusCode.NotFound, (await reviewer.PostAsJsonAsync("/api/v1/instances", new { definitionKey = key })).StatusCode);
        var published = await admin.PostAsync($"/api/v1/definitions/{key}/versions/1/publish", null);
        Assert.Equal("published", (await published.JsonAsync()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsync($"/api/v1/definitions/{key}/versions/1/publish", null)).StatusCode);
        var listed = (await (await reviewer.GetAsync("/api/v1/definitions")).JsonAsync()).EnumerateArray()
            .Single(d => d.GetProperty("key").GetString() == key);
        Assert.Equal("published", listed.GetProperty("status").GetString());

        // Start as a Suzhou reviewer: the instance is Suzhou's.
        var businessKey = "91320500MA1EXAMPLE";
        var instanceId = await reviewer.StartAsync(key, businessKey, new { enterpriseName = "苏州示例化工有限公司" });
        var instance = await reviewer.InstanceAsync(instanceId);
        Assert.Equal("suzhou", instance.GetProperty("organisation").GetString());
        Assert.Equal("running", instance.GetProperty("status").GetString());
        Assert.Equal(["review"], instance.GetProperty("activeElementIds").EnumerateArray().Select(e => e.GetString()));

        // The inbox: the right role of the right city sees the task; another role, another organisation, another city do not.
        var task = Assert.Single(await reviewer.TasksAsync($"instanceId={instanceId}"));
        Assert.Equal("review", task.GetProperty("elementId").GetString());
        Assert.Equal(["approve", "reject"], task.GetProperty("outcomes").EnumerateArray().Select(o => o.GetString()));
        Assert.EndsWith("+08:00", task.GetProperty("createdAt").GetString());
        var taskId = task.GetProperty("id").GetGuid();
        Assert.Empty(await (await host.SignedInAsync("acceptance.suzhou")).TasksAsync($"instanceId={instanceId}"));
        Assert.Empty(await (await host.SignedInAsync("review.province")).TasksAsync($"instanceId={instanceId}"));
        var nanjing = await host.SignedInAsync("review.nanjing");
        Assert.Empty(await nanjing.TasksAsync($"instanceId={instanceId}"));
        Assert.Equal(HttpStatusCode.NotFound, (await nanjing.GetAsync($"/api/v1/instances/{instanceId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await nanjing.PostAsync($"/api/v1/tasks/{taskId}/claim", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await (await host.SignedInAsync("review.province")).GetAsync($"/api/v1/instances/{instanceId}")).StatusCode);

        // Claim; a second reviewer's claim is a conflict.
        var claim = await reviewer.PostAsync($"/api/v1/tasks/{taskId}/claim", null);
        Assert.Equal(HttpStatusCode.OK, claim.StatusCode);
        Assert.Equal("review.suzhou", (await claim.JsonAsync()).GetProperty("assignee").GetString());
        var other = await host.SignedInAsync("review2.suzhou");
        var stolen = await other.PostAsync($"/api/v1/tasks/{taskId}/claim", null);
        Assert.Equal(HttpStatusCode.Conflict, stolen.StatusCode);
        Assert.Equal("application/problem+json", stolen.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.CompleteAsync(taskId, new { outcome = "approve", variables = new { opinion = "同意" } })).StatusCode);

        // The form is enforced: each refused field named, in the caller's language.
        var missing = await reviewer.CompleteAsync(taskId, new { outcome = "approve", variables = new { } });
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("审查意见", Assert.Single(await missing.FieldErrorsAsync("variables.opinion")));
        var badOutcome = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/tasks/{taskId}/complete")
        {
            Content = JsonContent.Create(new { outcome = "maybe", variables = new { opinion = "?" } }),
        };
        badOutcome.Headers.AcceptLanguage.ParseAdd("en");
        var refusedOutcome = await reviewer.SendAsync(badOutcome);
        Assert.Equal(HttpStatusCode.BadRequest, refusedOutcome.StatusCode);
        Assert.Contains("approve", Assert.Single(await refusedOutcome.FieldErrorsAsync("outcome")));

        // Three days pass: the non-interrupting timer fires and a reminder appears beside the review.
        var advanced = await admin.AdvanceAsync(new { by = "P3D" });
        Assert.Equal(HttpStatusCode.OK, advanced.StatusCode);
        var advancedBody = await advanced.JsonAsync();
        Assert.True(advancedBody.GetProperty("timersFired").GetInt32() >= 1);
        Assert.EndsWith("+08:00", advancedBody.GetProperty("now").GetString());
        // Moving the clock past the tokens' lifetime signs everyone out: sign in again.
        reviewer = await host.SignedInAsync("review.suzhou");
        admin = await host.SignedInAsync("admin.province");
        var journal = await reviewer.JournalAsync(instanceId);
        var fired = Assert.Single(journal, j => j.GetProperty("kind").GetString() == "timer.fired");
        Assert.Equal("review-late", fired.GetProperty("elementId").GetString());
        Assert.EndsWith("+08:00", fired.GetProperty("at").GetString());
        var open = await reviewer.TasksAsync($"instanceId={instanceId}");
        Assert.Equal(["remind", "review"], open.Select(t => t.GetProperty("elementId").GetString()).Order());

        // Complete the review: the instance now waits for the documents (and the reminder).
        var completed = await reviewer.CompleteAsync(taskId, new { outcome = "approve", variables = new { opinion = "材料齐全，同意" } });
        Assert.Equal(HttpStatusCode.OK, completed.StatusCode);
        var completedBody = await completed.JsonAsync();
        Assert.Equal("running", completedBody.GetProperty("instanceStatus").GetString());
        Assert.Contains("wait-docs", completedBody.GetProperty("activeElementIds").EnumerateArray().Select(e => e.GetString()));

        // The message reaches the one waiting instance, once.
        var message = await reviewer.PostAsJsonAsync("/api/v1/messages", new { name = "documents-received", correlationKey = businessKey, variables = new { documents = 3 } });
        Assert.Equal(HttpStatusCode.OK, message.StatusCode);
        Assert.Equal(1, (await message.JsonAsync()).GetProperty("correlated").GetInt32());
        var again = await reviewer.PostAsJsonAsync("/api/v1/messages", new { name = "documents-received", correlationKey = businessKey });
        Assert.Equal(0, (await again.JsonAsync()).GetProperty("correlated").GetInt32());

        // The reminder is dealt with: the instance completes.
        var remindId = await reviewer.OpenTaskAsync(instanceId, "remind");
        Assert.Equal(HttpStatusCode.OK, (await reviewer.CompleteAsync(remindId, new { })).StatusCode);
        instance = await reviewer.InstanceAsync(instanceId);
        Assert.Equal("completed", instance.GetProperty("status").GetString());
        Assert.Empty(instance.GetProperty("activeElementIds").EnumerateArray());
        Assert.Equal(3, instance.GetProperty("variables").GetProperty("documents").GetInt32());
        Assert.Equal("approve", instance.GetProperty("variables").GetProperty("outcome").GetString());
        Assert.Empty(await reviewer.TasksAsync($"instanceId={instanceId}"));
        Assert.Equal(2, (await reviewer.TasksAsync($"instanceId={instanceId}&status=completed")).Count);

        // The journal lists the transitions in order.
        var kinds = (await reviewer.JournalAsync(instanceId)).Kinds().ToList();
        string[] story = ["instance.started", "task.created", "timer.armed", "task.claimed", "timer.fired", "task.completed",
            "message.waiting", "message.correlated", "instance.completed"];
        var positions = story.Select(kind => kinds.IndexOf(kind)).ToList();
        Assert.All(positions, p => Assert.True(p >= 0, $"journal lacks one of {string.Join(", ", story)}: {string.Join(", ", kinds)}"));
        Assert.Equal(positions.Order(), positions);
        var sequences = (await reviewer.JournalAsync(instanceId)).Select(j => j.GetProperty("sequence").GetInt64()).ToList();
        Assert.Equal(sequences.Order(), sequences);
    }
}
