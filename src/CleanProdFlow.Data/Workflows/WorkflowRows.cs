using System.Text.Json;
using System.Text.Json.Serialization;
using CleanProdFlow.Engine.Execution;
using CleanProdFlow.Engine.Runtime;
using TaskStatus = CleanProdFlow.Engine.Runtime.TaskStatus;

namespace CleanProdFlow.Data.Workflows;

/// <summary>How the engine's statuses are written in the status columns: the enum names in lower case.</summary>
internal static class WorkflowText
{
    /// <summary>A user task's form and outcomes as JSON: web defaults (camelCase) and enums as camelCase strings.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static string Of(DefinitionStatus status) => status.ToString().ToLowerInvariant();

    public static string Of(InstanceStatus status) => status.ToString().ToLowerInvariant();

    public static string Of(TaskStatus status) => status.ToString().ToLowerInvariant();

    public static string Of(TimerStatus status) => status.ToString().ToLowerInvariant();

    public static T Parse<T>(string text) where T : struct, Enum => Enum.Parse<T>(text, ignoreCase: true);
}

internal sealed class DefinitionRow
{
    public string DefinitionKey { get; init; } = "";
    public int Version { get; init; }
    public string? Name { get; init; }
    public string Status { get; init; } = "";
    public string Xml { get; init; } = "";
    public string ContentHash { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public string CreatedBy { get; init; } = "";
    public DateTimeOffset? PublishedAt { get; init; }
    public DateTimeOffset? RetiredAt { get; init; }

    public const string Select =
        "SELECT definition_key AS DefinitionKey, version AS Version, name AS Name, status AS Status, xml AS Xml, " +
        "content_hash AS ContentHash, created_at AS CreatedAt, created_by AS CreatedBy, published_at AS PublishedAt, " +
        "retired_at AS RetiredAt FROM workflow_definitions";

    public DefinitionVersion ToRecord() => new(DefinitionKey, Version, Name, WorkflowText.Parse<DefinitionStatus>(Status), Xml, ContentHash,
        CreatedAt, CreatedBy, PublishedAt, RetiredAt);
}

internal sealed class InstanceRow
{
    public string State { get; init; } = "";
    public int RowVersion { get; init; }

    public const string Select = "SELECT state AS State, row_version AS RowVersion FROM workflow_instances";

    public StoredInstance ToStored() => new(InstanceState.FromJson(State), RowVersion);
}

internal sealed class InstanceSummaryRow
{
    public Guid Id { get; init; }
    public string DefinitionKey { get; init; } = "";
    public int Version { get; init; }
    public string? BusinessKey { get; init; }
    public string Organisation { get; init; } = "";
    public string Status { get; init; } = "";
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }

    public const string Select =
        "SELECT id AS Id, definition_key AS DefinitionKey, version AS Version, business_key AS BusinessKey, organisation AS Organisation, " +
        "status AS Status, started_at AS StartedAt, ended_at AS EndedAt FROM workflow_instances";

    public InstanceSummary ToRecord() => new(Id, DefinitionKey, Version, BusinessKey, Organisation, WorkflowText.Parse<InstanceStatus>(Status),
        StartedAt, EndedAt);
}

