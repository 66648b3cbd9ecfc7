using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using CleanProdFlow.Engine.Model;
using CleanProdFlow.Engine.Runtime;

namespace CleanProdFlow.Web.Workflows;

/// <summary>
/// A task's form and outcomes as stored with the task (the definition's <c>cpf:form</c> and <c>cpf:outcomes</c>), and
/// the values a person typed turned into the variables the engine checks. The engine alone decides what is valid
/// (<see cref="FormDefinition.Check"/>): typed text that is not a number is passed on as text and refused there.
/// </summary>
public static class TaskForms
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static FormDefinition FormOf(TaskRecord task) =>
        string.IsNullOrWhiteSpace(task.FormJson) ? FormDefinition.Empty
            : JsonSerializer.Deserialize<FormDefinition>(task.FormJson, Json) ?? FormDefinition.Empty;

    public static IReadOnlyList<string> OutcomesOf(TaskRecord task) =>
        string.IsNullOrWhiteSpace(task.OutcomesJson) ? [] : JsonSerializer.Deserialize<List<string>>(task.OutcomesJson, Json) ?? [];

    /// <summary>
    /// The typed values as variables: an empty field is left out (so a required one is reported missing), a number
    /// that parses is a number, yes/no is a boolean, everything else is text.
    /// </summary>
    public static JsonObject VariablesOf(FormDefinition form, Func<string, string?> typed)
    {
        var variables = new JsonObject();
        foreach (var field in form.Fields)
        {
            var text = typed(field.Name)?.Trim();
            if (string.IsNullOrEmpty(text))
                continue;
            variables[field.Name] = field.Type switch
            {
                FormFieldType.Number when decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var number) => JsonValue.Create(number),
                FormFieldType.Boolean when text is "true" or "false" => JsonValue.Create(text == "true"),
                _ => JsonValue.Create(text),
            };
        }
        return variables;
    }
}
