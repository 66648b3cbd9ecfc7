using CleanProdFlow.Data.Database;
using static CleanProdFlow.Web.Tests.Eia.EiaApi;

namespace CleanProdFlow.Web.Tests.Eia;

/// <summary>An application recorded the day after it arrived: the decision clock still counts from the receipt.</summary>
public sealed class EiaLateRecordTests
{
    [Fact]
    public async Task A_late_record_does_not_give_the_authority_extra_days()
    {
        // Received Monday 2026-09-28, recorded Tuesday 09-29: the fast-track report limit (30 working days) ends 11-13,
        // as if recorded on the day of receipt.
        await using var host = await CpfWebFactory.StartAsync(DatabaseProvider.Sqlite, settings: Workflows.WorkflowApi.VirtualClock("2026-09-29T10:00:00+08:00"));
        var creditCode = await host.EnterpriseAsync(eligible: true);

        var submitted = await host.AcceptedAsync(Application(creditCode, receivedAt: "2026-09-28T09:00:00+08:00"));

        Assert.Equal("2026-11-13", submitted.GetProperty("decisionClock").GetProperty("dueDate").GetString());
        var clock = (await (await host.As("review.suzhou")).CaseAsync(submitted.GetProperty("caseNumber").GetString()!)).DecisionClock();
        Assert.Equal("2026-09-28T09:00:00+08:00", clock.GetProperty("startedAt").GetString());
    }
}