/// <summary>A task joined with one of its candidate groups (null when it has none): one row per group.</summary>
internal sealed class TaskRow
{
    public Guid Id { get; init; }
    public Guid InstanceId { get; init; }
    public string DefinitionKey { get; init; } = "";
    public string? BusinessKey { get; init; }
    public string ElementId { get; init; } = "";
    public string Name { get; init; } = "";
    public string Organisation { get; init; } = "";
    public string? Assignee { get; init; }
    public string Status { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? DueAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public string? CompletedBy { get; init; }
    public string? Outcome { get; init; }
    public string Form { get; init; } = "";
    public string Outcomes { get; init; } = "";
    public string? GroupName { get; init; }

    /// <summary>The task columns of <c>workflow_tasks t</c>.</summary>
    public const string Columns =
        "t.id AS Id, t.instance_id AS InstanceId, t.definition_key AS DefinitionKey, t.business_key AS BusinessKey, " +
        "t.element_id AS ElementId, t.name AS Name, t.organisation AS Organisation, t.assignee AS Assignee, t.status AS Status, " +
        "t.created_at AS CreatedAt, t.due_at AS DueAt, t.completed_at AS CompletedAt, t.completed_by AS CompletedBy, " +
        "t.outcome AS Outcome, t.form AS Form, t.outcomes AS Outcomes";

    /// <summary>Folds consecutive rows of the same task (ordered by task) into one record each, groups in ordinal order.</summary>
    public static List<TaskRecord> ToRecords(IEnumerable<TaskRow> rows)
    {
        var records = new List<TaskRecord>();
        TaskRow? current = null;
        var groups = new List<string>();
        foreach (var row in rows)
        {
            if (current is null || row.Id != current.Id)
            {
                if (current is not null)
                    records.Add(current.ToRecord(groups));
                current = row;
                groups = [];
            }
            if (row.GroupName is not null)
                groups.Add(row.GroupName);
        }
        if (current is not null)
            records.Add(current.ToRecord(groups));
        return records;
    }

    private TaskRecord ToRecord(List<string> groups) => new(Id, InstanceId, DefinitionKey, BusinessKey, ElementId, Name,
        groups.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(), Organisation, Assignee,
        WorkflowText.Parse<TaskStatus>(Status), CreatedAt, DueAt, CompletedAt, CompletedBy, Outcome, Form, Outcomes);
}

internal sealed class TimerRow
{
    public Guid Id { get; init; }
    public Guid? InstanceId { get; init; }
    public string? DefinitionKey { get; init; }
    public int? DefinitionVersion { get; init; }
    public string ElementId { get; init; } = "";
    public DateTimeOffset DueAt { get; init; }
    public string Status { get; init; } = "";
    public int FiredCount { get; init; }

    public const string Select =
        "SELECT id AS Id, instance_id AS InstanceId, definition_key AS DefinitionKey, definition_version AS DefinitionVersion, " +
        "element_id AS ElementId, due_at AS DueAt, status AS Status, fired_count AS FiredCount FROM workflow_timers";

    public TimerRecord ToRecord() => new(Id, InstanceId, DefinitionKey, DefinitionVersion, ElementId, DueAt, WorkflowText.Parse<TimerStatus>(Status),
        FiredCount);
}

internal sealed class JournalRow
{
    public long Sequence { get; init; }
    public Guid InstanceId { get; init; }
    public DateTimeOffset At { get; init; }
    public string Actor { get; init; } = "";
    public string Kind { get; init; } = "";
    public string? ElementId { get; init; }
    public string? Data { get; init; }
    public long? Position { get; init; }
    public string? Hash { get; init; }

    public const string Select =
        "SELECT sequence AS Sequence, instance_id AS InstanceId, at AS At, actor AS Actor, kind AS Kind, element_id AS ElementId, " +
        "data AS Data, position AS Position, hash AS Hash FROM workflow_journal";

    public JournalRecord ToRecord() => new(Sequence, InstanceId, At, Actor, Kind, ElementId, Data, (int?)Position, Hash);
}

internal sealed class IncidentRow
{
    public Guid Id { get; init; }
    public Guid InstanceId { get; init; }
    public string ElementId { get; init; } = "";
    public string Message { get; init; } = "";
    public DateTimeOffset RaisedAt { get; init; }
    public int Attempts { get; init; }
    public DateTimeOffset? ResolvedAt { get; init; }
    public string? ResolvedBy { get; init; }

    public const string Select =
        "SELECT id AS Id, instance_id AS InstanceId, element_id AS ElementId, message AS Message, raised_at AS RaisedAt, " +
        "attempts AS Attempts, resolved_at AS ResolvedAt, resolved_by AS ResolvedBy FROM workflow_incidents";

    public IncidentRecord ToRecord() => new(Id, InstanceId, ElementId, Message, RaisedAt, Attempts, ResolvedAt, ResolvedBy);
}

internal sealed class SubscriptionRow
{
    public Guid Id { get; init; }
    public Guid InstanceId { get; init; }
    public string MessageName { get; init; } = "";
    public string CorrelationKey { get; init; } = "";
    public string ElementId { get; init; } = "";

    public const string Select =
        "SELECT id AS Id, instance_id AS InstanceId, message_name AS MessageName, correlation_key AS CorrelationKey, " +
        "element_id AS ElementId FROM workflow_message_subscriptions";

    public MessageSubscriptionRecord ToRecord() => new(Id, InstanceId, MessageName, CorrelationKey, ElementId);
}

internal sealed class ReplyRow
{
    public int Status { get; init; }
    public string Body { get; init; } = "";
}
