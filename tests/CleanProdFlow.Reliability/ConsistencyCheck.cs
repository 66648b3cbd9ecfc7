using System.Globalization;
using System.Text.Json;
using CleanProdFlow.Data.Database;
using CleanProdFlow.Data.Workflows;
using CleanProdFlow.Engine.Execution;
using CleanProdFlow.Engine.Runtime;
using Dapper;

namespace CleanProdFlow.Reliability;

/// <summary>What the checks found; every list must be empty.</summary>
public sealed class CheckReport
{
    public List<string> Inconsistencies { get; } = [];
    public List<string> Duplicates { get; } = [];
    public List<string> LostAcknowledged { get; } = [];
    public int Instances { get; set; }
    public int CompletedInstances { get; set; }
    public int TimersFired { get; set; }
    public int TasksCompleted { get; set; }
    public int JournalEntries { get; set; }
    public int JournalsVerified { get; set; }

    public bool Clean => Inconsistencies.Count == 0 && Duplicates.Count == 0 && LostAcknowledged.Count == 0;
}

/// <summary>
/// Reads the engine's tables after a run (no node running) and checks, with the instance state JSON as the truth:
/// each open task has its waiting token and each waiting-at-task token its open task; each armed timer wait its
/// pending row and each pending row its wait; a running decision clock of a case still in its decision period has
/// its due timer (pending at the clock's due instant, or fired); a running instance has tokens, an ended one no open
/// task or pending timer; no timer fired twice (fired_count, and timer.fired journal entries per timer); every fired
/// timer, completed task and started instance has its journal entry (exactly one); every application has its
/// workflow; and every acknowledged command's effect is there.
/// </summary>
public static class ConsistencyCheck
{
    // Classes with setters (not positional records): SQLite reports a column's type per value, which Dapper's
    // constructor matching would trip over.
    private sealed class InstanceRow { public string Id { get; set; } = ""; public string DefinitionKey { get; set; } = ""; public string Status { get; set; } = ""; public string State { get; set; } = ""; public string? BusinessKey { get; set; } }
    private sealed class TaskRow { public string Id { get; set; } = ""; public string InstanceId { get; set; } = ""; public string ElementId { get; set; } = ""; public string Status { get; set; } = ""; }
    private sealed class TimerRow { public string Id { get; set; } = ""; public string? InstanceId { get; set; } public string ElementId { get; set; } = ""; public string Status { get; set; } = ""; public string DueAt { get; set; } = ""; public long FiredCount { get; set; } }
    private sealed class JournalRow { public string InstanceId { get; set; } = ""; public string Kind { get; set; } = ""; public string? ElementId { get; set; } public string? Data { get; set; } }
    private sealed class ClockRow { public string Subject { get; set; } = ""; public string Status { get; set; } = ""; public string? DueAt { get; set; } }
    private sealed class ApplicationRow { public string CaseNumber { get; set; } = ""; public string? InstanceId { get; set; } }
    private sealed class IncidentRow { public string InstanceId { get; set; } = ""; public string ElementId { get; set; } = ""; public string Message { get; set; } = ""; }

