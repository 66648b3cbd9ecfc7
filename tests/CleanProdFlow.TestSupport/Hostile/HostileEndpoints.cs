using System.Text.Json.Nodes;

namespace CleanProdFlow.TestSupport.Hostile;

/// <summary>The write endpoints the hostile corpus is sent to: by the Web tests and by the reliability harness.</summary>
public static class HostileEndpoints
{
    private static JsonObject Body(object value) => JsonSerializerNode(value);

    private static JsonObject JsonSerializerNode(object value) => (JsonObject)JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(value))!;

    /// <summary>
    /// The write endpoints, one line each: a body they would accept, the fields that must be there, the fields with fixed
    /// values. <paramref name="creditCode"/> is a registered enterprise of Suzhou; <paramref name="newCreditCode"/> a valid code not yet registered.
    /// </summary>
    public static IEnumerable<HostileEndpoint> Writes(string creditCode, string newCreditCode) =>
    [
        new("POST", "/api/v1/enterprises", Body(new { creditCode = newCreditCode, name = "新企业有限公司", city = "suzhou", county = "工业园区", industry = "化工", address = "星湖街2号", onlineMonitoring = true }),
            ["creditCode", "name", "city"], ["city"]),
        new("POST", $"/api/v1/enterprises/{creditCode}/audit-results", Body(new { acceptedOn = "2025-06-30", level = "Ⅱ", authority = "苏州市生态环境局", documentNumber = "苏环验〔2025〕99号" }),
            ["acceptedOn", "level", "authority", "documentNumber"], ["level"]),
        new("POST", $"/api/v1/enterprises/{creditCode}/penalties", Body(new { decisionNumber = "苏环罚〔2026〕99号", decidedOn = "2026-03-01", authority = "苏州市生态环境局", ecoEnvironmental = true }),
            ["decisionNumber", "decidedOn", "authority"]),
        new("POST", $"/api/v1/enterprises/{creditCode}/accidents", Body(new { occurredOn = "2026-01-05", grade = "general", description = "泄漏" }), ["occurredOn", "grade"], ["grade"]),
        new("POST", $"/api/v1/enterprises/{creditCode}/complaints", Body(new { receivedOn = "2026-01-05", summary = "异味" }), ["receivedOn", "summary"]),
        new("POST", "/api/v1/admin/users", Body(new { username = "new.user", displayName = "新用户", organisation = "suzhou", roles = new[] { "review" }, password = "Secret#2026" }),
            ["username", "displayName", "organisation", "roles", "password"], ["organisation"]),
        new("POST", "/api/v1/quota/reductions", Body(new { creditCode, pollutant = "SO2", amount = 2.5m, auditReference = "苏环验〔2025〕99号" }),
            ["creditCode", "pollutant", "amount", "auditReference"], ["pollutant"]),
        new("POST", "/api/v1/quota/bids", Body(new { creditCode, pollutant = "SO2", amount = 1.5m, price = 1000m }), ["creditCode", "pollutant", "amount", "price"], ["pollutant"]),
        new("POST", "/api/v1/quota/offers", Body(new { creditCode, pollutant = "SO2", amount = 1.5m, price = 1000m }), ["creditCode", "pollutant", "amount", "price"], ["pollutant"]),
        new("POST", "/api/v1/reception/sessions", Body(new { date = "2026-12-15", place = "会议室", host = "张三", topic = "清洁生产", organisation = "suzhou" }),
            ["date", "place"], ["organisation"]),
        new("POST", "/api/v1/eia/applications", Body(new { creditCode, projectName = "技改项目", kind = "report", documentType = "report", city = "suzhou", receivedAt = "2026-11-02T09:00:00+08:00" }),
            ["creditCode", "projectName", "city"], ["kind", "documentType", "city"]),
        new("POST", "/api/v1/instances", Body(new { definitionKey = "quota-reserve", businessKey = "hostile-1", variables = new { a = 1 } }), ["definitionKey"]),
        new("POST", "/api/v1/messages", Body(new { name = "revocation.statement-received", correlationKey = "k", variables = new { a = 1 } }), ["name"]),
    ];
}
