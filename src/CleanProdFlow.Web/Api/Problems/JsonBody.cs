using System.Text.Json;
using CleanProdFlow.Domain.Common;
using Microsoft.Extensions.Options;

namespace CleanProdFlow.Web.Api.Problems;

/// <summary>
/// What is wrong with a JSON body, as a field and a reason. Used by the exception handler for bound bodies and by
/// endpoints that read their body themselves.
/// </summary>
public static class JsonBody
{
    public static readonly LocalizedText NotJson = new("请求体须为 JSON（Content-Type: application/json）",
        "the body must be JSON (Content-Type: application/json)");

    public static readonly LocalizedText Missing = new("请求体缺失或为空", "the request body is missing or empty");

    /// <summary>Reads a JSON body; on failure the result is the 400/415 problem to answer with.</summary>
    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class
    {
        if (!request.HasJsonContentType())
            return (null, Problem.Validation([new FieldError("body", NotJson)], StatusCodes.Status415UnsupportedMediaType));
        try
        {
            var options = request.HttpContext.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value;
            var value = await JsonSerializer.DeserializeAsync<T>(request.Body, options.SerializerOptions, cancellationToken);
            return value is null ? (null, Problem.Validation("body", Missing)) : (value, null);
        }
        catch (JsonException e)
        {
            var (field, reason) = Describe(e);
            return (null, Problem.Validation(field, reason));
        }
    }

    /// <summary>The field a JSON error is about (from its path) and why, in both languages.</summary>
    public static (string Field, LocalizedText Reason) Describe(JsonException exception)
    {
        // System.Text.Json says "could not be converted" when the JSON is well formed but a value has the wrong type.
        if (exception.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal))
        {
            var field = FieldOf(exception.Path);
            return (field, new($"“{field}”的值类型不正确", $"'{field}' has a value of the wrong type"));
        }
        var line = (exception.LineNumber ?? 0) + 1;
        var position = (exception.BytePositionInLine ?? 0) + 1;
        return exception.LineNumber is null && exception.Message.Contains("empty", StringComparison.OrdinalIgnoreCase)
            ? ("body", Missing)
            : ("body", new($"请求体不是有效的 JSON（第 {line} 行第 {position} 个字节附近）",
                $"the body is not valid JSON (near line {line}, byte {position})"));
    }

    /// <summary>"$.quota.needs[0].tonnes" → "quota.needs[0].tonnes"; the root or an unknown place → "body".</summary>
    private static string FieldOf(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
            return "body";
        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        return field.Length == 0 ? "body" : field;
    }
}
