using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CleanProdFlow.Data.Database;
using CleanProdFlow.Engine.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace CleanProdFlow.Web.Tests.Workflows;

/// <summary>BPMN files the workflow tests deploy; each test uses its own key so tests sharing a host do not meet.</summary>
public static class TestDefinitions
{
    public static string NewKey(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    private const string Header = """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
                          xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                          xmlns:cpf="https://cleanprodflow.example/schema/1.0"
                          id="defs" targetNamespace="https://cleanprodflow.example/tests">
        """;

    /// <summary>
    /// A review task (outcomes approve/reject, required form field "opinion") with a non-interrupting 3-day timer
    /// that raises a reminder task; after the review the instance waits for the message "documents-received".
    /// </summary>
    public static string ReviewWithTimerAndMessage(string key) => Header + $"""
          <bpmn:message id="msg-docs" name="documents-received"/>
          <bpmn:process id="{key}" name="测试：审查、催办与补件" isExecutable="true">
            <bpmn:startEvent id="start"/>
            <bpmn:userTask id="review" name="审查" cpf:candidateGroups="review" cpf:outcomes="approve,reject">
              <bpmn:extensionElements>
                <cpf:form><cpf:field name="opinion" type="text" label="审查意见" required="true"/></cpf:form>
              </bpmn:extensionElements>
            </bpmn:userTask>
            <bpmn:boundaryEvent id="review-late" attachedToRef="review" cancelActivity="false">
              <bpmn:timerEventDefinition><bpmn:timeDuration>P3D</bpmn:timeDuration></bpmn:timerEventDefinition>
            </bpmn:boundaryEvent>
            <bpmn:userTask id="remind" name="催办" cpf:candidateGroups="review"/>
            <bpmn:endEvent id="reminded"/>
            <bpmn:intermediateCatchEvent id="wait-docs" name="等待补件">
              <bpmn:messageEventDefinition messageRef="msg-docs"/>
            </bpmn:intermediateCatchEvent>
            <bpmn:endEvent id="done"/>
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review"/>
            <bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="wait-docs"/>
            <bpmn:sequenceFlow id="f3" sourceRef="wait-docs" targetRef="done"/>
            <bpmn:sequenceFlow id="f4" sourceRef="review-late" targetRef="remind"/>
            <bpmn:sequenceFlow id="f5" sourceRef="remind" targetRef="reminded"/>
          </bpmn:process>
        </bpmn:definitions>
        """;

    /// <summary>Three problems at three elements: a task nobody may see, an unsupported send task, a timer without a time.</summary>
    public static string Broken(string key) => Header + $"""
          <bpmn:process id="{key}" isExecutable="true">
            <bpmn:startEvent id="start"/>
            <bpmn:userTask id="no-groups" name="无人可见"/>
            <bpmn:sendTask id="send" name="发送"/>
            <bpmn:intermediateCatchEvent id="no-time"><bpmn:timerEventDefinition/></bpmn:intermediateCatchEvent>
            <bpmn:endEvent id="end"/>
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="no-groups"/>
            <bpmn:sequenceFlow id="f2" sourceRef="no-groups" targetRef="send"/>
            <bpmn:sequenceFlow id="f3" sourceRef="send" targetRef="no-time"/>
            <bpmn:sequenceFlow id="f4" sourceRef="no-time" targetRef="end"/>
          </bpmn:process>
        </bpmn:definitions>
        """;

    /// <summary>One user task (<paramref name="taskId"/>) for the review role.</summary>
    public static string SingleTask(string key, string taskId = "check") => Header + $"""
          <bpmn:process id="{key}" name="测试：单一任务" isExecutable="true">
            <bpmn:startEvent id="start"/>
            <bpmn:userTask id="{taskId}" name="核查" cpf:candidateGroups="review"/>
            <bpmn:endEvent id="end"/>
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="{taskId}"/>
            <bpmn:sequenceFlow id="f2" sourceRef="{taskId}" targetRef="end"/>
          </bpmn:process>
        </bpmn:definitions>
        """;

    /// <summary>Waits on a timer (3 days unless told), then offers a task.</summary>
    public static string TimerThenTask(string key, string duration = "P3D") => Header + $"""
          <bpmn:process id="{key}" name="测试：定时后办理" isExecutable="true">
            <bpmn:startEvent id="start"/>
            <bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeDuration>{duration}</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
            <bpmn:userTask id="after-wait" name="到期办理" cpf:candidateGroups="review"/>
            <bpmn:endEvent id="end"/>
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="wait"/>
            <bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="after-wait"/>
            <bpmn:sequenceFlow id="f3" sourceRef="after-wait" targetRef="end"/>
          </bpmn:process>
        </bpmn:definitions>
        """;

    /// <summary>
    /// A service task whose handler is <see cref="FlakyHandler"/>, then a task; with <paramref name="waitFirst"/> (an ISO
    /// duration) a timer before the service task.
    /// </summary>
    public static string FlakyService(string key, string? waitFirst = null)
    {
        var wait = waitFirst is null ? "" : $"""
            <bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeDuration>{waitFirst}</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
            <bpmn:sequenceFlow id="f0" sourceRef="wait" targetRef="call"/>
""";
        return Header + $"""
          <bpmn:process id="{key}" name="测试：服务任务异常" isExecutable="true">
            <bpmn:startEvent id="start"/>{wait}
            <bpmn:serviceTask id="call" name="调用外部系统" cpf:handler="{FlakyHandler.HandlerName}"/>
            <bpmn:userTask id="after-call" name="继续办理" cpf:candidateGroups="review"/>
            <bpmn:endEvent id="end"/>
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="{(waitFirst is null ? "call" : "wait")}"/>
            <bpmn:sequenceFlow id="f2" sourceRef="call" targetRef="after-call"/>
            <bpmn:sequenceFlow id="f3" sourceRef="after-call" targetRef="end"/>
          </bpmn:process>
        </bpmn:definitions>
        """;
    }
}

/// <summary>A service-task handler that fails the first time for each instance and succeeds after.</summary>
public sealed class FlakyHandler : IServiceTaskHandler
{
    public const string HandlerName = "test.flaky";
    private readonly ConcurrentDictionary<Guid, int> _calls = new();

