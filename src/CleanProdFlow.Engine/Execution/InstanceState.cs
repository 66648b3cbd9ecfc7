using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace CleanProdFlow.Engine.Execution;

public enum InstanceStatus { Running, Completed, Terminated }

/// <summary>
/// Everything the interpreter needs to continue an instance: its variables and its tokens with what each waits for.
/// Stored as JSON in the instance row; the tasks, timers and subscriptions tables are projections of it for queries.
/// </summary>
public sealed class InstanceState
{
    public Guid Id { get; set; }

    public string DefinitionKey { get; set; } = "";

    public int Version { get; set; }

    public string? BusinessKey { get; set; }

    /// <summary>The organisation (province or a city bureau) the instance belongs to; tasks default to it.</summary>
    public string Organisation { get; set; } = "";

    public InstanceStatus Status { get; set; }

    public JsonObject Variables { get; set; } = [];

    public List<Token> Tokens { get; set; } = [];

    /// <summary>Set when a call activity of another instance started this one.</summary>
    public Guid? ParentInstanceId { get; set; }

    public Guid? ParentTokenId { get; set; }

    [JsonIgnore]
    public bool IsEnded => Status != InstanceStatus.Running;

    /// <summary>Ids of the elements where tokens are (tasks, events, gateways waiting to join, sub-processes).</summary>
    [JsonIgnore]
    public IReadOnlyList<string> ActiveElementIds => Tokens.Select(t => t.ElementId).Distinct().ToList();

    public IEnumerable<Incident> Incidents => Tokens.Where(t => t.Incident is not null).Select(t => t.Incident!);

    public Token? TokenOf(Guid tokenId) => Tokens.FirstOrDefault(t => t.Id == tokenId);

    public Token? TokenWithTask(Guid taskId) => Tokens.FirstOrDefault(t => t.TaskId == taskId);

    public Token? TokenWithWait(Guid waitId) => Tokens.FirstOrDefault(t => t.Waits.Any(w => w.Id == waitId));

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static InstanceState FromJson(string json) =>
        JsonSerializer.Deserialize<InstanceState>(json, Json) ?? throw new JsonException("instance state is empty");

    public InstanceState Clone() => FromJson(ToJson());

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}

public enum TokenState
{
    /// <summary>In an activity or catch event, waiting for a task, handler, timer, message, child or sub-process.</summary>
    Waiting,

    /// <summary>Arrived at a joining gateway through <see cref="Token.ArrivedVia"/>, waiting for the other branches.</summary>
    Joining,

    /// <summary>Stopped at a gateway whose conditions could not be evaluated; see its incident.</summary>
    Stuck,
}

/// <summary>A token: where execution is. Tokens inside an embedded sub-process point at the sub-process's token.</summary>
public sealed class Token
{
    public Guid Id { get; set; }

    public string ElementId { get; set; } = "";

    public Guid? ScopeTokenId { get; set; }

    public TokenState State { get; set; }

    public string? ArrivedVia { get; set; }

    public Guid? TaskId { get; set; }

    public Guid? ChildInstanceId { get; set; }

    /// <summary>The timers and message subscriptions of this token: its catch event's, or its activity's boundary events'.</summary>
    public List<Wait> Waits { get; set; } = [];

    public Incident? Incident { get; set; }

    public DateTimeOffset EnteredAt { get; set; }
}

public enum WaitKind { Timer, Message }

/// <summary>A timer or message subscription; its id is the timer's or subscription's id in the runtime tables.</summary>
public sealed class Wait
{
    public Guid Id { get; set; }

    public WaitKind Kind { get; set; }

    /// <summary>The catch or boundary event that waits.</summary>
    public string EventId { get; set; } = "";

    public DateTimeOffset? DueAt { get; set; }

    public int FiredCount { get; set; }

    public string? MessageName { get; set; }

    public string? CorrelationKey { get; set; }
}

/// <summary>An instance that cannot go on by itself (a failing handler, a condition that cannot be evaluated).</summary>
public sealed class Incident
{
    public Guid Id { get; set; }

    public Guid TokenId { get; set; }

    public string ElementId { get; set; } = "";

    public string Message { get; set; } = "";

    public DateTimeOffset RaisedAt { get; set; }

    public int Attempts { get; set; } = 1;
}
