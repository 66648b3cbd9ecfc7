using System.Net;
using System.Net.Http.Json;
using CleanProdFlow.Data.Database;
using CleanProdFlow.Web.Tests.Compliance;
using CleanProdFlow.Web.Tests.Eia;
using CleanProdFlow.Web.Tests.Revocation;
using CleanProdFlow.Web.Tests.Workflows;

namespace CleanProdFlow.Web.Tests.Reception;

/// <summary>
/// The reception-day intake and who sees what: only an advanced enterprise (active on the register) may bring a
/// request, every refusal is a 400 naming the field and records nothing, a replayed intake answers the request it
/// recorded, another city's session is a 404, auditors read and record nothing. The clock does not move here.
/// </summary>
public sealed class ReceptionIntakeTests(ReceptionHostsFixture hosts) : IClassFixture<ReceptionHostsFixture>
{
    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Only_an_advanced_enterprise_s_valid_request_is_recorded(DatabaseProvider provider)
    {
        var host = await hosts.HostAsync(provider);
        // A province session: its numbers (省厅接待〔2026〕…) are this test's alone.
        var sessionId = await host.SessionAsync(username: "acceptance.province");
        var acceptance = await host.As("acceptance.province");

        // Eligible but never admitted to the register: not an advanced enterprise.
        var notAdvanced = await host.EnterpriseAsync(eligible: true);
        var refused = await acceptance.RecordAsync(sessionId, ReceptionApi.Request(notAdvanced));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("不是清洁生产先进企业", Assert.Single(await refused.FieldErrorsAsync("creditCode")));

        // Admitted, then revoked: no longer.
        var revoked = await host.AdvancedEnterpriseAsync();
        var revocation = await (await host.As("approver.province")).PostAsJsonAsync($"/api/v1/register/{revoked}/revocation", new { reason = "受到生态环境行政处罚" });
        Assert.True(revocation.IsSuccessStatusCode, await revocation.Content.ReadAsStringAsync());
        refused = await acceptance.RecordAsync(sessionId, ReceptionApi.Request(revoked));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("取消", Assert.Single(await refused.FieldErrorsAsync("creditCode")));

        // Field by field, in English too.
        var code = await host.AdvancedEnterpriseAsync();
        var english = await host.InEnglishAsync("acceptance.province");
        refused = await english.RecordAsync(sessionId, new { creditCode = code, contactName = " ", category = "gossip", request = "", contactPhone = "call me" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("category 'gossip' must be policy, technology, permit, funding or other", Assert.Single(await refused.FieldErrorsAsync("category")));
        Assert.Single(await refused.FieldErrorsAsync("contactName"));
        Assert.Single(await refused.FieldErrorsAsync("request"));
        Assert.Single(await refused.FieldErrorsAsync("contactPhone"));
        refused = await acceptance.RecordAsync(sessionId, new { creditCode = "91320500MA1XXXXXX0", contactName = "李工", category = "policy", request = "咨询" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Single(await refused.FieldErrorsAsync("creditCode"));

        // A session not yet held takes no requests (its limit would count from a day to come).
        var later = await host.SessionAsync("2026-10-15", "acceptance.province");
        refused = await acceptance.RecordAsync(later, ReceptionApi.Request(code));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Single(await refused.FieldErrorsAsync("sessionId"));

        // Nothing was recorded by any refusal: the first request recorded takes number 001.
        Assert.Equal(0, (await host.SessionListAsync(sessionId)).GetProperty("count").GetInt32());
        var recorded = await host.RecordedAsync(sessionId, ReceptionApi.Request(code, "policy"), "acceptance.province");
        Assert.Equal("省厅接待〔2026〕001", recorded.Text("requestNumber"));
        Assert.Equal("triage", recorded.Text("status"));
        Assert.Equal("政策咨询", recorded.Text("categoryName"));
    }

    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_replayed_intake_answers_the_request_it_recorded(DatabaseProvider provider)
    {
        var host = await hosts.HostAsync(provider);
        var sessionId = await host.SessionAsync();
        var code = await host.AdvancedEnterpriseAsync();
        var acceptance = await host.As("acceptance.suzhou");
        var key = $"intake-{Guid.NewGuid():N}";

        var first = await acceptance.RecordAsync(sessionId, ReceptionApi.Request(code), key);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var again = await acceptance.RecordAsync(sessionId, ReceptionApi.Request(code), key);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal((await first.JsonAsync()).Text("requestNumber"), (await again.JsonAsync()).Text("requestNumber"));
        var other = await acceptance.RecordAsync(sessionId, ReceptionApi.Request(code, request: "另一项诉求"), key);
        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);

        var list = await host.SessionListAsync(sessionId);
        Assert.Equal(1, list.GetProperty("count").GetInt32());
        var instanceId = list.GetProperty("requests")[0].GetProperty("instanceId").GetGuid();
        Assert.Equal(["triage"], await host.OpenTasksAsync(instanceId));

        // The request on its own: its row, the session and its open task.
        var number = (await first.JsonAsync()).Text("requestNumber")!;
        var single = await acceptance.GetAsync($"/api/v1/reception/requests/{Uri.EscapeDataString(number)}");
        Assert.Equal(HttpStatusCode.OK, single.StatusCode);
        var details = await single.JsonAsync();
        Assert.Equal(sessionId, details.GetProperty("session").GetProperty("id").GetGuid());
        Assert.Equal(code, details.GetProperty("request").Text("creditCode"));
        Assert.Equal("triage", Assert.Single(details.GetProperty("tasks").EnumerateArray()).GetProperty("elementId").GetString());
    }

    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Another_city_s_session_is_not_found_and_auditors_only_read(DatabaseProvider provider)
    {
        var host = await hosts.HostAsync(provider);
        await host.EnsureUserAsync("acceptance.nanjing", "nanjing", "acceptance");
        var sessionId = await host.SessionAsync();
        var code = await host.AdvancedEnterpriseAsync();
        await host.RecordedAsync(sessionId, ReceptionApi.Request(code));

        var nanjing = await host.As("acceptance.nanjing");
        Assert.Equal(HttpStatusCode.NotFound, (await nanjing.GetAsync($"/api/v1/reception/sessions/{sessionId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await nanjing.GetAsync($"/api/v1/reception/sessions/{sessionId}/requests.csv")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await nanjing.RecordAsync(sessionId, ReceptionApi.Request(code))).StatusCode);
        Assert.DoesNotContain((await (await nanjing.GetAsync("/api/v1/reception/sessions")).JsonAsync()).EnumerateArray(),
            s => s.GetProperty("id").GetGuid() == sessionId);
        // A city schedules its own sessions only.
        Assert.Equal(HttpStatusCode.Forbidden, (await nanjing.CreateSessionAsync(organisation: "suzhou")).StatusCode);
        var badDate = await nanjing.CreateSessionAsync(date: "2026-13-01");
        Assert.Equal(HttpStatusCode.BadRequest, badDate.StatusCode);
        Assert.Single(await badDate.FieldErrorsAsync("date"));

        // The province sees every city's sessions; its auditor reads and records nothing.
        var auditor = await host.As("auditor.province");
        Assert.Contains((await (await auditor.GetAsync("/api/v1/reception/sessions")).JsonAsync()).EnumerateArray(),
            s => s.GetProperty("id").GetGuid() == sessionId);
        Assert.Equal(1, (await host.SessionListAsync(sessionId, "auditor.province")).GetProperty("count").GetInt32());
        Assert.Equal(HttpStatusCode.Forbidden, (await auditor.RecordAsync(sessionId, ReceptionApi.Request(code))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await auditor.CreateSessionAsync()).StatusCode);
        Assert.Equal(1, (await host.SessionListAsync(sessionId)).GetProperty("count").GetInt32());

        // The pages show the same: the session list for Suzhou (with its CSV), the 404 page for Nanjing.
        var number = (await host.SessionListAsync(sessionId)).GetProperty("requests")[0].Text("requestNumber")!;
        Assert.Equal(HttpStatusCode.NotFound, (await nanjing.GetAsync($"/api/v1/reception/requests/{Uri.EscapeDataString(number)}")).StatusCode);
        var page = await PageSession.SignInAsync(host, "acceptance.suzhou");
        var (status, html) = await page.GetAsync("/reception");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"/reception/sessions/{sessionId}", html);
        (status, html) = await page.GetAsync($"/reception/sessions/{sessionId}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(number, html);
        Assert.Contains("待分办", html);
        var csv = await page.Http.GetAsync($"/reception/sessions/{sessionId}?handler=Csv");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Contains(number, System.Text.Encoding.UTF8.GetString(await csv.Content.ReadAsByteArrayAsync()));
        var (other, _) = await (await PageSession.SignInAsync(host, "acceptance.nanjing")).GetAsync($"/reception/sessions/{sessionId}");
        Assert.Equal(HttpStatusCode.NotFound, other);
    }
}
