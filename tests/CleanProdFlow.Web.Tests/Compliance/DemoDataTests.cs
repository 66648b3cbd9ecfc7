using System.Diagnostics;
using CleanProdFlow.Data.Compliance;
using CleanProdFlow.Data.Database;
using CleanProdFlow.TestSupport;
using CleanProdFlow.Web.Demo;
using CleanProdFlow.Web.Timing;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace CleanProdFlow.Web.Tests.Compliance;

/// <summary>
/// The living first run (Demo:SeedData): enterprises eligible and not, cases in every state through the real
/// workflows, nothing broken on the way (no incident), and a second start that adds nothing.
/// </summary>
public abstract class DemoDataTests(ITestOutputHelper output)
{
    protected abstract DatabaseProvider Provider { get; }

    [SkippableFact]
    public async Task A_first_start_creates_enterprises_and_cases_in_every_state_and_a_restart_adds_nothing()
    {
        var watch = Stopwatch.StartNew();
        await using var host = await CpfWebFactory.StartAsync(Provider, settings: DemoHostFixture.Settings);
        output.WriteLine($"host with demo data started in {watch.ElapsedMilliseconds} ms on {Provider}");
        var database = host.Services.GetRequiredService<CpfDatabase>();

        async Task<long> CountAsync(string sql)
        {
            await using var connection = await database.OpenAsync();
            return await connection.ExecuteScalarAsync<long>(sql);
        }

        Assert.Equal(20, await CountAsync("SELECT COUNT(*) FROM enterprises"));
        Assert.Equal(30, await CountAsync("SELECT COUNT(*) FROM eia_applications"));
        Assert.Equal(3, await CountAsync("SELECT COUNT(*) FROM workflow_instances WHERE definition_key = 'reception-day'"));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM workflow_incidents"));
        Assert.True(await CountAsync("SELECT COUNT(*) FROM eia_applications WHERE track = 'standard'") >= 5, "ineligible enterprises take the standard track");
        Assert.True(await CountAsync("SELECT COUNT(*) FROM advanced_enterprises") >= 4, "eligible enterprises are on the register");
        Assert.True(await CountAsync("SELECT COUNT(*) FROM list_memberships") >= 4);
        Assert.True(await CountAsync("SELECT COUNT(*) FROM workflow_instances WHERE status = 'completed'") >= 12);
        Assert.True(await CountAsync("SELECT COUNT(*) FROM users WHERE username = 'review.nanjing'") == 1, "the other cities' staff can sign in");
        // Inboxes: Suzhou's staff, the province's quota officer (escalated quota) and acceptance officers (reception day).
        Assert.True(await CountAsync("SELECT COUNT(*) FROM workflow_tasks WHERE status = 'open' AND organisation = 'suzhou'") >= 8);
        Assert.True(await CountAsync("SELECT COUNT(*) FROM workflow_tasks WHERE status = 'open' AND organisation = 'province' AND element_id = 'quota-province'") == 1);
        Assert.True(await CountAsync("SELECT COUNT(*) FROM workflow_tasks WHERE status = 'open' AND organisation = 'province' AND element_id = 'triage'") == 2);

        // Every state the dashboard shows.
        var compliance = host.Services.GetRequiredService<ComplianceStore>();
        var now = host.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        await compliance.RefreshAsync(host.Services.GetRequiredService<StatutoryTime>().Calendar, now);
        foreach (var result in new[] { "on-time", "late", "overdue", "running", "paused", "extended", "breached", "was-paused" })
            Assert.True((await compliance.CasesAsync(new ComplianceCaseQuery { Filter = new ComplianceFilter(), Result = result }, now)).Count > 0,
                $"no demo case is {result}");
        var breaches = await compliance.BreachesAsync(new ComplianceFilter(), now);
        Assert.Contains(breaches, b => b.Reason is not null);
        Assert.Contains(breaches, b => b.Reason is null);

        // Run again, and start a second node on the same database: nothing more.
        Assert.Equal(0, await host.Services.GetRequiredService<DemoData>().SeedAsync());
        await using (var again = CpfWebFactory.StartOn(host.Database, DemoHostFixture.Settings))
            Assert.Equal(20, await CountAsync("SELECT COUNT(*) FROM enterprises"));
        Assert.Equal(30, await CountAsync("SELECT COUNT(*) FROM eia_applications"));
    }
}

public sealed class SqliteDemoDataTests(ITestOutputHelper output) : DemoDataTests(output)
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class PostgresDemoDataTests(ITestOutputHelper output) : DemoDataTests(output)
{
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;
}
