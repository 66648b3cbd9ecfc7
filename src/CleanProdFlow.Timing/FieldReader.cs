using System.Globalization;
using System.Text.Json;

namespace CleanProdFlow.Timing;

/// <summary>
/// Reads one JSON object field by field, collecting a <see cref="FieldError"/> per bad field instead of
/// stopping at the first, so a caller sees every problem of a document at once.
/// </summary>
internal sealed class FieldReader
{
    private readonly JsonElement _element;
    private readonly string _prefix;
    private readonly List<FieldError> _errors;

    private FieldReader(JsonElement element, string prefix, List<FieldError> errors)
    {
        _element = element;
        _prefix = prefix;
        _errors = errors;
    }

    public List<FieldError> Errors => _errors;

    /// <summary>Parses a document whose root must be an object; null (with an error) otherwise.</summary>
    public static FieldReader? Root(string json, List<FieldError> errors)
    {
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                errors.Add(FieldErrors.Invalid("$", "the document must be a JSON object", "文档必须是 JSON 对象"));
                return null;
            }

            // Clone: the reader outlives the pooled document.
            return new FieldReader(document.RootElement.Clone(), "", errors);
        }
        catch (JsonException e)
        {
            errors.Add(FieldErrors.Invalid("$", "not valid JSON: " + e.Message, "不是有效的 JSON：" + e.Message));
            return null;
        }
    }

    public static FieldReader Of(JsonElement element, string path, List<FieldError> errors) => new(element, path, errors);

    /// <summary>The JSON path of this object ("" for the root), the prefix of its fields' paths.</summary>
    public string Prefix => _prefix;

    public string Path(string name) => _prefix.Length == 0 ? name : _prefix + "." + name;

    public void Add(FieldError error) => _errors.Add(error);

    public bool Has(string name) =>
        _element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;

    public string? String(string name, bool required)
    {
        if (!TryGet(name, required, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            _errors.Add(FieldErrors.WrongType(Path(name), "a string", "字符串"));
            return null;
        }

        var text = value.GetString()!.Trim();
        if (required && text.Length == 0)
        {
            _errors.Add(FieldErrors.Required(Path(name)));
            return null;
        }

        return text.Length == 0 ? null : text;
    }

    public int? Int(string name, bool required, int min, int max)
    {
        if (!TryGet(name, required, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number))
        {
            _errors.Add(FieldErrors.WrongType(Path(name), "an integer", "整数"));
            return null;
        }

        if (number < min || number > max)
        {
            _errors.Add(FieldErrors.OutOfRange(Path(name), min, max));
            return null;
        }

        return number;
    }

    public bool? Bool(string name, bool required)
    {
        if (!TryGet(name, required, out var value))
        {
            return null;
        }

        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            _errors.Add(FieldErrors.WrongType(Path(name), "true or false", "true 或 false"));
            return null;
        }

        return value.GetBoolean();
    }

    public DateOnly? Date(string name, bool required)
    {
        var text = String(name, required);
        return text is null ? null : ParseDate(text, Path(name), _errors);
    }

    /// <summary>An instant that must carry its UTC offset: a bare local time is ambiguous, so it is refused.</summary>
    public DateTimeOffset? Instant(string name, bool required)
    {
        var text = String(name, required);
        return text is null ? null : ParseInstant(text, Path(name), _errors);
    }

    public FieldReader? Object(string name, bool required)
    {
        if (!TryGet(name, required, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            _errors.Add(FieldErrors.WrongType(Path(name), "an object", "对象"));
            return null;
        }

        return new FieldReader(value, Path(name), _errors);
    }

    /// <summary>The elements of an array field with their paths; empty when absent (and not required).</summary>
    public IReadOnlyList<(JsonElement Element, string Path)> Array(string name, bool required)
    {
        if (!TryGet(name, required, out var value))
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            _errors.Add(FieldErrors.WrongType(Path(name), "an array", "数组"));
            return [];
        }

        var items = new List<(JsonElement, string)>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            items.Add((item, $"{Path(name)}[{index}]"));
            index++;
        }

        return items;
    }

    public static DateOnly? ParseDate(string text, string path, List<FieldError> errors)
    {
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return day;
        }

        errors.Add(FieldErrors.Invalid(path, $"'{text}' is not a date yyyy-MM-dd", $"“{text}”不是 yyyy-MM-dd 格式的日期"));
        return null;
    }

    public static DateTimeOffset? ParseInstant(string text, string path, List<FieldError> errors)
    {
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant))
        {
            errors.Add(FieldErrors.Invalid(path, $"'{text}' is not an ISO 8601 date-time", $"“{text}”不是 ISO 8601 日期时间"));
            return null;
        }

        if (!HasExplicitOffset(text))
        {
            errors.Add(new FieldError(path, "offsetMissing",
                $"'{text}' has no UTC offset; write e.g. 2026-09-28T10:00:00+08:00",
                $"“{text}”缺少时区偏移，请写成如 2026-09-28T10:00:00+08:00"));
            return null;
        }

        return instant;
    }

    private static bool HasExplicitOffset(string text)
    {
        var timeAt = text.IndexOf('T', StringComparison.OrdinalIgnoreCase);
        if (timeAt < 0)
        {
            return false;
        }

        var time = text[(timeAt + 1)..];
        return time.EndsWith('Z') || time.EndsWith('z') || time.Contains('+') || time.Contains('-');
    }

    private bool TryGet(string name, bool required, out JsonElement value)
    {
        if (_element.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }

        if (required)
        {
            _errors.Add(FieldErrors.Required(Path(name)));
        }

        return false;
    }
}

/// <summary>The recurring field errors, worded once in both languages.</summary>
internal static class FieldErrors
{
    public static FieldError Required(string path) =>
        new(path, "required", "is required", "必填");

    public static FieldError WrongType(string path, string expectedEn, string expectedZh) =>
        new(path, "invalidType", $"must be {expectedEn}", $"必须是{expectedZh}");

    public static FieldError OutOfRange(string path, long min, long max) =>
        new(path, "outOfRange", $"must be between {min} and {max}", $"必须在 {min} 到 {max} 之间");

    public static FieldError Invalid(string path, string messageEn, string messageZh) =>
        new(path, "invalid", messageEn, messageZh);

    public static FieldError Unknown(string path, string value, IEnumerable<string> allowed) =>
        new(path, "unknownValue",
            $"'{value}' is not one of: {string.Join(", ", allowed)}",
            $"“{value}”不是可选值之一：{string.Join("、", allowed)}");
}
