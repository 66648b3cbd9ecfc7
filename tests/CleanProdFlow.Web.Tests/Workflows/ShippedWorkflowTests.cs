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
    public async Task The_reception_day_workflow_is_published_at_start_up_and_runs_only_through_its_intake()
    {
        var host = await hosts.HostAsync(DatabaseProvider.Sqlite);
        var acceptance = await host.SignedInAsync("acceptance.suzhou");
        var definitions = await (await acceptance.GetAsync("/api/v1/definitions")).JsonAsync();
        var shipped = definitions.EnumerateArray().Single(d => d.GetProperty("key").GetString() == "reception-day");
        Assert.Equal("published", shipped.GetProperty("status").GetString());
        Assert.Equal("环保接待日企业诉求办理", shipped.GetProperty("name").GetString());

        // Started by hand (not through POST /api/v1/reception/sessions/{id}/requests) it has no request to record its
        // status on: the first step stops with an incident instead of running a request nobody registered.
        var instanceId = await acceptance.StartAsync("reception-day", "91320500MA1RECEPT1", new { enterpriseName = "苏州示例电子有限公司", request = "咨询" });
        var instance = await acceptance.InstanceAsync(instanceId);
        var incident = Assert.Single(instance.GetProperty("incidents").EnumerateArray());
        Assert.Equal("mark-triage", incident.GetProperty("elementId").GetString());
        Assert.Empty(await acceptance.TasksAsync($"instanceId={instanceId}"));
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
