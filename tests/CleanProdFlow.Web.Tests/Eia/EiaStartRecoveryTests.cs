using System.Net;
using CleanProdFlow.Data.Database;
using CleanProdFlow.Data.Eia;
using CleanProdFlow.Data.Enterprises;
using CleanProdFlow.Domain.Eia;
using CleanProdFlow.Domain.Eligibility;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.TestSupport;
using CleanProdFlow.Web.Eia;
using CleanProdFlow.Web.Tests.Workflows;

namespace CleanProdFlow.Web.Tests.Eia;

/// <summary>
/// An application is recorded in one transaction and its workflow started in the next (issue 12): a node that stops
/// between them left a case that never ran, and a retry with the same Idempotency-Key was answered 200 with it. Now
/// the retry starts it, so does the next start-up, and every start of a case uses the one instance id derived from
/// its case number, so racing starts run it once.
/// </summary>
public sealed class EiaStartRecoveryTests
{
    private const string Key = "intake-cut-off-1";

    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_retry_with_the_same_key_starts_the_workflow_that_a_stopped_node_did_not_start(DatabaseProvider provider)
    {
        await using var host = await CpfWebFactory.StartAsync(provider, settings: WorkflowApi.VirtualClock(EiaHostsFixture.Acceptance));
        var code = await host.EnterpriseAsync(eligible: true);
        var caseNumber = await RecordedButNotStartedAsync(host, code);

        var retry = await SubmitWithKeyAsync(await host.As("acceptance.suzhou"), code);

        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        var answer = await retry.JsonAsync();
        Assert.Equal(caseNumber, answer.GetProperty("caseNumber").GetString());
        Assert.Equal(EiaWorkflowStart.InstanceIdOf(caseNumber), answer.GetProperty("instanceId").GetGuid());
        Assert.Equal("accepted", answer.GetProperty("status").GetString());
        Assert.NotEmpty(answer.GetProperty("tasks").EnumerateArray());
        await AssertStartedOnceAsync(host, caseNumber);
    }

    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_next_start_up_starts_an_application_whose_start_was_cut_off(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        string caseNumber;
        await using (var stopped = CpfWebFactory.StartOn(database, WorkflowApi.VirtualClock(EiaHostsFixture.Acceptance)))
            caseNumber = await RecordedButNotStartedAsync(stopped, await stopped.EnterpriseAsync(eligible: true));

        await using var restarted = CpfWebFactory.StartOn(database, WorkflowApi.VirtualClock("2026-09-28T10:00:00+08:00"));

        var applications = restarted.Service<EiaApplicationStore>();
        await Eventually.UntilAsync<Guid>(async () => (await applications.FindAsync(caseNumber))!.InstanceId, "the recovery starting the case");
        await AssertStartedOnceAsync(restarted, caseNumber);
    }

    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Starts_of_one_case_that_race_run_it_once(DatabaseProvider provider)
    {
        await using var host = await CpfWebFactory.StartAsync(provider, settings: WorkflowApi.VirtualClock(EiaHostsFixture.Acceptance));
        var caseNumber = await RecordedButNotStartedAsync(host, await host.EnterpriseAsync(eligible: true));
        var application = (await host.Service<EiaApplicationStore>().FindAsync(caseNumber))!;
        var starts = host.Service<EiaWorkflowStart>();

        var started = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => starts.StartAsync(application, CancellationToken.None))));

        Assert.All(started, s => Assert.Equal(EiaWorkflowStart.InstanceIdOf(caseNumber), s.Id));
        await AssertStartedOnceAsync(host, caseNumber);
    }

    /// <summary>What a node that stopped right after recording the application leaves: the row, no workflow.</summary>
    private static async Task<string> RecordedButNotStartedAsync(CpfWebFactory host, string code)
    {
        var enterprises = host.Service<EnterpriseStore>();
        var input = new EiaApplicationInput(code, "年产 5 万吨精细化学品扩建项目", "expand", "report", "suzhou", new Dictionary<string, decimal>(),
            EiaApi.At(EiaHostsFixture.Acceptance));
        var track = EiaTrack.Decide(EligibilityDecision.Evaluate(input.AcceptanceDate, await enterprises.AuditResultsAsync(code),
            await enterprises.PenaltiesAsync(code)));
        var (caseNumber, created) = await host.Service<EiaApplicationStore>().CreateAsync(input, track, host.Service<TimeProvider>().GetUtcNow(),
            "acceptance.suzhou", Key);
        Assert.True(created);
        Assert.Null((await host.Service<EiaApplicationStore>().FindAsync(caseNumber))!.InstanceId);
        return caseNumber;
    }

    private static Task<HttpResponseMessage> SubmitWithKeyAsync(HttpClient client, string code)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/eia/applications")
        {
            Content = System.Net.Http.Json.JsonContent.Create(EiaApi.Application(code)),
        };
        request.Headers.Add("Idempotency-Key", Key);
        return client.SendAsync(request);
    }

    private static async Task AssertStartedOnceAsync(CpfWebFactory host, string caseNumber)
    {
        var application = (await host.Service<EiaApplicationStore>().FindAsync(caseNumber))!;
        Assert.Equal(EiaWorkflowStart.InstanceIdOf(caseNumber), application.InstanceId);
        var workflows = host.Service<IWorkflowStore>();
        var instance = (await workflows.FindInstanceAsync(application.InstanceId!.Value))!;
        Assert.Equal(caseNumber, instance.State.BusinessKey);
        Assert.Empty(await workflows.OpenIncidentsAsync(application.InstanceId.Value));
        Assert.Single(await workflows.JournalAsync(application.InstanceId.Value), j => j.Kind == "instance.started");
        var all = await workflows.ListTasksAsync(new TaskQuery { BusinessKey = caseNumber, Status = null, Limit = 200 });
        Assert.All(all, t => Assert.Equal(application.InstanceId, t.InstanceId));
    }
}
