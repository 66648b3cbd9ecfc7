using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CleanProdFlow.TestSupport.Hostile;

/// <summary>
/// A write endpoint and a body it would accept, with the fields whose absence must be refused and the fields that
/// take one of a fixed set of values. <see cref="HostileRequests"/> derives the hostile variants from it.
/// </summary>
public sealed record HostileEndpoint(string Method, string Path, JsonObject ValidBody, string[]? Required = null, string[]? Enums = null)
{
    public override string ToString() => $"{Method} {Path}";
}

/// <summary>One hostile request: which endpoint, what was done to the body, and the field it targets (if one).</summary>
public sealed record HostileRequest(HostileEndpoint Endpoint, string Variant, string? Field, string ContentType, string Body);

/// <summary>What the server answered to one hostile request.</summary>
public sealed record HostileOutcome(HostileRequest Request, int Status, string? ContentType, string Body)
{
    public bool IsServerError => Status >= 500;

    /// <summary>Accepted (2xx/3xx) although every variant is invalid, or a 400 that does not name the field it targets.</summary>
    public string? Fault => Status switch
    {
        >= 500 => "server error",
        < 400 => "accepted a hostile body",
        _ when ContentType != "application/problem+json" => $"{Status} without problem+json",
        400 when Request.Field is { } target && !NamesField(target) => $"400 does not name '{target}'",
        _ => null,
    };

    private bool NamesField(string field)
    {
        try
        {
            var errors = JsonNode.Parse(Body)?["errors"]?.AsObject();
            return errors is not null && errors.Any(e =>
                e.Key.Equals(field, StringComparison.OrdinalIgnoreCase) || e.Key.TrimStart('$', '.').Equals(field, StringComparison.OrdinalIgnoreCase)
                || e.Key.StartsWith(field + ".", StringComparison.OrdinalIgnoreCase) || e.Key.StartsWith(field + "[", StringComparison.OrdinalIgnoreCase));
        }
        catch (JsonException)
        {
            return false;
        }
    }

    public override string ToString() =>
        $"{Request.Endpoint} [{Request.Variant}{(Request.Field is null ? "" : " " + Request.Field)}] → {Status}: {Body[..Math.Min(Body.Length, 300)]}";
}

/// <summary>The tally the harness's summary table prints: how many hostile inputs were tried and how many got a 5xx.</summary>
public sealed record HostileSummary(int Tried, int ServerErrors, IReadOnlyList<HostileOutcome> Faults);

/// <summary>
/// Issue 12 item 4, API bodies: a reusable corpus of hostile bodies derived from a valid one (each field with a
/// wrong JSON type, a 1 MB string, an invalid date, a negative and an overflowing number, an unknown enum value;
/// each required field missing; the whole body not JSON, empty, an array, nested 10,000 deep or of the wrong
/// content type) and a runner that sends them and reports what came back. Every variant is invalid, so the only
/// right answer is a 4xx problem+json (naming the field when it is a 400 about one field) and nothing stored.
/// </summary>
public static class HostileRequests
{
    public static readonly string Megabyte = new('字', 1024 * 1024 / 3 + 1);

    public static IEnumerable<HostileRequest> For(HostileEndpoint endpoint)
    {
        const string json = "application/json";
        HostileRequest Whole(string variant, string body, string type = json) => new(endpoint, variant, null, type, body);
        HostileRequest Field(string variant, string field, JsonNode? value)
        {
            var body = (JsonObject)endpoint.ValidBody.DeepClone();
            body[field] = value;
            return new(endpoint, variant, field, json, body.ToJsonString());
        }

        yield return Whole("not json", "{not json");
        yield return Whole("empty", "");
        yield return Whole("array", "[]");
        yield return Whole("null", "null");
        yield return Whole("nested 10000 deep", new string('[', 10_000) + new string(']', 10_000));
        yield return Whole("wrong content type", endpoint.ValidBody.ToJsonString(), "text/plain");
        yield return Whole("trailing garbage", endpoint.ValidBody.ToJsonString() + "}}");

        foreach (var (field, valid) in endpoint.ValidBody)
        {
            switch (valid?.GetValueKind())
            {
                case JsonValueKind.String:
                    var text = valid.GetValue<string>();
                    yield return Field("number for text", field, 12345);
                    yield return Field("array for text", field, new JsonArray("a"));
                    yield return Field("object for text", field, new JsonObject { ["a"] = 1 });
                    yield return Field("1 MB string", field, Megabyte);
                    if (DateOnly.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out _) || DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out _))
                    {
                        yield return Field("invalid date", field, "2026-02-30");
                        yield return Field("not a date", field, "yesterday");
                    }
                    if (endpoint.Enums?.Contains(field) == true)
                        yield return Field("unknown enum value", field, "no-such-value");
                    break;
                case JsonValueKind.Number:
                    yield return Field("text for number", field, "abc");
                    yield return Field("negative", field, -1);
                    yield return Field("overflow", field, JsonNode.Parse("1e400"));
                    yield return Field("too many digits", field, JsonNode.Parse("123456789012345678901234567890.5"));
                    yield return Field("array for number", field, new JsonArray(1));
                    break;
                case JsonValueKind.True or JsonValueKind.False:
                    yield return Field("text for boolean", field, "yes");
                    yield return Field("number for boolean", field, 2);
                    break;
                case JsonValueKind.Array:
                    yield return Field("text for array", field, "a,b");
                    yield return Field("object for array", field, new JsonObject());
                    yield return Field("array of 100000", field, new JsonArray(Enumerable.Range(0, 100_000).Select(i => (JsonNode?)JsonValue.Create(i)).ToArray()));
                    break;
                case JsonValueKind.Object:
                    yield return Field("text for object", field, "x");
                    yield return Field("array for object", field, new JsonArray());
                    break;
            }
        }

        foreach (var field in endpoint.Required ?? [])
        {
            var body = (JsonObject)endpoint.ValidBody.DeepClone();
            body.Remove(field);
            yield return new(endpoint, "missing", field, json, body.ToJsonString());
        }
    }

    /// <summary>Sends every variant of every endpoint; a fault is a 5xx, an acceptance, or a 400 that does not name its field.</summary>
    public static async Task<HostileSummary> RunAsync(HttpClient client, IEnumerable<HostileEndpoint> endpoints, CancellationToken cancellationToken = default)
    {
        var tried = 0;
        var serverErrors = 0;
        var faults = new List<HostileOutcome>();
        foreach (var request in endpoints.SelectMany(For))
        {
            var outcome = await SendAsync(client, request, cancellationToken);
            tried++;
            if (outcome.IsServerError)
                serverErrors++;
            if (outcome.Fault is not null)
                faults.Add(outcome);
        }
        return new HostileSummary(tried, serverErrors, faults);
    }

    public static async Task<HostileOutcome> SendAsync(HttpClient client, HostileRequest request, CancellationToken cancellationToken = default)
    {
        using var message = new HttpRequestMessage(new HttpMethod(request.Endpoint.Method), request.Endpoint.Path)
        {
            Content = new StringContent(request.Body, Encoding.UTF8),
        };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue(request.ContentType) { CharSet = "utf-8" };
        using var response = await client.SendAsync(message, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return new HostileOutcome(request, (int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, body);
    }
}
