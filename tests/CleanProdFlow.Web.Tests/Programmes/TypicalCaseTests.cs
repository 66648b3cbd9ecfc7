using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CleanProdFlow.Data.Database;
using CleanProdFlow.Web.Tests.Compliance;
using CleanProdFlow.Web.Tests.Eia;
using CleanProdFlow.Web.Tests.Revocation;
using CleanProdFlow.Web.Tests.Workflows;

namespace CleanProdFlow.Web.Tests.Programmes;

/// <summary>
/// Issue 9 part 5 end to end on the virtual clock (starting 2026-10-12): the province starts the 2026 campaign, two
/// cities nominate their own advanced enterprises (not another city's, not an ordinary one), the window closes by its
/// rule, experts score, selecting eleven is refused and changes nothing, selecting three publishes exactly those with
/// their technologies recommended to the national catalogue.
/// </summary>
public sealed class TypicalCaseTests(VirtualHostsFixture hosts) : IClassFixture<VirtualHostsFixture>
{
    private const string Campaigns = "/api/v1/programmes/typical-cases";

    private static object Nomination(string creditCode, string title, int technologies = 2) => new
    {
        creditCode, title, summary = $"{title}：通过清洁生产审核实施中高费方案，年减排 COD 12 吨",
        technologies = Enumerable.Range(1, technologies).Select(i => new { name = $"{title}技术{i}", description = $"技术{i}的简要说明" }).ToArray(),
    };

    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Cities_nominate_experts_score_and_the_province_publishes_at_most_ten(DatabaseProvider provider)
    {
        var host = await hosts.HostAsync(provider);
        await host.EnsureUserAsync("audit-officer.nanjing", "nanjing", "audit-officer");
        var suzhou = new List<string>();
        for (var i = 0; i < 10; i++)
            suzhou.Add(await host.AdvancedAsync());
        var nanjing = await host.AdvancedAsync("nanjing");
        var ordinary = await host.EnterpriseAsync(eligible: true);

        // The province starts the year once; a city may not, and the year must be this year or next.
        Assert.Equal(HttpStatusCode.Forbidden, (await (await host.As("audit-officer.suzhou")).PostAsJsonAsync(Campaigns, new { year = 2026 })).StatusCode);
        var wrongYear = await (await host.As("approver.province")).PostAsJsonAsync(Campaigns, new { year = 2020 });
        Assert.Equal(HttpStatusCode.BadRequest, wrongYear.StatusCode);
        Assert.Single(await wrongYear.FieldErrorsAsync("year"));
        var started = await (await host.As("approver.province")).PostAsJsonAsync(Campaigns, new { year = 2026 });
        Assert.True(started.StatusCode == HttpStatusCode.Created, await started.Content.ReadAsStringAsync());
        Assert.Equal("nominating", (await started.JsonAsync()).Status());
        Assert.Equal(HttpStatusCode.Conflict, (await (await host.As("approver.province")).PostAsJsonAsync(Campaigns, new { year = 2026 })).StatusCode);
        var instanceId = (await host.GetOkAsync($"{Campaigns}/2026")).GetProperty("instanceId").GetGuid();

        // Two cities nominate their own enterprises.
        var suzhouOfficer = await host.As("audit-officer.suzhou");
        var nanjingOfficer = await host.As("audit-officer.nanjing");
        var nominations = $"{Campaigns}/2026/nominations";
        var ids = new Dictionary<string, Guid>();
        foreach (var (code, i) in suzhou.Select((c, i) => (c, i)))
        {
            var nominated = await suzhouOfficer.PostAsJsonAsync(nominations, Nomination(code, $"苏州案例{i + 1}"));
            Assert.True(nominated.StatusCode == HttpStatusCode.Created, await nominated.Content.ReadAsStringAsync());
            ids[code] = (await nominated.JsonAsync()).GetProperty("id").GetGuid();
        }
        var fromNanjing = await nanjingOfficer.PostAsJsonAsync(nominations, Nomination(nanjing, "南京案例", technologies: 1));
        Assert.Equal(HttpStatusCode.Created, fromNanjing.StatusCode);
        ids[nanjing] = (await fromNanjing.JsonAsync()).GetProperty("id").GetGuid();

        // Not another city's enterprise (404), not one off the register (400), not twice, not without the fields.
        Assert.Equal(HttpStatusCode.NotFound, (await suzhouOfficer.PostAsJsonAsync(nominations, Nomination(nanjing, "越权推荐"))).StatusCode);
        var notAdvanced = await suzhouOfficer.PostAsJsonAsync(nominations, Nomination(ordinary, "非先进企业"));
        Assert.Equal(HttpStatusCode.BadRequest, notAdvanced.StatusCode);
        Assert.Single(await notAdvanced.FieldErrorsAsync("creditCode"));
        Assert.Equal(HttpStatusCode.Conflict, (await suzhouOfficer.PostAsJsonAsync(nominations, Nomination(suzhou[0], "重复推荐"))).StatusCode);
        var incomplete = await suzhouOfficer.PostAsJsonAsync(nominations,
            new { creditCode = ordinary, title = "", summary = "简介", technologies = new[] { new { name = "", description = "说明" } } });
        Assert.Equal(HttpStatusCode.BadRequest, incomplete.StatusCode);
        Assert.Single(await incomplete.FieldErrorsAsync("title"));
        Assert.Single(await incomplete.FieldErrorsAsync("technologies[0].name"));
        Assert.Equal(HttpStatusCode.Forbidden, (await (await host.As("enforcement.suzhou")).PostAsJsonAsync(nominations, Nomination(suzhou[1], "无权推荐"))).StatusCode);
        Assert.Equal(11, (await host.GetOkAsync(nominations)).GetArrayLength());
        Assert.Equal([nanjing], (await host.GetOkAsync(nominations, "audit-officer.nanjing")).Codes());
        Assert.Equal(10, (await host.GetOkAsync(nominations, "audit-officer.suzhou")).GetArrayLength());

        // The window (rule typical-cases.nomination, 30 natural days from the start on 2026-10-12) ends at 24:00 of
        // Wednesday 2026-11-11 and closes by its timer.
        var armed = (await (await host.As("auditor.province")).JournalAsync(instanceId))
            .Single(j => j.GetProperty("kind").GetString() == "timer.armed" && j.GetProperty("elementId").GetString() == "nomination-window");
        Assert.Equal("2026-11-12T00:00:00+08:00", EiaApi.Beijing(armed.GetProperty("data").GetProperty("dueAt").GetDateTimeOffset()));
        await host.AdvanceToAsync("2026-11-11T23:00:00+08:00");
        Assert.Equal("nominating", (await host.GetOkAsync($"{Campaigns}/2026")).Status());
        await host.AdvanceToAsync("2026-11-20T09:00:00+08:00");
        Assert.Equal("reviewing", (await host.GetOkAsync($"{Campaigns}/2026")).Status());
        Assert.Equal(HttpStatusCode.Conflict, (await (await host.As("audit-officer.suzhou")).PostAsJsonAsync(nominations, Nomination(ordinary, "逾期推荐"))).StatusCode);

        // Experts score every nomination; a score above 100 is refused.
        var reviewer = await host.As("review.province");
        var tooHigh = await reviewer.PostAsJsonAsync($"{nominations}/{ids[nanjing]}/review", new { score = 101, opinion = "优秀" });
        Assert.Equal(HttpStatusCode.BadRequest, tooHigh.StatusCode);
        Assert.Single(await tooHigh.FieldErrorsAsync("score"));
        Assert.Equal(HttpStatusCode.Forbidden, (await (await host.As("review.suzhou")).PostAsJsonAsync($"{nominations}/{ids[nanjing]}/review",
            new { score = 90, opinion = "越权" })).StatusCode);
        var score = 95;
        foreach (var id in ids.Values)
            Assert.Equal(HttpStatusCode.OK, (await reviewer.PostAsJsonAsync($"{nominations}/{id}/review", new { score = score--, opinion = "技术先进，效益显著" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await (await host.As("approver.province")).PostAsJsonAsync($"{Campaigns}/2026/selection",
            new { nominationIds = new[] { ids[nanjing] } })).StatusCode);
        await host.DoAsync("review.province", await host.TaskAsync(instanceId, "expert-review", "review.province"),
            new { variables = new { reviewSummary = "11 个案例均已评分" } });
        Assert.Equal("selecting", (await host.GetOkAsync($"{Campaigns}/2026")).Status());

        // Eleven is refused naming the field, and nothing changes.
        var approver = await host.As("approver.province");
        var eleven = await approver.PostAsJsonAsync($"{Campaigns}/2026/selection", new { nominationIds = ids.Values.ToArray() });
        Assert.Equal(HttpStatusCode.BadRequest, eleven.StatusCode);
        Assert.Single(await eleven.FieldErrorsAsync("nominationIds"));
        var unknown = await approver.PostAsJsonAsync($"{Campaigns}/2026/selection", new { nominationIds = new[] { ids[nanjing], Guid.NewGuid() } });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Single(await unknown.FieldErrorsAsync("nominationIds[1]"));
        Assert.Equal("selecting", (await host.GetOkAsync($"{Campaigns}/2026")).Status());
        Assert.All((await host.GetOkAsync(nominations)).EnumerateArray(), n => Assert.Equal("nominated", n.Status()));
        Assert.Single(await approver.TasksAsync($"instanceId={instanceId}"), t => t.GetProperty("elementId").GetString() == "select");
        Assert.Empty((await (await host.CreateClient().GetAsync("/public/typical-cases.json")).JsonAsync()).EnumerateArray());

        // Three selected (one from each city and another) → published, exactly those, technologies flagged.
        var selected = new[] { ids[suzhou[0]], ids[nanjing], ids[suzhou[4]] };
        var published = await approver.PostAsJsonAsync($"{Campaigns}/2026/selection", new { nominationIds = selected, selectionNote = "经厅务会审定" });
        Assert.True(published.StatusCode == HttpStatusCode.OK, await published.Content.ReadAsStringAsync());
        var campaign = await published.JsonAsync();
        Assert.Equal("published", campaign.Status());
        Assert.Equal(3, campaign.GetProperty("selected").GetInt32());
        Assert.Equal("completed", (await (await host.As("auditor.province")).InstanceAsync(instanceId)).GetProperty("status").GetString());

        var publicList = (await (await host.CreateClient().GetAsync("/public/typical-cases.json")).JsonAsync()).EnumerateArray().ToList();
        var year = Assert.Single(publicList);
        Assert.Equal(2026, year.GetProperty("year").GetInt32());
        var cases = year.GetProperty("cases").EnumerateArray().ToList();
        Assert.Equal(new[] { suzhou[0], nanjing, suzhou[4] }.Order(), cases.Select(c => c.GetProperty("creditCode").GetString()!).Order());
        // Best score first: 95, 91 and the last scored, 85.
        Assert.Equal(["苏州案例1", "苏州案例5", "南京案例"], cases.Select(c => c.GetProperty("title").GetString()));
        Assert.Equal([95, 91, 85], cases.Select(c => c.GetProperty("score").GetInt32()));
        Assert.Equal(5, cases.Sum(c => c.GetProperty("technologies").GetArrayLength()));
        Assert.All(cases.SelectMany(c => c.GetProperty("technologies").EnumerateArray()),
            t => Assert.True(t.GetProperty("recommendedToNationalCatalogue").GetBoolean()));
        var all = (await host.GetOkAsync(nominations)).EnumerateArray().ToList();
        Assert.Equal(3, all.Count(n => n.Status() == "selected"));
        Assert.Equal(8, all.Count(n => n.Status() == "not-selected"));
        Assert.All(all.Where(n => n.Status() == "not-selected").SelectMany(n => n.GetProperty("technologies").EnumerateArray()),
            t => Assert.False(t.GetProperty("recommendedToNationalCatalogue").GetBoolean()));

        // The page shows a city its own nominations only, the province every one, with the selected ones marked.
        var (status, nanjingPage) = await (await PageSession.SignInAsync(host, "audit-officer.nanjing")).GetAsync("/programmes");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("南京案例", nanjingPage);
        Assert.DoesNotContain("苏州案例1", nanjingPage);
        var (_, provincePage) = await (await PageSession.SignInAsync(host, "approver.province")).GetAsync("/programmes");
        Assert.Contains("苏州案例10", provincePage);
        Assert.Equal(3, System.Text.RegularExpressions.Regex.Count(provincePage, "class=\"nomination-selected\""));
        Assert.Contains("推荐入国家目录", provincePage);
    }
}
