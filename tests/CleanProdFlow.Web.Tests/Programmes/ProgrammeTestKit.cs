using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CleanProdFlow.Web.Tests.Eia;

namespace CleanProdFlow.Web.Tests.Programmes;

/// <summary>What the programme tests do through the API: advanced enterprises of a city, revocations, reading batches and campaigns.</summary>
public static class ProgrammeApi
{
    /// <summary>An eligible enterprise of <paramref name="city"/> (suzhou or nanjing) admitted to the register by the province today.</summary>
    public static async Task<string> AdvancedAsync(this CpfWebFactory host, string city = "suzhou")
    {
        var code = await host.EnterpriseAsync(eligible: true, city);
        var admitted = await (await host.As("approver.province")).PostAsJsonAsync("/api/v1/register", new { creditCode = code });
        Assert.True(admitted.StatusCode == HttpStatusCode.Created, $"admit {code}: {await admitted.Content.ReadAsStringAsync()}");
        return code;
    }

    /// <summary>The province revokes the register entry (as the revocation workflow's decision would).</summary>
    public static async Task RevokeAsync(this CpfWebFactory host, string code, string reason)
    {
        var revoked = await (await host.As("approver.province")).PostAsJsonAsync($"/api/v1/register/{code}/revocation", new { reason });
        Assert.True(revoked.StatusCode == HttpStatusCode.OK, $"revoke {code}: {(int)revoked.StatusCode} {await revoked.Content.ReadAsStringAsync()}");
    }

    public static async Task<JsonElement> GetOkAsync(this CpfWebFactory host, string path, string username = "auditor.province")
    {
        var response = await (await host.As(username)).GetAsync(path);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path} as {username}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.JsonAsync();
    }

    /// <summary>Candidate status by credit code.</summary>
    public static Dictionary<string, JsonElement> Candidates(this JsonElement batch) =>
        batch.GetProperty("candidates").EnumerateArray().ToDictionary(c => c.GetProperty("creditCode").GetString()!, c => c);

    public static string Status(this JsonElement element) => element.GetProperty("status").GetString()!;
}
