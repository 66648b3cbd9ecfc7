using System.Collections.Concurrent;

namespace CleanProdFlow.Reliability;

/// <summary>A command the API answered with a 2xx: its effect must be in the database at the end, whatever was killed.</summary>
public abstract record AcknowledgedCommand;

/// <summary>POST /api/v1/eia/applications answered 201/200: the application and its started workflow.</summary>
public sealed record CaseSubmitted(string CaseNumber, Guid? InstanceId) : AcknowledgedCommand;

/// <summary>POST /api/v1/tasks/{id}/complete answered 200: the task completed and journaled.</summary>
public sealed record TaskCompleted(Guid TaskId, Guid InstanceId) : AcknowledgedCommand;

/// <summary>POST /api/v1/clock/advance answered 200: every timer due by then has fired.</summary>
public sealed record ClockAdvanced(DateTimeOffset To) : AcknowledgedCommand;

/// <summary>Every acknowledged command of a run, recorded as the answers arrive.</summary>
public sealed class Acknowledged
{
    private readonly ConcurrentQueue<AcknowledgedCommand> _commands = new();

    public void Add(AcknowledgedCommand command) => _commands.Enqueue(command);

    public int Count => _commands.Count;

    public IReadOnlyList<AcknowledgedCommand> All => _commands.ToList();
}
