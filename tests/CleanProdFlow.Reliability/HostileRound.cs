using CleanProdFlow.Domain.Access;
using CleanProdFlow.TestSupport.Hostile;

namespace CleanProdFlow.Reliability;

/// <summary>
/// The hostile-input corpus (<see cref="HostileRequests"/>) against the running node, after the crash rounds: every
/// write endpoint with wrong types, huge strings, invalid dates, negative amounts and missing fields must answer a 4xx
/// problem, never a 5xx. Sent as a province user holding every role that writes, so a refusal is about the body.
/// </summary>
public static class HostileRound
{
    public const string User = "hostile.province";

    public static async Task<HostileSummary> RunAsync(HarnessApi api, string registeredCreditCode, int seed)
    {
        var roles = Roles.All.Where(r => r != Roles.Auditor).ToArray();
        var created = await api.PostAsync("admin.province", "/api/v1/admin/users",
            new { username = User, displayName = "敌意输入", organisation = "province", roles, password = api.Password });
        if (!created.IsSuccess && created.Status != System.Net.HttpStatusCode.Conflict)
            throw new InvalidOperationException($"creating {User}: {(int)created.Status} {created.Text}");
        using var client = await api.SignedInClientAsync(User);
        return await HostileRequests.RunAsync(client, HostileEndpoints.Writes(registeredCreditCode, EiaDriver.CreditCode(9_000_000 + seed % 100_000)));
    }
}