    public string Name => HandlerName;

    public Task<JsonObject?> ExecuteAsync(ServiceTaskContext context, CancellationToken cancellationToken)
    {
        var call = _calls.AddOrUpdate(context.InstanceId, 1, (_, n) => n + 1);
        if (call == 1)
            throw new InvalidOperationException("the external system did not answer");
        return Task.FromResult<JsonObject?>(new JsonObject { ["calledTimes"] = call });
    }
}

/// <summary>What a test does through the workflow API.</summary>
public static class WorkflowApi
{
    public const string VirtualStart = "2026-10-12T09:00:00+08:00";

    public static Dictionary<string, string?> VirtualClock(string start = VirtualStart) => new()
    {
        ["Clock:Mode"] = "Virtual",
        ["Clock:VirtualStart"] = start,
    };

    public static Task<HttpResponseMessage> UploadAsync(this HttpClient client, string xml, string mediaType = "application/xml") =>
        client.PostAsync("/api/v1/definitions", new StringContent(xml, Encoding.UTF8, mediaType));

    /// <summary>Uploads and publishes; returns the version.</summary>
    public static async Task<int> DeployAsync(this HttpClient admin, string xml)
    {
        var upload = await admin.UploadAsync(xml);
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        var body = await upload.JsonAsync();
        var key = body.GetProperty("key").GetString()!;
        var version = body.GetProperty("version").GetInt32();
        var publish = await admin.PostAsync($"/api/v1/definitions/{key}/versions/{version}/publish", null);
        Assert.Equal(HttpStatusCode.OK, publish.StatusCode);
        return version;
    }

    public static async Task<Guid> StartAsync(this HttpClient client, string key, string? businessKey = null, object? variables = null)
    {
        var response = await client.PostAsJsonAsync("/api/v1/instances", new { definitionKey = key, businessKey, variables = variables ?? new { } });
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"start answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.JsonAsync()).GetProperty("id").GetGuid();
    }

    public static async Task<JsonElement> InstanceAsync(this HttpClient client, Guid id)
    {
        var response = await client.GetAsync($"/api/v1/instances/{id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    public static async Task<IReadOnlyList<JsonElement>> JournalAsync(this HttpClient client, Guid id)
    {
        var response = await client.GetAsync($"/api/v1/instances/{id}/journal");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync()).EnumerateArray().ToList();
    }

    public static async Task<IReadOnlyList<JsonElement>> TasksAsync(this HttpClient client, string query)
    {
        var response = await client.GetAsync($"/api/v1/tasks?{query}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"tasks answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.JsonAsync()).EnumerateArray().ToList();
    }

    public static async Task<Guid> OpenTaskAsync(this HttpClient client, Guid instanceId, string elementId) =>
        Assert.Single(await client.TasksAsync($"instanceId={instanceId}"), t => t.GetProperty("elementId").GetString() == elementId)
            .GetProperty("id").GetGuid();

    public static Task<HttpResponseMessage> CompleteAsync(this HttpClient client, Guid taskId, object body, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/tasks/{taskId}/complete") { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null)
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        return client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> AdvanceAsync(this HttpClient admin, object body) =>
        admin.PostAsJsonAsync("/api/v1/clock/advance", body);

    public static IEnumerable<string> Kinds(this IEnumerable<JsonElement> journal) => journal.Select(j => j.GetProperty("kind").GetString()!);

    /// <summary>Creates a user through the admin API (a user that exists already is fine).</summary>
    public static async Task EnsureUserAsync(this CpfWebFactory factory, string username, string organisation, params string[] roles)
    {
        var admin = await factory.SignedInAsync("admin.province");
        var response = await admin.PostAsJsonAsync("/api/v1/admin/users",
            new { username, displayName = "测试 " + username, organisation, roles, password = CpfWebFactory.Password });
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, $"creating {username}: {(int)response.StatusCode}");
    }

    public static T Service<T>(this CpfWebFactory factory) where T : notnull => factory.Services.GetRequiredService<T>();
}

/// <summary>
/// Hosts with the virtual clock (starting at <see cref="WorkflowApi.VirtualStart"/>) and the <see cref="FlakyHandler"/>,
/// one per provider, created when a test first asks and shared by the tests of a class. A PostgreSQL host is
/// skipped with the reason when no server is configured.
/// </summary>
public sealed class VirtualHostsFixture : HostsPerProvider
{
    protected override Task<CpfWebFactory> StartAsync(DatabaseProvider provider) =>
        CpfWebFactory.StartAsync(provider, services => services.AddSingleton<IServiceTaskHandler, FlakyHandler>(), WorkflowApi.VirtualClock());
}
