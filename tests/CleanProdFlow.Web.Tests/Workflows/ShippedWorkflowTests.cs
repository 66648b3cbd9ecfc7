using System.Net;
using CleanProdFlow.Data.Database;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.Web.Workflows;
using Microsoft.Extensions.Logging.Abstractions;

namespace CleanProdFlow.Web.Tests.Workflows;

/// <summary>workflows/*.bpmn: deployed and published at start-up; the reception-day process (measure 10) runs.</summary>
public sealed class ShippedWorkflowTests(VirtualHostsFixture hosts) : IClassFixture<VirtualHostsFixture>
{
    [Fact]
    public async Task The_reception_day_request_is_triaged_handled_and_reminded_after_five_days()
    {
        var host = await hosts.HostAsync(DatabaseProvider.Sqlite);
        var acceptance = await host.SignedInAsync("acceptance.suzhou");
        var definitions = await (await acceptance.GetAsync("/api/v1/definitions")).JsonAsync();
        var shipped = definitions.EnumerateArray().Single(d => d.GetProperty("key").GetString() == "reception-day");
        Assert.Equal("published", shipped.GetProperty("status").GetString());
        Assert.Equal("环保接待日企业诉求办理", shipped.GetProperty("name").GetString());

        var instanceId = await acceptance.StartAsync("reception-day", "91320500MA1RECEPT1", new { enterpriseName = "苏州示例电子有限公司", request = "咨询清洁生产审核费用补助" });
        var triage = Assert.Single(await acceptance.TasksAsync($"instanceId={instanceId}"));
        Assert.Equal("triage", triage.GetProperty("elementId").GetString());
        Assert.Equal("受理分办", triage.GetProperty("name").GetString());
        var triageId = triage.GetProperty("id").GetGuid();

        var incomplete = await acceptance.CompleteAsync(triageId, new { outcome = "accept", variables = new { category = "gossip" } });
        Assert.Equal(HttpStatusCode.BadRequest, incomplete.StatusCode);
        Assert.Single(await incomplete.FieldErrorsAsync("variables.category"));
        Assert.Single(await incomplete.FieldErrorsAsync("variables.summary"));
        Assert.Equal(HttpStatusCode.OK, (await acceptance.CompleteAsync(triageId,
            new { outcome = "accept", variables = new { category = "funding", summary = "审核费用补助政策咨询" } })).StatusCode);

        var reviewer = await host.SignedInAsync("review.suzhou");
        var handleId = await reviewer.OpenTaskAsync(instanceId, "handle");
        var admin = await host.SignedInAsync("admin.province");
        Assert.Equal(HttpStatusCode.OK, (await admin.AdvanceAsync(new { by = "P5D" })).StatusCode);
        reviewer = await host.SignedInAsync("review.suzhou");
        var reminderId = await reviewer.OpenTaskAsync(instanceId, "reminder");
        Assert.Equal(HttpStatusCode.OK, (await reviewer.CompleteAsync(handleId, new { variables = new { reply = "已告知补助申报渠道" } })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reviewer.CompleteAsync(reminderId, new { })).StatusCode);

        Assert.Equal("completed", (await reviewer.InstanceAsync(instanceId)).GetProperty("status").GetString());
        Assert.Contains("timer.fired", (await reviewer.JournalAsync(instanceId)).Kinds());
    }

    [Fact]
    public async Task A_referred_request_ends_after_triage()
    {
        var host = await hosts.HostAsync(DatabaseProvider.Sqlite);
        var acceptance = await host.SignedInAsync("acceptance.suzhou");
        var instanceId = await acceptance.StartAsync("reception-day", "91320500MA1RECEPT2");
        var triageId = await acceptance.OpenTaskAsync(instanceId, "triage");

        var done = await acceptance.CompleteAsync(triageId, new { outcome = "refer", variables = new { category = "permit", summary = "排污许可变更，转行政审批局" } });

        Assert.Equal("completed", (await done.JsonAsync()).GetProperty("instanceStatus").GetString());
    }

    [Fact]
    public async Task An_invalid_shipped_file_stops_the_start_listing_its_problems()
    {
        var host = await hosts.HostAsync(DatabaseProvider.Sqlite);
        var directory = Directory.CreateTempSubdirectory("cpf-shipped-");
        try
        {
            var key = TestDefinitions.NewKey("shipped");
            await File.WriteAllTextAsync(Path.Combine(directory.FullName, "broken.bpmn"), TestDefinitions.Broken(key));
            var runtime = host.Service<WorkflowRuntime>();

            var refusal = await Assert.ThrowsAsync<StartupException>(() => ShippedWorkflows.DeployAsync(runtime, NullLogger.Instance, directory.FullName));

            Assert.Equal("workflows/broken.bpmn", refusal.Setting);
            Assert.Contains("no-groups", refusal.Problem);
            Assert.Contains("send", refusal.Problem);
            Assert.Empty(await host.Service<IWorkflowStore>().VersionsAsync(key));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
