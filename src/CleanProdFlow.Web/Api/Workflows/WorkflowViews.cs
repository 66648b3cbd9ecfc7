using System.Text.Json;
using System.Text.Json.Nodes;
using CleanProdFlow.Engine.Execution;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.Timing;
using TaskStatus = CleanProdFlow.Engine.Runtime.TaskStatus;

namespace CleanProdFlow.Web.Api.Workflows;

/// <summary>What the workflow API answers. Instants are in Beijing time (+08:00), statuses lower-case words.</summary>
public static class WorkflowViews
{
    public sealed record IncidentView(Guid Id, string ElementId, string Message, DateTimeOffset RaisedAt, int Attempts);

    public sealed record InstanceView(Guid Id, string DefinitionKey, int Version, string? BusinessKey, string Organisation, string Status,
        IReadOnlyList<string> ActiveElementIds, JsonObject Variables, IReadOnlyList<IncidentView> Incidents, Guid? ParentInstanceId);

    /// <summary>A journal row; position and hash are its place in the tamper-evident chain (null before the chain existed).</summary>
    public sealed record JournalView(long Sequence, DateTimeOffset At, string Actor, string Kind, string? ElementId, JsonNode? Data,
        int? Position = null, string? Hash = null);

    public sealed record TaskView(Guid Id, Guid InstanceId, string DefinitionKey, string? BusinessKey, string ElementId, string Name,
        IReadOnlyList<string> CandidateGroups, string Organisation, string? Assignee, string Status, DateTimeOffset CreatedAt,
        DateTimeOffset? DueAt, DateTimeOffset? CompletedAt, string? CompletedBy, string? Outcome, JsonNode? Form, JsonNode? Outcomes);

    public sealed record CompletedTaskView(Guid TaskId, Guid InstanceId, string InstanceStatus, IReadOnlyList<string> ActiveElementIds);

    public static string Word(InstanceStatus status) => status.ToString().ToLowerInvariant();

    public static string Word(TaskStatus status) => status.ToString().ToLowerInvariant();

    public static string Word(DefinitionStatus status) => status.ToString().ToLowerInvariant();

    public static DateTimeOffset Beijing(DateTimeOffset instant) => instant.ToBeijing();

    public static DateTimeOffset? Beijing(DateTimeOffset? instant) => instant?.ToBeijing();

    public static InstanceView ViewOf(InstanceState state) =>
        new(state.Id, state.DefinitionKey, state.Version, state.BusinessKey, state.Organisation, Word(state.Status), state.ActiveElementIds,
            state.Variables, state.Incidents.Select(i => new IncidentView(i.Id, i.ElementId, i.Message, Beijing(i.RaisedAt), i.Attempts)).ToList(),
            state.ParentInstanceId);

    public static JournalView ViewOf(JournalRecord record) =>
        new(record.Sequence, Beijing(record.At), record.Actor, record.Kind, record.ElementId, ParseOrNull(record.Data), record.Position,
            record.Hash?.Trim());

    public static TaskView ViewOf(TaskRecord task) =>
        new(task.Id, task.InstanceId, task.DefinitionKey, task.BusinessKey, task.ElementId, task.Name, task.CandidateGroups, task.Organisation,
            task.Assignee, Word(task.Status), Beijing(task.CreatedAt), Beijing(task.DueAt), Beijing(task.CompletedAt), task.CompletedBy,
            task.Outcome, ParseOrNull(task.FormJson), ParseOrNull(task.OutcomesJson) ?? new JsonArray());

    /// <summary>Stored JSON text as a node (so it is answered as JSON, not as a string); null when empty.</summary>
    private static JsonNode? ParseOrNull(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
            return null;
        try
        {
            return JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return JsonValue.Create(json);
        }
    }
}
