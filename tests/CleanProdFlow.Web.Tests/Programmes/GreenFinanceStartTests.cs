using System.Net;
using System.Net.Http.Json;
using CleanProdFlow.Data.Database;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.Web.Tests.Eia;
using CleanProdFlow.Web.Tests.Workflows;

namespace CleanProdFlow.Web.Tests.Programmes;

/// <summary>Starting last year's batch by hand: the approver only, once, even when two starts race.</summary>
public sealed class GreenFinanceStartTests(VirtualHostsFixture hosts) : IClassFixture<VirtualHostsFixture>
{
    private const string Batches = "/api/v1/programmes/green-finance/batches";

    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Two_starts_for_the_same_year_build_one_batch_and_the_other_does_nothing(DatabaseProvider provider)
    {
        var host = await hosts.HostAsync(provider);
        // Admitted in 2026 (the virtual clock starts on 2026-10-12): not on the 2025 register.
        var admittedThisYear = await host.AdvancedAsync();

        Assert.Equal(HttpStatusCode.Forbidden, (await (await host.As("audit-officer.province")).PostAsJsonAsync(Batches, new { year = 2025 })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await host.As("approver.suzhou")).PostAsJsonAsync(Batches, new { year = 2025 })).StatusCode);
        var noYear = await (await host.As("approver.province")).PostAsJsonAsync(Batches, new { });
        Assert.Equal(HttpStatusCode.BadRequest, noYear.StatusCode);
        Assert.Single(await noYear.FieldErrorsAsync("year"));
        Assert.Empty((await host.GetOkAsync(Batches)).EnumerateArray());

        var first = await host.As("approver.province");
        var second = await host.As("approver.province");
        var answers = await Task.WhenAll(first.PostAsJsonAsync(Batches, new { year = 2025 }), second.PostAsJsonAsync(Batches, new { year = 2025 }));

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Conflict], answers.Select(a => a.StatusCode).Order());
        var created = await answers.Single(a => a.StatusCode == HttpStatusCode.Created).JsonAsync();
        Assert.Equal(2025, created.GetProperty("year").GetInt32());
        Assert.Equal("reviewing", created.Status());
        Assert.DoesNotContain(admittedThisYear, created.Candidates().Keys);
        Assert.Equal("2026-06-30", created.GetProperty("clock").GetProperty("dueDate").GetString());
        var batch = Assert.Single((await host.GetOkAsync(Batches)).EnumerateArray());
        Assert.Equal(created.GetProperty("instanceId").GetGuid(), batch.GetProperty("instanceId").GetGuid());
        // The losing start left no incident behind: it ended at "batch exists", so only the winner is still running.
        var store = host.Service<IWorkflowStore>();
        var version = (await store.LatestPublishedAsync("green-finance-batch"))!.Version;
        var running = Assert.Single(await store.RunningInstancesAsync("green-finance-batch", version));
        Assert.Equal(created.GetProperty("instanceId").GetGuid(), running.Id);
        Assert.Empty((await (await host.As("auditor.province")).InstanceAsync(running.Id)).GetProperty("incidents").EnumerateArray());
    }
}
