using System.Text.Json;
using System.Text.Json.Nodes;

namespace CleanProdFlow.Engine.Model;

public enum FormFieldType { String, Text, Number, Boolean, Date, Enum }

/// <summary>One field of a user task's form (<c>cpf:formField</c>).</summary>
public sealed record FormField(string Name, FormFieldType Type)
{
    public string? Label { get; init; }

    public bool Required { get; init; }

    /// <summary>The allowed values of an enum field.</summary>
    public IReadOnlyList<string> Options { get; init; } = [];
}

/// <summary>A user task's form; completing the task validates the submitted values against it.</summary>
public sealed record FormDefinition(IReadOnlyList<FormField> Fields)
{
    public static readonly FormDefinition Empty = new([]);

    /// <summary>
    /// Problems with submitted values, each as (field, English, Chinese): a required field missing, a value of the
    /// wrong type, an option not offered. Values for fields the form does not declare are allowed (process variables).
    /// </summary>
    public IReadOnlyList<FormProblem> Check(IReadOnlyDictionary<string, JsonNode?> values)
    {
        var problems = new List<FormProblem>();
        foreach (var field in Fields)
        {
            values.TryGetValue(field.Name, out var value);
            var missing = value is null || value.GetValueKind() == JsonValueKind.Null
                || (value is JsonValue v && v.GetValueKind() == JsonValueKind.String && string.IsNullOrWhiteSpace(v.GetValue<string>()));
            if (missing)
            {
                if (field.Required)
                    problems.Add(new(field.Name, $"'{field.Name}' is required", $"“{field.Label ?? field.Name}”为必填项"));
                continue;
            }
            if (!Fits(field, value!))
                problems.Add(field.Type == FormFieldType.Enum
                    ? new(field.Name, $"'{field.Name}' must be one of: {string.Join(", ", field.Options)}",
                        $"“{field.Label ?? field.Name}”须为以下之一：{string.Join("、", field.Options)}")
                    : new(field.Name, $"'{field.Name}' must be {Describe(field.Type).En}", $"“{field.Label ?? field.Name}”须为{Describe(field.Type).Zh}"));
        }
        return problems;
    }

    private static bool Fits(FormField field, JsonNode value)
    {
        if (value is not JsonValue scalar)
            return false;
        // The value kind, not TryGetValue: a number built in code (an int) does not convert to double there.
        var kind = scalar.GetValueKind();
        return field.Type switch
        {
            FormFieldType.String or FormFieldType.Text => kind == JsonValueKind.String,
            FormFieldType.Number => kind == JsonValueKind.Number,
            FormFieldType.Boolean => kind is JsonValueKind.True or JsonValueKind.False,
            FormFieldType.Date => kind == JsonValueKind.String
                && DateOnly.TryParseExact(scalar.GetValue<string>(), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _),
            FormFieldType.Enum => kind == JsonValueKind.String && field.Options.Contains(scalar.GetValue<string>(), StringComparer.Ordinal),
            _ => false,
        };
    }

    private static (string En, string Zh) Describe(FormFieldType type) => type switch
    {
        FormFieldType.Number => ("a number", "数字"),
        FormFieldType.Boolean => ("true or false", "是或否"),
        FormFieldType.Date => ("a date yyyy-MM-dd", "日期（yyyy-MM-dd）"),
        _ => ("text", "文本"),
    };
}

public sealed record FormProblem(string Field, string Message, string MessageZh);
