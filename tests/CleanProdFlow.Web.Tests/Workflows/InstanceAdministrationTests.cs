using System.Net;
using System.Net.Http.Json;
using System.Text;
using CleanProdFlow.Data.Database;

namespace CleanProdFlow.Web.Tests.Workflows;

/// <summary>Definitions (upload rules, versions, publish and retire) and the administrator's repairs of instances.</summary>
public sealed class InstanceAdministrationTests(VirtualHostsFixture hosts) : IClassFixture<VirtualHostsFixture>
{
    private Task<CpfWebFactory> HostAsync() => hosts.HostAsync(DatabaseProvider.Sqlite);

    [Fact]
    public async Task A_failing_handler_leaves_an_incident_that_an_administrator_retries()
    {
        var host = await HostAsync();
        var admin = await host.SignedInAsync("admin.suzhou");
        var key = TestDefinitions.NewKey("flaky");
        await admin.DeployAsync(TestDefinitions.FlakyService(key));
        var reviewer = await host.SignedInAsync("review.suzhou");
        var instanceId = await reviewer.StartAsync(key);

        var waiting = await reviewer.InstanceAsync(instanceId);
        Assert.Equal("running", waiting.GetProperty("status").GetString());
        Assert.Equal(["call"], waiting.GetProperty("activeElementIds").EnumerateArray().Select(e => e.GetString()));
        var incident = Assert.Single(waiting.GetProperty("incidents").EnumerateArray());
        Assert.Equal("call", incident.GetProperty("elementId").GetString());
        Assert.Contains("did not answer", incident.GetProperty("message").GetString());
        var incidentId = incident.GetProperty("id").GetGuid();

        var byReviewer = await reviewer.PostAsync($"/api/v1/instances/{instanceId}/incidents/{incidentId}/retry", null);
        var unknown = await admin.PostAsync($"/api/v1/instances/{instanceId}/incidents/{Guid.NewGuid()}/retry", null);
        var retried = await admin.PostAsync($"/api/v1/instances/{instanceId}/incidents/{incidentId}/retry", null);

        Assert.Equal(HttpStatusCode.Forbidden, byReviewer.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        var after = await retried.JsonAsync();
        Assert.Empty(after.GetProperty("incidents").EnumerateArray());
        Assert.Equal(["after-call"], after.GetProperty("activeElementIds").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(2, after.GetProperty("variables").GetProperty("calledTimes").GetInt32());
        var kinds = (await reviewer.JournalAsync(instanceId)).Kinds().ToList();
        Assert.Contains("incident.raised", kinds);
        Assert.Contains("incident.retried", kinds);
        Assert.Contains("incident.resolved", kinds);
    }

    [Fact]
    public async Task Migration_lists_problems_on_a_dry_run_refuses_them_and_moves_the_task_with_a_mapping()
    {
        var host = await HostAsync();
        var admin = await host.SignedInAsync("admin.province");
        var key = TestDefinitions.NewKey("migrate");
        await admin.DeployAsync(TestDefinitions.SingleTask(key, "old-check"));
        var reviewer = await host.SignedInAsync("review.suzhou");
        var instanceId = await reviewer.StartAsync(key);
        Assert.Equal(2, await admin.DeployAsync(TestDefinitions.SingleTask(key, "new-check")));
        var uri = $"/api/v1/instances/{instanceId}/migrate";

        var dryRun = await admin.PostAsJsonAsync(uri, new { toVersion = 2, dryRun = true });
        var refused = await admin.PostAsJsonAsync(uri, new { toVersion = 2, dryRun = false });
        var byReviewer = await reviewer.PostAsJsonAsync(uri, new { toVersion = 2, mapping = new Dictionary<string, string> { ["old-check"] = "new-check" }, dryRun = false });
        var noVersion = await admin.PostAsJsonAsync(uri, new { dryRun = true });
        var blankTarget = await admin.PostAsJsonAsync(uri, new { toVersion = 2, mapping = new Dictionary<string, string?> { ["old-check"] = null } });
        var mappedDryRun = await admin.PostAsJsonAsync(uri, new { toVersion = 2, mapping = new Dictionary<string, string> { ["old-check"] = "new-check" } });
        Assert.Equal("old-check", (await reviewer.TasksAsync($"instanceId={instanceId}"))[0].GetProperty("elementId").GetString());
        var migrated = await admin.PostAsJsonAsync(uri, new { toVersion = 2, mapping = new Dictionary<string, string> { ["old-check"] = "new-check" }, dryRun = false });

        Assert.Equal(HttpStatusCode.OK, dryRun.StatusCode);
        var plan = await dryRun.JsonAsync();
        Assert.True(plan.GetProperty("dryRun").GetBoolean());
        Assert.False(plan.GetProperty("migrated").GetBoolean());
        Assert.Equal("old-check", Assert.Single(plan.GetProperty("problems").EnumerateArray()).GetProperty("elementId").GetString());
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var refusal = await refused.JsonAsync();
        Assert.False(refusal.GetProperty("migrated").GetBoolean());
        Assert.Equal("old-check", Assert.Single(refusal.GetProperty("problems").EnumerateArray()).GetProperty("elementId").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, byReviewer.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noVersion.StatusCode);
        Assert.Single(await noVersion.FieldErrorsAsync("toVersion"));
        Assert.Equal(HttpStatusCode.BadRequest, blankTarget.StatusCode);
        Assert.Single(await blankTarget.FieldErrorsAsync("mapping.old-check"));
        Assert.Equal(HttpStatusCode.OK, mappedDryRun.StatusCode);
        Assert.Empty((await mappedDryRun.JsonAsync()).GetProperty("problems").EnumerateArray());
        Assert.Equal(HttpStatusCode.OK, migrated.StatusCode);
        var done = await migrated.JsonAsync();
        Assert.True(done.GetProperty("migrated").GetBoolean());
        Assert.Equal("new-check", done.GetProperty("mapping").GetProperty("old-check").GetString());
        var instance = await reviewer.InstanceAsync(instanceId);
        Assert.Equal(2, instance.GetProperty("version").GetInt32());
        Assert.Equal(["new-check"], instance.GetProperty("activeElementIds").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("new-check", Assert.Single(await reviewer.TasksAsync($"instanceId={instanceId}")).GetProperty("elementId").GetString());
        Assert.Contains("instance.migrated", (await reviewer.JournalAsync(instanceId)).Kinds());
    }

    [Fact]
    public async Task Cancelling_needs_a_reason_and_terminates_the_instance_once()
    {
        var host = await HostAsync();
        var admin = await host.SignedInAsync("admin.suzhou");
        var key = TestDefinitions.NewKey("cancel");
        await admin.DeployAsync(TestDefinitions.SingleTask(key));
        var reviewer = await host.SignedInAsync("review.suzhou");
        var instanceId = await reviewer.StartAsync(key);
        var uri = $"/api/v1/instances/{instanceId}/cancel";

        var noReason = await admin.PostAsJsonAsync(uri, new { reason = " " });
        var byReviewer = await reviewer.PostAsJsonAsync(uri, new { reason = "撤回申请" });
        var byProvince = await (await host.SignedInAsync("admin.province")).GetAsync($"/api/v1/instances/{instanceId}");
        var cancelled = await admin.PostAsJsonAsync(uri, new { reason = "企业撤回申请" });
        var twice = await admin.PostAsJsonAsync(uri, new { reason = "再次撤回" });

        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Single(await noReason.FieldErrorsAsync("reason"));
        Assert.Equal(HttpStatusCode.Forbidden, byReviewer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byProvince.StatusCode); // the province sees every city's instances
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Equal("terminated", (await cancelled.JsonAsync()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Empty(await reviewer.TasksAsync($"instanceId={instanceId}"));
        Assert.Equal("cancelled", Assert.Single(await reviewer.TasksAsync($"instanceId={instanceId}&status=cancelled")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_city_administrator_cannot_reach_another_citys_instance()
    {
        var host = await HostAsync();
        var key = TestDefinitions.NewKey("city");
        await (await host.SignedInAsync("admin.province")).DeployAsync(TestDefinitions.SingleTask(key));
        await host.EnsureUserAsync("admin.nanjing", "nanjing", "admin");
        var instanceId = await (await host.SignedInAsync("review.suzhou")).StartAsync(key);
        var nanjingAdmin = await host.SignedInAsync("admin.nanjing");

        Assert.Equal(HttpStatusCode.NotFound, (await nanjingAdmin.PostAsJsonAsync($"/api/v1/instances/{instanceId}/cancel", new { reason = "越权" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await nanjingAdmin.GetAsync($"/api/v1/instances/{instanceId}/journal")).StatusCode);
    }

    [Fact]
    public async Task Uploads_must_be_xml_not_empty_and_at_most_five_megabytes()
    {
        var host = await HostAsync();
        var admin = await host.SignedInAsync("admin.province");

        var json = await admin.PostAsJsonAsync("/api/v1/definitions", new { xml = "<x/>" });
        var empty = await admin.UploadAsync("");
        var huge = await admin.UploadAsync(TestDefinitions.SingleTask(TestDefinitions.NewKey("huge")).Replace("</bpmn:definitions>",
            $"<!-- {new string('x', 5 * 1024 * 1024)} --></bpmn:definitions>"));
        var notWellFormed = await admin.UploadAsync("<bpmn:definitions", "text/xml");
        var byReviewer = await (await host.SignedInAsync("review.suzhou")).UploadAsync(TestDefinitions.SingleTask(TestDefinitions.NewKey("nope")));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.StatusCode);
        Assert.Single(await json.FieldErrorsAsync("body"));
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Single(await empty.FieldErrorsAsync("body"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, notWellFormed.StatusCode);
        Assert.Equal("", Assert.Single((await notWellFormed.JsonAsync()).GetProperty("errors").EnumerateArray()).GetProperty("elementId").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, byReviewer.StatusCode);
    }

    [Fact]
    public async Task Problems_of_a_file_come_in_the_callers_language()
    {
        var admin = await (await HostAsync()).SignedInAsync("admin.province");
        HttpRequestMessage Upload(string language)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/definitions")
            {
                Content = new StringContent(TestDefinitions.Broken(TestDefinitions.NewKey("lang")), Encoding.UTF8, "application/xml"),
            };
            request.Headers.AcceptLanguage.ParseAdd(language);
            return request;
        }

        var english = await (await admin.SendAsync(Upload("en"))).JsonAsync();
        var chinese = await (await admin.SendAsync(Upload("zh-CN"))).JsonAsync();

        string Message(System.Text.Json.JsonElement body) => body.GetProperty("errors").EnumerateArray()
            .Single(e => e.GetProperty("elementId").GetString() == "send").GetProperty("message").GetString()!;
        Assert.Contains("not supported", Message(english));
        Assert.Contains("不支持", Message(chinese));
        Assert.Contains("not valid", english.GetProperty("title").GetString());
        Assert.Contains("有误", chinese.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Versions_are_drafts_until_published_and_a_retired_version_starts_nothing()
    {
        var host = await HostAsync();
        var admin = await host.SignedInAsync("admin.province");
        var key = TestDefinitions.NewKey("versions");
        var xml = TestDefinitions.SingleTask(key);
        Assert.Equal(HttpStatusCode.Created, (await admin.UploadAsync(xml)).StatusCode);

        var retireDraft = await admin.PostAsync($"/api/v1/definitions/{key}/versions/1/retire", null);
        var missing = await admin.PostAsync($"/api/v1/definitions/{key}/versions/9/publish", null);
        var details = await (await (await host.SignedInAsync("review.suzhou")).GetAsync($"/api/v1/definitions/{key}/versions/1")).JsonAsync();
        var published = await admin.PostAsync($"/api/v1/definitions/{key}/versions/1/publish", null);
        var retired = await admin.PostAsync($"/api/v1/definitions/{key}/versions/1/retire", null);
        var start = await (await host.SignedInAsync("review.suzhou")).PostAsJsonAsync("/api/v1/instances", new { definitionKey = key });
        var versions = await (await admin.GetAsync($"/api/v1/definitions/{key}/versions")).JsonAsync();

        Assert.Equal(HttpStatusCode.Conflict, retireDraft.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("draft", details.GetProperty("status").GetString());
        Assert.Equal("admin.province", details.GetProperty("createdBy").GetString());
        Assert.Equal(xml, details.GetProperty("xml").GetString());
        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        Assert.Equal("retired", (await retired.JsonAsync()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.NotFound, start.StatusCode);
        var only = Assert.Single(versions.EnumerateArray());
        Assert.Equal("retired", only.GetProperty("status").GetString());
        Assert.EndsWith("+08:00", only.GetProperty("retiredAt").GetString());
    }

    [Fact]
    public async Task Starting_needs_a_definition_key()
    {
        var reviewer = await (await HostAsync()).SignedInAsync("review.suzhou");

        var response = await reviewer.PostAsJsonAsync("/api/v1/instances", new { businessKey = "X" });
        var wrongType = await reviewer.PostAsJsonAsync("/api/v1/instances", new { definitionKey = "x", variables = "not an object" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Single(await response.FieldErrorsAsync("definitionKey"));
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
        Assert.Single(await wrongType.FieldErrorsAsync("variables"));
    }
}
