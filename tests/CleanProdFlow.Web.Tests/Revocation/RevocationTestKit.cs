using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CleanProdFlow.TestSupport;
using CleanProdFlow.Web.Tests.Eia;
using CleanProdFlow.Web.Tests.Workflows;

namespace CleanProdFlow.Web.Tests.Revocation;

/// <summary>What the revocation tests do through the API: admit an enterprise with list memberships, record facts, work the case.</summary>
public static class RevocationApi
{
    public static readonly string[] Lists = ["positive-enforcement", "emergency-exemption", "special-funds"];

    /// <summary>An eligible Suzhou enterprise admitted to the register by the province and put on three lists.</summary>
    public static async Task<string> AdvancedEnterpriseAsync(this CpfWebFactory host)
    {
        var code = await host.EnterpriseAsync(eligible: true);
        var admitted = await (await host.As("approver.province")).PostAsJsonAsync("/api/v1/register", new { creditCode = code });
        Assert.True(admitted.StatusCode == HttpStatusCode.Created, $"admit {code}: {await admitted.Content.ReadAsStringAsync()}");
        var enforcement = await host.As("enforcement.suzhou");
        foreach (var list in Lists)
        {
            var added = await enforcement.PostAsJsonAsync($"/api/v1/lists/{list}/members", new { creditCode = code, reason = "清洁生产先进企业" });
            Assert.True(added.StatusCode == HttpStatusCode.Created, $"add {code} to {list}: {await added.Content.ReadAsStringAsync()}");
        }
        return code;
    }

    public static Task<HttpResponseMessage> PenaltyAsync(this HttpClient client, string code, string number, bool eco = true) =>
        client.PostAsJsonAsync($"/api/v1/enterprises/{code}/penalties",
            new { decisionNumber = number, decidedOn = "2026-09-25", authority = eco ? "苏州市生态环境局" : "苏州市市场监督管理局", ecoEnvironmental = eco });

    public static Task<HttpResponseMessage> AccidentAsync(this HttpClient client, string code, string grade) =>
        client.PostAsJsonAsync($"/api/v1/enterprises/{code}/accidents", new { occurredOn = "2026-09-26", grade, description = "废水超标排放" });

    public static async Task<IReadOnlyList<JsonElement>> RevocationsAsync(this CpfWebFactory host, string code, string username = "auditor.province")
    {
        var response = await (await host.As(username)).GetAsync($"/api/v1/enterprises/{code}/revocations");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"revocations of {code}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.JsonAsync()).EnumerateArray().ToList();
    }

    public static async Task<JsonElement> RevocationAsync(this CpfWebFactory host, Guid id, string username = "auditor.province")
    {
        var response = await (await host.As(username)).GetAsync($"/api/v1/revocations/{id}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"revocation {id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.JsonAsync();
    }

    /// <summary>The id of the case's open task at <paramref name="elementId"/>, as <paramref name="username"/> sees it in the inbox.</summary>
    public static async Task<Guid> TaskAsync(this CpfWebFactory host, Guid instanceId, string elementId, string username) =>
        await (await host.As(username)).OpenTaskAsync(instanceId, elementId);

    /// <summary>Polls the case until <c>incentive.revoked</c> has been delivered (a job after the deciding step committed).</summary>
    public static Task<JsonElement> DeliveredAsync(this CpfWebFactory host, Guid id) =>
        Eventually.UntilAsync<JsonElement>(async () =>
        {
            var view = await host.RevocationAsync(id);
            return view.GetProperty("correlationStatus").ValueKind == JsonValueKind.String && view.GetProperty("correlationStatus").GetString() == "done"
                ? view
                : null;
        }, $"delivery of incentive.revoked for case {id}");

    public static IEnumerable<string> Codes(this JsonElement list) => list.EnumerateArray().Select(e => e.GetProperty("creditCode").GetString()!);
}
