using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CleanProdFlow.Data.Database;
using CleanProdFlow.Domain.Compliance;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.Timing;
using CleanProdFlow.Timing.Calendars;
using CleanProdFlow.Timing.Clocks;
using Dapper;

namespace CleanProdFlow.Data.Compliance;

/// <summary>
/// Timing compliance (时限合规) for auditors. The figures need the working-day calendar (working days used, paused,
/// late), which SQL cannot compute, so each clock is summarised once into <c>compliance_clocks</c> (with its pauses
/// and extensions in <c>compliance_clock_events</c>) by <see cref="RefreshAsync"/>, again whenever the clock's row
/// version moves; a finished clock never moves again. Every figure is then a plain GROUP BY over the summary.
/// Breaches get what their escalation task answered (<c>compliance_breaches</c>). The clocks stay the truth: the
/// summary can be dropped and is rebuilt on the next refresh.
/// </summary>
public sealed class ComplianceStore(CpfDatabase database)
{
    private const int Batch = 500;

    // ------------------------------------------------------------------------------------------------- refresh

    /// <summary>Summarises every clock that is new or changed since its summary, and the breaches' escalations; returns the clocks summarised.</summary>
    public async Task<int> RefreshAsync(WorkingDayCalendar calendar, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // Reads the index (id, row_version) and the summary's key only, not the clocks' JSON.
        var stale = (await connection.QueryAsync<long>(new CommandDefinition(
            "SELECT c.id FROM clocks c LEFT JOIN compliance_clocks p ON p.clock_id = c.id " +
            "WHERE p.clock_id IS NULL OR p.clock_row_version <> c.row_version ORDER BY c.id",
            cancellationToken: cancellationToken))).ToList();
        foreach (var chunk in stale.Chunk(Batch))
            await SummariseAsync(connection, chunk, calendar, now, cancellationToken);
        await RefreshBreachesAsync(connection, cancellationToken);
        return stale.Count;
    }

    private sealed class ClockSource
    {
        public long Id { get; init; }
        public string Subject { get; init; } = "";
        public string Clock { get; init; } = "";
        public int RowVersion { get; init; }
    }

    private sealed class InstanceSource
    {
        public Guid Id { get; init; }
        public string Organisation { get; init; } = "";
        public string DefinitionKey { get; init; } = "";
        public string? BusinessKey { get; init; }
    }

    /// <summary>"column is one of the ids in @instanceIds" for Guids passed as text (list parameters bypass the Guid handler).</summary>
    private string InstanceIdIn(string column) => database.Provider == DatabaseProvider.Postgres
        ? $"{column} = ANY(CAST(@instanceIds AS uuid[]))"
        : $"{column} IN @instanceIds";