    public static async Task<CheckReport> RunAsync(ReliabilityDatabase database, IReadOnlyList<AcknowledgedCommand> acknowledged)
    {
        await using var connection = await database.OpenAsync();
        // PostgreSQL keeps ids as uuid and instants as timestamptz: read as text, as SQLite stores them.
        string T(string column) => database.Provider == CleanProdFlow.Data.Database.DatabaseProvider.Postgres ? $"CAST({column} AS TEXT)" : column;
        var instances = (await connection.QueryAsync<InstanceRow>(
            $"SELECT {T("id")} AS Id, definition_key AS DefinitionKey, status AS Status, state AS State, business_key AS BusinessKey FROM workflow_instances")).ToList();
        var tasks = (await connection.QueryAsync<TaskRow>(
            $"SELECT {T("id")} AS Id, {T("instance_id")} AS InstanceId, element_id AS ElementId, status AS Status FROM workflow_tasks")).ToList();
        var timers = (await connection.QueryAsync<TimerRow>(
            $"SELECT {T("id")} AS Id, {T("instance_id")} AS InstanceId, element_id AS ElementId, status AS Status, " +
            $"{T("due_at")} AS DueAt, fired_count AS FiredCount FROM workflow_timers")).ToList();
        var journal = (await connection.QueryAsync<JournalRow>(
            $"SELECT {T("instance_id")} AS InstanceId, kind AS Kind, element_id AS ElementId, {T("data")} AS Data FROM workflow_journal " +
            "WHERE kind IN ('instance.started', 'instance.completed', 'instance.terminated', 'task.completed', 'timer.fired')")).ToList();
        var clocks = (await connection.QueryAsync<ClockRow>(
            $"SELECT subject AS Subject, status AS Status, {T("due_at")} AS DueAt FROM clocks WHERE subject LIKE 'instance:%'")).ToList();
        var applications = (await connection.QueryAsync<ApplicationRow>(
            $"SELECT case_number AS CaseNumber, {T("instance_id")} AS InstanceId FROM eia_applications")).ToList();
        var openIncidents = (await connection.QueryAsync<IncidentRow>(
            $"SELECT {T("instance_id")} AS InstanceId, element_id AS ElementId, message AS Message FROM workflow_incidents WHERE resolved_at IS NULL")).ToList();

        var report = new CheckReport
        {
            Instances = instances.Count,
            CompletedInstances = instances.Count(i => i.Status == "completed"),
            TimersFired = timers.Count(t => t.Status == "fired"),
            TasksCompleted = tasks.Count(t => t.Status == "completed"),
        };
        var states = instances.ToDictionary(i => Norm(i.Id), i => (Row: i, State: InstanceState.FromJson(i.State)));
        var tasksById = tasks.ToDictionary(t => Norm(t.Id));
        var timersById = timers.ToDictionary(t => Norm(t.Id));
        var openTasksByInstance = tasks.Where(t => t.Status == "open").ToLookup(t => Norm(t.InstanceId));
        var pendingTimersByInstance = timers.Where(t => t.Status == "pending" && t.InstanceId is not null).ToLookup(t => Norm(t.InstanceId!));
        var entries = journal.Select(j => (Row: j, Data: ParseData(j.Data))).ToList();
        report.JournalEntries = entries.Count;

        foreach (var (id, (row, state)) in states)
        {
            var name = $"instance {id} ({row.BusinessKey ?? row.DefinitionKey})";
            if (state.Status.ToString().ToLowerInvariant() != row.Status)
                report.Inconsistencies.Add($"{name}: row status {row.Status} but state {state.Status}");
            if (state.IsEnded)
            {
                foreach (var open in openTasksByInstance[id])
                    report.Inconsistencies.Add($"{name} has ended but its task {open.ElementId} {open.Id} is open");
                foreach (var pending in pendingTimersByInstance[id])
                    report.Inconsistencies.Add($"{name} has ended but its timer {pending.ElementId} {pending.Id} is pending");
                continue;
            }
            if (state.Tokens.Count == 0)
                report.Inconsistencies.Add($"{name} is running without a token (stuck)");
            foreach (var token in state.Tokens.Where(t => t.TaskId is not null))
                if (!tasksById.TryGetValue(Norm(token.TaskId!.Value), out var task) || task.Status != "open")
                    report.Inconsistencies.Add($"{name}: token at {token.ElementId} waits for task {token.TaskId} which is {(task is null ? "missing" : task.Status)}");
            foreach (var open in openTasksByInstance[id])
                if (state.TokenWithTask(Guid.Parse(open.Id)) is null)
                    report.Inconsistencies.Add($"{name}: task {open.ElementId} {open.Id} is open but no token waits for it");
            foreach (var wait in state.Tokens.SelectMany(t => t.Waits).Where(w => w.Kind == WaitKind.Timer && w.DueAt is not null))
                if (!timersById.TryGetValue(Norm(wait.Id), out var timer) || timer.Status != "pending")
                    report.Inconsistencies.Add($"{name}: timer {wait.EventId} {wait.Id} is armed in the state but its row is {(timer is null ? "missing" : timer.Status)}");
                else if (Instant(timer.DueAt) != wait.DueAt!.Value)
                    report.Inconsistencies.Add($"{name}: timer {wait.EventId} is due {wait.DueAt:O} in the state but {timer.DueAt} in its row");
            foreach (var pending in pendingTimersByInstance[id])
                if (state.TokenWithWait(Guid.Parse(pending.Id)) is null)
                    report.Inconsistencies.Add($"{name}: timer {pending.ElementId} {pending.Id} is pending but nothing waits for it");
            foreach (var incident in state.Incidents)
                report.Inconsistencies.Add($"{name}: incident at {incident.ElementId}: {incident.Message}");
        }
        foreach (var incident in openIncidents)
            if (!states.TryGetValue(Norm(incident.InstanceId), out var s) || s.State.Incidents.All(i => i.ElementId != incident.ElementId))
                report.Inconsistencies.Add($"instance {incident.InstanceId}: open incident row at {incident.ElementId} ({incident.Message}) not in its state");

        // A running decision clock of a case still in its decision period ('work' active) has its due timer armed at
        // the clock's due instant, or that timer has fired already.
        foreach (var running in clocks.Where(c => c.Status == "running" && c.DueAt is not null && c.Subject.EndsWith("/eia.decision", StringComparison.Ordinal)))
        {
            var instanceId = Norm(running.Subject["instance:".Length..running.Subject.IndexOf('/', StringComparison.Ordinal)]);
            if (!states.TryGetValue(instanceId, out var s) || s.State.IsEnded || s.State.Tokens.All(t => t.ElementId != "work"))
                continue;
            var due = timers.Where(t => t.InstanceId is not null && Norm(t.InstanceId) == instanceId && t.ElementId == "decision-due").ToList();
            if (due.Any(t => t.Status == "fired"))
                continue;
            var pending = due.Where(t => t.Status == "pending").ToList();
            if (pending.Count != 1)
                report.Inconsistencies.Add($"instance {instanceId}: its decision clock runs (due {running.DueAt}) but {pending.Count} due timers are pending");
            else if (Instant(pending[0].DueAt) != Instant(running.DueAt!))
                report.Inconsistencies.Add($"instance {instanceId}: the decision clock is due {running.DueAt} but its timer {pending[0].DueAt}");
        }

        // Fired once, journaled once.
        var firedEntries = entries.Where(e => e.Row.Kind == "timer.fired").GroupBy(e => Norm(Text(e.Data, "timerId") ?? "")).ToDictionary(g => g.Key, g => g.Count());
        foreach (var timer in timers)
        {
            if (timer.InstanceId is null)
                continue; // a timer start event: each occurrence is a new row; the instance it started is checked above
            var journaled = firedEntries.GetValueOrDefault(Norm(timer.Id));
            // The EIA definitions have no repeating timer: a second firing is a duplicate. A cycle timer elsewhere
            // re-arms its row; each of its firings must then be journaled exactly once.
            var once = OwnerOf(timer) is { } owner && owner.DefinitionKey.StartsWith("eia-", StringComparison.Ordinal);
            if (once && (timer.FiredCount > 1 || journaled > 1))
                report.Duplicates.Add($"timer {timer.ElementId} {timer.Id} fired {timer.FiredCount} times, journaled {journaled} times");
            else if (journaled > timer.FiredCount)
                report.Duplicates.Add($"timer {timer.ElementId} {timer.Id} journaled {journaled} firings but counted {timer.FiredCount}");
            if (timer.Status == "fired" && timer.InstanceId is not null && journaled == 0)
                report.Inconsistencies.Add($"timer {timer.ElementId} {timer.Id} of instance {timer.InstanceId} is marked fired but its firing is not in the journal");
            if (once && timer.Status != "fired" && journaled > 0)
                report.Inconsistencies.Add($"timer {timer.ElementId} {timer.Id} is journaled as fired but its row is {timer.Status}");
        }
        InstanceState? OwnerOf(TimerRow timer) => timer.InstanceId is not null && states.TryGetValue(Norm(timer.InstanceId), out var s) ? s.State : null;

        var completedEntries = entries.Where(e => e.Row.Kind == "task.completed").GroupBy(e => Norm(Text(e.Data, "taskId") ?? "")).ToDictionary(g => g.Key, g => g.Count());
        foreach (var task in tasks)
        {
            var journaled = completedEntries.GetValueOrDefault(Norm(task.Id));
            if (task.Status == "completed" && journaled != 1)
                report.Inconsistencies.Add($"task {task.ElementId} {task.Id} is completed with {journaled} task.completed journal entries");
            if (task.Status != "completed" && journaled > 0)
                report.Inconsistencies.Add($"task {task.ElementId} {task.Id} is {task.Status} but journaled as completed");
        }
        var startedEntries = entries.Where(e => e.Row.Kind == "instance.started").GroupBy(e => Norm(e.Row.InstanceId)).ToDictionary(g => g.Key, g => g.Count());
        var endedEntries = entries.Where(e => e.Row.Kind is "instance.completed" or "instance.terminated").GroupBy(e => Norm(e.Row.InstanceId)).ToDictionary(g => g.Key, g => g.Count());
        foreach (var (id, (row, s)) in states)
        {
            if (startedEntries.GetValueOrDefault(id) != 1)
                report.Inconsistencies.Add($"instance {id} has {startedEntries.GetValueOrDefault(id)} instance.started journal entries");
            var ended = endedEntries.GetValueOrDefault(id);
            if (s.IsEnded ? ended != 1 : ended != 0)
                report.Inconsistencies.Add($"instance {id} is {row.Status} with {ended} end journal entries");
        }

        foreach (var application in applications)
            if (application.InstanceId is null || !states.ContainsKey(Norm(application.InstanceId)))
                report.Inconsistencies.Add($"application {application.CaseNumber} has no workflow (instance {application.InstanceId ?? "none"})");
        var byCase = applications.ToDictionary(a => a.CaseNumber);

        var lastAdvance = acknowledged.OfType<ClockAdvanced>().Select(a => (DateTimeOffset?)a.To).Max();
        foreach (var command in acknowledged)
        {
            switch (command)
            {
                case CaseSubmitted submitted:
                    if (!byCase.TryGetValue(submitted.CaseNumber, out var application))
                        report.LostAcknowledged.Add($"submitted {submitted.CaseNumber}: no application row");
                    else if (application.InstanceId is null || !states.TryGetValue(Norm(application.InstanceId), out var started))
                        report.LostAcknowledged.Add($"submitted {submitted.CaseNumber}: its workflow never started");
                    else if (started.Row.BusinessKey != submitted.CaseNumber)
                        report.LostAcknowledged.Add($"submitted {submitted.CaseNumber}: linked to instance {application.InstanceId} of {started.Row.BusinessKey}");
                    break;
                case TaskCompleted completed:
                    if (!tasksById.TryGetValue(Norm(completed.TaskId), out var task) || task.Status != "completed")
                        report.LostAcknowledged.Add($"completed task {completed.TaskId}: it is {(task is null ? "missing" : task.Status)}");
                    else if (completedEntries.GetValueOrDefault(Norm(completed.TaskId)) == 0)
                        report.LostAcknowledged.Add($"completed task {completed.TaskId}: not in the journal");
                    break;
            }
        }
        if (lastAdvance is { } to)
            foreach (var overdue in timers.Where(t => t.Status == "pending" && Instant(t.DueAt) <= to))
                report.LostAcknowledged.Add($"the clock was advanced to {to:O} (acknowledged) but timer {overdue.ElementId} {overdue.Id} due {overdue.DueAt} is pending");

        // The journal's hash chain (issue 12, item 6): positions without gap and every link intact, after every kill.
        var store = new WorkflowStore(new CpfDatabase(new DatabaseSettings(database.Provider,
            SqlDialects.For(database.Provider).NormaliseConnectionString(database.ConnectionString))));
        foreach (var id in states.Keys.Select(Guid.Parse))
        {
            var verification = JournalChain.Verify(id, await store.JournalAsync(id));
            if (verification.Intact && verification.RowsBeforeTheChain == 0)
                report.JournalsVerified++;
            else
                report.Inconsistencies.Add($"instance {id}: journal chain {(verification.Intact ? "has unchained rows" : $"broken at position {verification.BrokenAtPosition}: {verification.ReasonEn}")}");
        }
        return report;
    }

    private static string Norm(string id) => Guid.Parse(id).ToString("D");

    private static string Norm(Guid id) => id.ToString("D");

    private static DateTimeOffset Instant(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).ToUniversalTime();

    private static JsonElement ParseData(string? data)
    {
        if (string.IsNullOrEmpty(data))
            return default;
        using var document = JsonDocument.Parse(data);
        return document.RootElement.Clone();
    }

    private static string? Text(JsonElement data, string property) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
