using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CleanProdFlow.Domain.Documents;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.Timing;
using CleanProdFlow.Timing.Deadlines;
using CleanProdFlow.Web.Timing;

namespace CleanProdFlow.Web.Documents;

/// <summary>
/// <c>document.issue</c>: issues an official document from the step that decides it, in the step's transaction (a
/// rolled-back step issues nothing and uses no number). Inputs: <c>kind</c>; optional <c>organisationVariable</c>
/// (the variable naming the issuing organisation; default the instance's); and per template field
/// <c>field.X</c> = the variable holding X (by default a variable named like the field), <c>text.X</c> = a fixed
/// text, <c>ruleDays.X</c> = a time-limit rule whose limit X is, <c>ruleDue.X</c> = a rule whose deadline counted
/// from now X is (e.g. the 陈述申辩 deadline). Dates (yyyy-MM-dd) are written as 2026年10月12日. Sets
/// <c>documentNumbers.{kind}</c> and <c>documentIds.{kind}</c>.
/// </summary>
public sealed partial class DocumentIssueHandler(DocumentIssuer issuer, StatutoryTime statutory) : IServiceTaskHandler
{
    public string Name => "document.issue";

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}$")]
    private static partial Regex IsoDate();

    public async Task<JsonObject?> ExecuteAsync(ServiceTaskContext context, CancellationToken cancellationToken)
    {
        var kind = DocumentKind.Find(context.Input("kind"))
            ?? throw new InvalidOperationException($"'{context.Input("kind")}' is not a document kind ({string.Join(", ", DocumentKind.All.Select(k => k.Code))})");
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var field in kind.AllowedFields)
            if (Text(context.Variables[field]) is { } value)
                fields[field] = value;
        foreach (var (name, value) in context.Inputs)
        {
            var dot = name.IndexOf('.', StringComparison.Ordinal);
            if (dot < 0)
                continue;
            var field = name[(dot + 1)..];
            switch (name[..dot])
            {
                case "field":
                    if (Text(context.Variables[value]) is { } variable)
                        fields[field] = variable;
                    break;
                case "text":
                    fields[field] = value;
                    break;
                case "ruleDays":
                    fields[field] = statutory.Rules[value].Limit.ToString(CultureInfo.InvariantCulture);
                    break;
                case "ruleDue":
                    var rule = statutory.Rules[value];
                    var due = Deadline.Compute(statutory.Calendar, new DeadlineRequest(context.Now, rule.ToTimeLimit(), false)).DueDate
                        ?? throw new InvalidOperationException($"rule {value} gave no due date");
                    fields[field] = DocumentTemplate.ChineseDate(due);
                    break;
            }
        }
        var organisation = context.Inputs.TryGetValue("organisationVariable", out var organisationVariable)
            ? Text(context.Variables[organisationVariable]) ?? throw new InvalidOperationException($"the instance has no variable '{organisationVariable}'")
            : context.Organisation;
        var issued = await issuer.IssueAsync(context.Transaction!, new DocumentRequest(kind.Code, organisation, context.Organisation, context.InstanceId,
            context.BusinessKey, Text(context.Variables["creditCode"]), "system", fields), context.Now, cancellationToken);
        var numbers = context.Variables["documentNumbers"] is JsonObject n ? (JsonObject)n.DeepClone() : new JsonObject();
        var ids = context.Variables["documentIds"] is JsonObject i ? (JsonObject)i.DeepClone() : new JsonObject();
        numbers[kind.Code] = issued.Number;
        ids[kind.Code] = issued.Id.ToString("D");
        return new JsonObject { ["documentNumbers"] = numbers, ["documentIds"] = ids };
    }

    private static string? Text(JsonNode? node) => node is JsonValue value
        ? value.GetValueKind() switch
        {
            JsonValueKind.String when value.GetValue<string>() is { Length: > 0 } s =>
                IsoDate().IsMatch(s) && DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                    ? DocumentTemplate.ChineseDate(date)
                    : s.Trim(),
            JsonValueKind.Number => value.ToJsonString(),
            _ => null,
        }
        : null;
}