    private async Task SummariseAsync(DbConnection connection, long[] ids, WorkingDayCalendar calendar, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var dialect = database.Dialect;
        var clocks = (await connection.QueryAsync<ClockSource>(new CommandDefinition(
            $"SELECT id AS Id, subject AS Subject, clock AS Clock, row_version AS RowVersion FROM clocks WHERE {dialect.InList("id", "@ids")}",
            new { ids }, cancellationToken: cancellationToken))).ToList();
        var instanceIds = clocks.Select(c => WorkflowRuntime.TryParseClockSubject(c.Subject, out var id, out _) ? id : (Guid?)null)
            .OfType<Guid>().Distinct().Select(id => id.ToString("D")).ToArray();
        var instances = instanceIds.Length == 0
            ? new Dictionary<Guid, InstanceSource>()
            : (await connection.QueryAsync<InstanceSource>(new CommandDefinition(
                "SELECT id AS Id, organisation AS Organisation, definition_key AS DefinitionKey, business_key AS BusinessKey " +
                $"FROM workflow_instances WHERE {InstanceIdIn("id")}", new { instanceIds }, cancellationToken: cancellationToken)))
            .ToDictionary(i => i.Id);

        var rows = new List<object>(clocks.Count);
        var written = new List<long>(clocks.Count);
        var events = new List<object>();
        foreach (var source in clocks)
        {
            Clock clock;
            try
            {
                clock = Clock.FromJson(source.Clock);
            }
            catch (JsonException)
            {
                continue; // a row the Timing library refuses stays out of the figures (and is re-tried: it has no summary)
            }
            Guid? instanceId = WorkflowRuntime.TryParseClockSubject(source.Subject, out var parsed, out var name) ? parsed : null;
            var instance = instanceId is { } key ? instances.GetValueOrDefault(key) : null;
            var verdict = ClockCompliance.Judge(clock, now, calendar);
            written.Add(source.Id);
            rows.Add(new
            {
                clockId = source.Id, rowVersion = source.RowVersion, instanceId, clockName = instanceId is null ? source.Subject : name,
                ruleId = clock.EffectiveLimit.RuleId, nameZh = clock.EffectiveLimit.NameZh, nameEn = clock.EffectiveLimit.NameEn, legalBasis = clock.EffectiveLimit.LegalBasis,
                organisation = instance?.Organisation, definitionKey = instance?.DefinitionKey, businessKey = instance?.BusinessKey,
                track = TrackName(verdict.Track), status = clock.State.ToString().ToLowerInvariant(), result = ResultName(verdict.Result),
                startedAt = Instants.ForStorage(verdict.StartedAt), dueAt = Instants.ForStorage(verdict.DueAt),
                endedAt = Instants.ForStorage(verdict.EndedAt), endedMonth = verdict.EndedAt is { } ended ? MonthOf(ended) : null,
                used = verdict.WorkingDaysUsed, limit = verdict.WorkingDaysLimit, late = verdict.WorkingDaysLate,
                paused = verdict.WorkingDaysPaused, pauses = verdict.Pauses.Count, extensionDays = verdict.ExtensionDays,
                calendarVersion = clock.CalendarVersion, now = Instants.ForStorage(now),
            });
            var pauseIndex = 0;
            for (var seq = 0; seq < clock.Events.Count; seq++)
            {
                switch (clock.Events[seq])
                {
                    case ClockPaused paused:
                        var period = verdict.Pauses.ElementAtOrDefault(pauseIndex++);
                        events.Add(Event(source.Id, seq, "pause", paused.At, period?.To, paused.Reason, paused.LegalBasis, null, period?.WorkingDays ?? 0));
                        break;
                    case ClockExtended extended:
                        events.Add(Event(source.Id, seq, "extension", extended.At, null, extended.Reason, null, extended.Approver, extended.Days));
                        break;
                    case ClockFastTrackEnded fastTrackEnded:
                        events.Add(Event(source.Id, seq, "fast-track-ended", fastTrackEnded.At, null, fastTrackEnded.Reason, null, null, 0));
                        break;
                }
            }
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                $"DELETE FROM compliance_clock_events WHERE {dialect.InList("clock_id", "@ids")}", new { ids = written }, transaction,
                cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(
                $"DELETE FROM compliance_clocks WHERE {dialect.InList("clock_id", "@ids")}", new { ids = written }, transaction,
                cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO compliance_clocks (clock_id, clock_row_version, instance_id, clock_name, rule_id, rule_name_zh, rule_name_en, legal_basis, " +
                "organisation, definition_key, business_key, track, status, result, started_at, due_at, ended_at, ended_month, working_days_used, " +
                "working_days_limit, working_days_late, working_days_paused, pause_count, extension_days, calendar_version, derived_at) VALUES " +
                "(@clockId, @rowVersion, @instanceId, @clockName, @ruleId, @nameZh, @nameEn, @legalBasis, @organisation, @definitionKey, @businessKey, " +
                "@track, @status, @result, @startedAt, @dueAt, @endedAt, @endedMonth, @used, @limit, @late, @paused, @pauses, @extensionDays, " +
                "@calendarVersion, @now)", rows, transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO compliance_clock_events (clock_id, seq, kind, at, ended_at, reason, legal_basis, approver, days) VALUES " +
                "(@clockId, @seq, @kind, @at, @endedAt, @reason, @legalBasis, @approver, @days)", events, transaction,
                cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbException e) when (dialect.IsUniqueViolation(e))
        {
            // Another request summarised the same clocks at the same moment; its rows stand (a stale one is redone next time).
            await transaction.RollbackAsync(cancellationToken);
        }
    }

    private static object Event(long clockId, int seq, string kind, DateTimeOffset at, DateTimeOffset? endedAt, string reason, string? legalBasis,
        string? approver, int days) =>
        new { clockId, seq, kind, at = Instants.ForStorage(at), endedAt = Instants.ForStorage(endedAt), reason, legalBasis, approver, days };

    public static string TrackName(ClockTrack track) => track switch
    {
        ClockTrack.Fast => "fast",
        ClockTrack.FastEnded => "fast-ended",
        _ => "standard",
    };

    public static string ResultName(ComplianceResult result) => result switch
    {
        ComplianceResult.OnTime => "on-time",
        ComplianceResult.Late => "late",
        ComplianceResult.Paused => "paused",
        ComplianceResult.Cancelled => "cancelled",
        // Overdue is a matter of the reading instant: stored as running, asked as running with due_at before now.
        _ => "running",
    };

    /// <summary>yyyy-MM of an instant in Beijing time.</summary>
    public static string MonthOf(DateTimeOffset instant) => BeijingTime.DateOf(instant).ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private sealed class NewBreach
    {
        public long Id { get; init; }
        public DateTimeOffset DetectedAt { get; init; }
        public string? Organisation { get; init; }
        public Guid? TaskId { get; init; }
        public DateTimeOffset? StepAt { get; init; }
    }

    private sealed class SettledEscalation
    {
        public long BreachId { get; init; }
        public Guid InstanceId { get; init; }
        public string Status { get; init; } = "";
        public DateTimeOffset? CompletedAt { get; init; }
        public string? CompletedBy { get; init; }
        public DateTimeOffset? CancelledAt { get; init; }
    }

    /// <summary>
    /// New breaches get the escalation task their step created (the task written with the same instant as the step's
    /// journal entry); escalations answered since the last refresh give the breach its reason (the values the task
    /// recorded); a withdrawn escalation is kept as such.
    /// </summary>
    private async Task RefreshBreachesAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var found = (await connection.QueryAsync<NewBreach>(new CommandDefinition(
            "SELECT b.id AS Id, b.detected_at AS DetectedAt, i.organisation AS Organisation, t.id AS TaskId, j.at AS StepAt " +
            "FROM clock_breaches b " +
            "LEFT JOIN compliance_breaches p ON p.breach_id = b.id " +
            "LEFT JOIN workflow_instances i ON i.id = b.instance_id " +
            "LEFT JOIN workflow_journal j ON j.instance_id = b.instance_id AND j.kind = 'handler.succeeded' AND j.element_id = b.element_id " +
            "  AND j.at >= b.detected_at " +
            "LEFT JOIN workflow_tasks t ON t.instance_id = b.instance_id AND t.created_at = j.at " +
            "WHERE p.breach_id IS NULL ORDER BY b.id, j.at", cancellationToken: cancellationToken))).ToList();
        if (found.Count > 0)
        {
            // The first step after detection that recorded the breach, and the first task it created.
            var rows = found.GroupBy(b => b.Id).Select(g =>
            {
                var first = g.First();
                var task = g.Where(b => b.StepAt == first.StepAt).Select(b => b.TaskId).FirstOrDefault(t => t is not null);
                return new
                {
                    id = first.Id, organisation = first.Organisation, month = MonthOf(first.DetectedAt), taskId = task,
                    status = task is null ? "none" : "open",
                };
            }).ToList();
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            try
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO compliance_breaches (breach_id, organisation, detected_month, task_id, task_status) " +
                    "VALUES (@id, @organisation, @month, @taskId, @status)", rows, transaction, cancellationToken: cancellationToken));
                await transaction.CommitAsync(cancellationToken);
            }
            catch (DbException e) when (database.Dialect.IsUniqueViolation(e))
            {
                await transaction.RollbackAsync(cancellationToken);
            }
        }

        var settled = (await connection.QueryAsync<SettledEscalation>(new CommandDefinition(
            "SELECT p.breach_id AS BreachId, t.instance_id AS InstanceId, t.status AS Status, t.completed_at AS CompletedAt, " +
            "t.completed_by AS CompletedBy, t.cancelled_at AS CancelledAt " +
            "FROM compliance_breaches p JOIN workflow_tasks t ON t.id = p.task_id " +
            "WHERE p.task_status = 'open' AND t.status <> 'open'", cancellationToken: cancellationToken))).ToList();
        foreach (var escalation in settled)
        {
            string? reason = null;
            if (escalation.Status == "completed" && escalation.CompletedAt is { } completedAt)
            {
                // The completion's own journal entries carry its instant; the first variables.changed holds the form's values.
                var data = await connection.QueryFirstOrDefaultAsync<string>(new CommandDefinition(
                    database.Dialect.Limit("SELECT data FROM workflow_journal WHERE instance_id = @instanceId AND kind = 'variables.changed' " +
                                           "AND at = @completedAt ORDER BY sequence", "@one"),
                    new { instanceId = escalation.InstanceId, completedAt = Instants.ForStorage(completedAt), one = 1 },
                    cancellationToken: cancellationToken));
                reason = ReasonOf(data);
            }
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE compliance_breaches SET task_status = @status, reason = @reason, reason_by = @by, reason_at = @at " +
                "WHERE breach_id = @breachId AND task_status = 'open'",
                new
                {
                    breachId = escalation.BreachId, status = escalation.Status == "completed" ? "completed" : "cancelled", reason,
                    by = escalation.Status == "completed" ? escalation.CompletedBy : null,
                    at = Instants.ForStorage(escalation.Status == "completed" ? escalation.CompletedAt : escalation.CancelledAt),
                }, cancellationToken: cancellationToken));
        }
    }

    /// <summary>The text values an escalation task recorded (e.g. 超期原因及处理措施), joined; its outcome is not a reason.</summary>
    public static string? ReasonOf(string? variablesJson)
    {
        if (string.IsNullOrWhiteSpace(variablesJson))
            return null;
        try
        {
            if (JsonNode.Parse(variablesJson) is not JsonObject values)
                return null;
            var texts = values.Where(v => v.Key != "outcome" && v.Value is JsonValue value && value.GetValueKind() == JsonValueKind.String)
                .Select(v => v.Value!.GetValue<string>().Trim()).Where(t => t.Length > 0).ToList();
            return texts.Count == 0 ? null : string.Join("；", texts);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // ------------------------------------------------------------------------------------------------- figures

    /// <summary>The WHERE conditions of a filter on the summary aliased <paramref name="c"/>; the period applies to <paramref name="periodColumn"/>.</summary>
    private static List<string> Conditions(ComplianceFilter filter, string c, string? periodColumn)
    {
        var where = new List<string>();
        if (filter.Organisation is not null)
            where.Add($"{c}.organisation = @organisation");
        if (filter.RuleId is not null)
            where.Add($"{c}.rule_id = @ruleId");
        if (filter.Track is not null)
            where.Add($"{c}.track = @track");
        if (periodColumn is not null && filter.From is not null)
            where.Add($"{periodColumn} >= @from");
        if (periodColumn is not null && filter.To is not null)
            where.Add($"{periodColumn} < @to");
        return where;
    }

    private static object Parameters(ComplianceFilter filter, DateTimeOffset now, object? more = null)
    {
        var parameters = new DynamicParameters(new
        {
            organisation = filter.Organisation, ruleId = filter.RuleId, track = filter.Track,
            from = Instants.ForStorage(filter.From), to = Instants.ForStorage(filter.To), now = Instants.ForStorage(now),
        });
        if (more is not null)
            parameters.AddDynamicParams(more);
        return parameters;
    }

    private static string And(IEnumerable<string> conditions) => string.Concat(conditions.Select(c => $" AND {c}"));

    /// <summary>Everything the dashboard shows, as of <paramref name="now"/> (refresh first).</summary>
    public async Task<ComplianceFigures> FiguresAsync(ComplianceFilter filter, DateTimeOffset now, int recent = 20,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var steps = await StepsAsync(connection, filter, now, cancellationToken);
        var cities = await CitiesAsync(connection, filter, now, cancellationToken);
        var months = await MonthsAsync(connection, filter, now, cancellationToken);
        var pauses = await PausesAsync(connection, filter, now, cancellationToken);
        var approvers = await ApproversAsync(connection, filter, now, cancellationToken);
        var extensions = await ExtensionsAsync(connection, filter, now, recent, cancellationToken);
        var breachMonths = await BreachMonthsAsync(connection, filter, now, cancellationToken);
        var breaches = await BreachesAsync(connection, filter, now, recent, cancellationToken);
        return new ComplianceFigures(steps, cities, months, pauses, approvers, extensions, breachMonths, breaches, breachMonths.Sum(m => m.Breaches));
    }

    /// <summary>The per-step table: decided clocks of the period per rule (on time, working days used by track, late, paused, extended) and those open now.</summary>
    public async Task<IReadOnlyList<StepFigures>> StepsAsync(ComplianceFilter filter, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await StepsAsync(connection, filter, now, cancellationToken);
    }

    private static async Task<IReadOnlyList<StepFigures>> StepsAsync(DbConnection connection, ComplianceFilter filter, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        // Fast-ended clocks ran on the full limit in the end, so they count with the standard track here.
        var decided = (await connection.QueryAsync<StepFigures>(new CommandDefinition(
            "SELECT c.rule_id AS RuleId, MAX(c.rule_name_zh) AS NameZh, MAX(c.rule_name_en) AS NameEn, MAX(c.legal_basis) AS LegalBasis, " +
            "COUNT(*) AS Decided, SUM(CASE WHEN c.result = 'on-time' THEN 1 ELSE 0 END) AS OnTime, " +
            "SUM(CASE WHEN c.track = 'fast' THEN 1 ELSE 0 END) AS FastDecided, " +
            "SUM(CASE WHEN c.track = 'fast' AND c.result = 'on-time' THEN 1 ELSE 0 END) AS FastOnTime, " +
            "AVG(CASE WHEN c.track = 'fast' THEN CAST(c.working_days_used AS FLOAT) END) AS FastAverageUsed, " +
            "AVG(CASE WHEN c.track <> 'fast' THEN CAST(c.working_days_used AS FLOAT) END) AS StandardAverageUsed, " +
            "AVG(CASE WHEN c.track = 'fast' THEN CAST(c.working_days_limit AS FLOAT) END) AS FastAverageLimit, " +
            "AVG(CASE WHEN c.track <> 'fast' THEN CAST(c.working_days_limit AS FLOAT) END) AS StandardAverageLimit, " +
            "SUM(c.working_days_late) AS LateWorkingDays, SUM(c.working_days_paused) AS PausedWorkingDays, SUM(c.extension_days) AS ExtensionDays, " +
            "SUM(CASE WHEN c.pause_count > 0 THEN 1 ELSE 0 END) AS WithPauses, SUM(CASE WHEN c.extension_days > 0 THEN 1 ELSE 0 END) AS Extended " +
            $"FROM compliance_clocks c WHERE c.status = 'stopped'{And(Conditions(filter, "c", "c.ended_at"))} " +
            "GROUP BY c.rule_id ORDER BY c.rule_id",
            Parameters(filter, now), cancellationToken: cancellationToken))).ToList();
        var open = await connection.QueryAsync<(string? RuleId, string? NameZh, string? NameEn, string? LegalBasis, long Running, long Overdue, long Paused)>(
            new CommandDefinition(
                "SELECT c.rule_id, MAX(c.rule_name_zh), MAX(c.rule_name_en), MAX(c.legal_basis), " +
                "SUM(CASE WHEN c.status = 'running' AND (c.due_at IS NULL OR c.due_at >= @now) THEN 1 ELSE 0 END), " +
                "SUM(CASE WHEN c.status = 'running' AND c.due_at < @now THEN 1 ELSE 0 END), " +
                "SUM(CASE WHEN c.status = 'paused' THEN 1 ELSE 0 END) " +
                $"FROM compliance_clocks c WHERE c.status IN ('running', 'paused'){And(Conditions(filter, "c", null))} GROUP BY c.rule_id",
                Parameters(filter, now), cancellationToken: cancellationToken));
        foreach (var row in open)
        {
            var step = decided.FirstOrDefault(s => s.RuleId == row.RuleId);
            if (step is null)
            {
                step = new StepFigures { RuleId = row.RuleId, NameZh = row.NameZh, NameEn = row.NameEn, LegalBasis = row.LegalBasis };
                decided.Add(step);
            }
            step.RunningNow = row.Running;
            step.OverdueNow = row.Overdue;
            step.PausedNow = row.Paused;
        }
        return decided.OrderBy(s => s.RuleId, StringComparer.Ordinal).ToList();
    }

    private static async Task<IReadOnlyList<GroupFigures>> CitiesAsync(DbConnection connection, ComplianceFilter filter, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        // The period narrows the decided clocks; what is overdue is overdue now, whenever it started.
        var period = string.Concat(Conditions(filter with { Organisation = null, RuleId = null, Track = null }, "c", "c.ended_at").Select(p => $" AND {p}"));
        return (await connection.QueryAsync<GroupFigures>(new CommandDefinition(
            "SELECT c.organisation AS \"Key\", " +
            $"SUM(CASE WHEN c.status = 'stopped'{period} THEN 1 ELSE 0 END) AS Decided, " +
            $"SUM(CASE WHEN c.status = 'stopped' AND c.result = 'on-time'{period} THEN 1 ELSE 0 END) AS OnTime, " +
            "SUM(CASE WHEN c.status = 'running' AND c.due_at < @now THEN 1 ELSE 0 END) AS OverdueNow " +
            $"FROM compliance_clocks c WHERE c.status IN ('stopped', 'running'){And(Conditions(filter, "c", null))} " +
            "GROUP BY c.organisation ORDER BY c.organisation",
            Parameters(filter, now), cancellationToken: cancellationToken))).ToList();
    }

    private static async Task<IReadOnlyList<GroupFigures>> MonthsAsync(DbConnection connection, ComplianceFilter filter, DateTimeOffset now,
        CancellationToken cancellationToken) =>
        (await connection.QueryAsync<GroupFigures>(new CommandDefinition(
            "SELECT c.ended_month AS \"Key\", COUNT(*) AS Decided, SUM(CASE WHEN c.result = 'on-time' THEN 1 ELSE 0 END) AS OnTime, " +
            "AVG(CASE WHEN c.track = 'fast' THEN CAST(c.working_days_used AS FLOAT) END) AS FastAverageUsed, " +
            "AVG(CASE WHEN c.track <> 'fast' THEN CAST(c.working_days_used AS FLOAT) END) AS StandardAverageUsed " +
            $"FROM compliance_clocks c WHERE c.status = 'stopped'{And(Conditions(filter, "c", "c.ended_at"))} " +
            "GROUP BY c.ended_month ORDER BY c.ended_month",
            Parameters(filter, now), cancellationToken: cancellationToken))).ToList();

    private static async Task<IReadOnlyList<PauseFigures>> PausesAsync(DbConnection connection, ComplianceFilter filter, DateTimeOffset now,
        CancellationToken cancellationToken) =>
        // Working days are summed for pauses that ended; an open pause is counted as open (its days still grow).
        (await connection.QueryAsync<PauseFigures>(new CommandDefinition(
            "SELECT e.reason AS Reason, e.legal_basis AS LegalBasis, COUNT(*) AS Pauses, " +
            "SUM(CASE WHEN e.ended_at IS NULL THEN 1 ELSE 0 END) AS OpenNow, " +
            "SUM(CASE WHEN e.ended_at IS NULL THEN 0 ELSE e.days END) AS WorkingDays, COUNT(DISTINCT c.instance_id) AS Cases " +
            "FROM compliance_clock_events e JOIN compliance_clocks c ON c.clock_id = e.clock_id " +
            $"WHERE e.kind = 'pause'{And(Conditions(filter, "c", "e.at"))} " +
            "GROUP BY e.reason, e.legal_basis ORDER BY COUNT(*) DESC, e.reason",
            Parameters(filter, now), cancellationToken: cancellationToken))).ToList();

    private static async Task<IReadOnlyList<ApproverFigures>> ApproversAsync(DbConnection connection, ComplianceFilter filter, DateTimeOffset now,
        CancellationToken cancellationToken) =>
        (await connection.QueryAsync<ApproverFigures>(new CommandDefinition(
            "SELECT e.approver AS Approver, COUNT(*) AS Extensions, SUM(e.days) AS WorkingDays " +
            "FROM compliance_clock_events e JOIN compliance_clocks c ON c.clock_id = e.clock_id " +
            $"WHERE e.kind = 'extension'{And(Conditions(filter, "c", "e.at"))} " +
            "GROUP BY e.approver ORDER BY COUNT(*) DESC, e.approver",
            Parameters(filter, now), cancellationToken: cancellationToken))).ToList();

    private async Task<IReadOnlyList<ExtensionRow>> ExtensionsAsync(DbConnection connection, ComplianceFilter filter, DateTimeOffset now, int limit,
        CancellationToken cancellationToken) =>
        (await connection.QueryAsync<ExtensionRow>(new CommandDefinition(
            database.Dialect.Limit(
                "SELECT c.instance_id AS InstanceId, c.business_key AS BusinessKey, c.organisation AS Organisation, c.rule_id AS RuleId, " +
                "c.rule_name_zh AS NameZh, c.rule_name_en AS NameEn, e.at AS At, e.days AS Days, e.approver AS Approver, e.reason AS Reason " +
                "FROM compliance_clock_events e JOIN compliance_clocks c ON c.clock_id = e.clock_id " +
                $"WHERE e.kind = 'extension'{And(Conditions(filter, "c", "e.at"))} ORDER BY e.at DESC, c.clock_id DESC", "@limit"),
            Parameters(filter, now, new { limit }), cancellationToken: cancellationToken))).ToList();

    private static async Task<IReadOnlyList<BreachMonth>> BreachMonthsAsync(DbConnection connection, ComplianceFilter filter, DateTimeOffset now,
        CancellationToken cancellationToken) =>
        (await connection.QueryAsync<BreachMonth>(new CommandDefinition(
            "SELECT p.detected_month AS Month, COUNT(*) AS Breaches, " +
            "SUM(CASE WHEN p.reason IS NULL THEN 1 ELSE 0 END) AS Unexplained " +
            BreachFrom + $" WHERE 1 = 1{And(BreachConditions(filter))} GROUP BY p.detected_month ORDER BY p.detected_month",
            Parameters(filter, now), cancellationToken: cancellationToken))).ToList();

    // The clock's summary is joined by instance and clock name (the breach names both); its filters then apply.
    private const string BreachFrom =
        "FROM clock_breaches b JOIN compliance_breaches p ON p.breach_id = b.id " +
        "LEFT JOIN compliance_clocks c ON c.instance_id = b.instance_id AND c.clock_name = b.clock_name";

    private static IEnumerable<string> BreachConditions(ComplianceFilter filter)
    {
        if (filter.Organisation is not null)
            yield return "p.organisation = @organisation";
        if (filter.RuleId is not null)
            yield return "b.rule_id = @ruleId";
        if (filter.Track is not null)
            yield return "c.track = @track";
        if (filter.From is not null)
            yield return "b.detected_at >= @from";
        if (filter.To is not null)
            yield return "b.detected_at < @to";
    }

    private const string BreachColumns =
        "SELECT b.id AS Id, b.instance_id AS InstanceId, c.business_key AS BusinessKey, p.organisation AS Organisation, b.clock_name AS ClockName, " +
        "b.rule_id AS RuleId, c.rule_name_zh AS NameZh, c.rule_name_en AS NameEn, c.track AS Track, b.due_at AS DueAt, b.detected_at AS DetectedAt, " +
        "b.working_days_overdue AS WorkingDaysOverdue, c.result AS ClockResult, c.ended_at AS EndedAt, c.working_days_late AS WorkingDaysLate, " +
        "p.reason AS Reason, p.reason_by AS ReasonBy, p.reason_at AS ReasonAt ";

    /// <summary>The breach list (newest first), for the dashboard (<paramref name="limit"/>) and the export (all).</summary>
    public async Task<IReadOnlyList<BreachRow>> BreachesAsync(ComplianceFilter filter, DateTimeOffset now, int? limit = null,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await BreachesAsync(connection, filter, now, limit, cancellationToken);
    }

    private async Task<IReadOnlyList<BreachRow>> BreachesAsync(DbConnection connection, ComplianceFilter filter, DateTimeOffset now, int? limit,
        CancellationToken cancellationToken)
    {
        var sql = $"{BreachColumns}{BreachFrom} WHERE 1 = 1{And(BreachConditions(filter))} ORDER BY b.detected_at DESC, b.id DESC";
        return (await connection.QueryAsync<BreachRow>(new CommandDefinition(
            limit is null ? sql : database.Dialect.Limit(sql, "@limit"), Parameters(filter, now, new { limit }),
            cancellationToken: cancellationToken))).ToList();
    }

    /// <summary>The breaches of one case with their escalation's answer, for the evidence page.</summary>
    public async Task<IReadOnlyList<BreachRow>> BreachesOfInstanceAsync(Guid instanceId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<BreachRow>(new CommandDefinition(
            $"{BreachColumns}{BreachFrom} WHERE b.instance_id = @instanceId ORDER BY b.id",
            new { instanceId }, cancellationToken: cancellationToken))).ToList();
    }

    // ------------------------------------------------------------------------------------------------- drill-down

    /// <summary>The clocks behind a figure, newest first, a page at a time (keyset on the clock id).</summary>
    public async Task<IReadOnlyList<ComplianceCaseRow>> CasesAsync(ComplianceCaseQuery query, DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        var filter = query.Filter;
        // A result narrows to its own kind of clock; the period applies to when a decided clock ended.
        var (state, period) = query.Result switch
        {
            "on-time" => ("c.status = 'stopped' AND c.result = 'on-time'", "c.ended_at"),
            "late" => ("c.status = 'stopped' AND c.result = 'late'", "c.ended_at"),
            "overdue" => ("c.status = 'running' AND c.due_at < @now", null),
            "running" => ("c.status = 'running' AND (c.due_at IS NULL OR c.due_at >= @now)", null),
            "paused" => ("c.status = 'paused'", null),
            "cancelled" => ("c.status = 'cancelled'", "c.ended_at"),
            "breached" => ("EXISTS (SELECT 1 FROM clock_breaches b WHERE b.instance_id = c.instance_id AND b.clock_name = c.clock_name)", null),
            "extended" => ("c.extension_days > 0", null),
            "was-paused" => ("c.pause_count > 0", null),
            _ => ("c.status = 'stopped'", "c.ended_at"),
        };
        var where = new List<string> { state };
        where.AddRange(Conditions(filter, "c", period));
        if (query.Month is not null)
            where.Add("c.ended_month = @month");
        if (query.PauseReason is not null)
            where.Add("EXISTS (SELECT 1 FROM compliance_clock_events pe WHERE pe.clock_id = c.clock_id AND pe.kind = 'pause' AND pe.reason = @pauseReason)");
        if (query.Approver is not null)
            where.Add("EXISTS (SELECT 1 FROM compliance_clock_events xe WHERE xe.clock_id = c.clock_id AND xe.kind = 'extension' AND xe.approver = @approver)");
        if (query.Before is not null)
            where.Add("c.clock_id < @before");
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<ComplianceCaseRow>(new CommandDefinition(
            database.Dialect.Limit(
                "SELECT c.clock_id AS ClockId, c.instance_id AS InstanceId, c.business_key AS BusinessKey, c.organisation AS Organisation, " +
                "c.clock_name AS ClockName, c.rule_id AS RuleId, c.rule_name_zh AS NameZh, c.rule_name_en AS NameEn, c.track AS Track, " +
                "c.status AS Status, c.result AS Result, c.started_at AS StartedAt, c.due_at AS DueAt, c.ended_at AS EndedAt, " +
                "c.working_days_used AS WorkingDaysUsed, c.working_days_limit AS WorkingDaysLimit, c.working_days_late AS WorkingDaysLate, " +
                "c.working_days_paused AS WorkingDaysPaused, c.extension_days AS ExtensionDays, " +
                "(SELECT COUNT(*) FROM clock_breaches b WHERE b.instance_id = c.instance_id AND b.clock_name = c.clock_name) AS Breaches " +
                $"FROM compliance_clocks c WHERE {string.Join(" AND ", where)} ORDER BY c.clock_id DESC", "@limit"),
            Parameters(filter, now, new { month = query.Month, pauseReason = query.PauseReason, approver = query.Approver, before = query.Before, limit = query.Limit }),
            cancellationToken: cancellationToken))).ToList();
    }

    // ------------------------------------------------------------------------------------------------- evidence

    /// <summary>Every due date of the case's clocks that a calendar change moved, oldest first.</summary>
    public async Task<IReadOnlyList<RecomputationRow>> RecomputationsAsync(Guid instanceId, CancellationToken cancellationToken = default)
    {
        var prefix = WorkflowRuntime.ClockSubject(instanceId, "");
        await using var connection = await database.OpenAsync(cancellationToken);
        // The prefix holds no LIKE wildcard (a Guid, ':' and '/'); the exact prefix is checked again below.
        var rows = await connection.QueryAsync<RecomputationRow>(new CommandDefinition(
            "SELECT c.subject AS Subject, r.due_before AS DueBefore, r.due_after AS DueAfter, r.calendar_before AS CalendarBefore, " +
            "r.calendar_after AS CalendarAfter, r.cause AS Cause, r.recorded_at AS RecordedAt, r.recorded_by AS RecordedBy " +
            "FROM clock_recomputations r JOIN clocks c ON c.id = r.clock_id WHERE c.subject LIKE @pattern ORDER BY r.id",
            new { pattern = prefix + "%" }, cancellationToken: cancellationToken));
        return rows.Where(r => r.Subject.StartsWith(prefix, StringComparison.Ordinal)).ToList();
    }
}
