using System.Data.Common;
using System.Text.Json;
using CleanProdFlow.Data.Database;
using CleanProdFlow.Domain.Eia;
using CleanProdFlow.Domain.Eligibility;
using Dapper;

namespace CleanProdFlow.Data.Eia;

/// <summary>An EIA application as stored, with the enterprise's name and the instance that runs it.</summary>
public sealed record EiaApplication(string CaseNumber, string City, int Year, int Sequence, string CreditCode, string EnterpriseName,
    string ProjectName, string Kind, string DocumentType, IReadOnlyDictionary<string, decimal> QuotaNeeds, DateTimeOffset ReceivedAt,
    DateOnly AcceptanceDate, string Track, string TrackReasonZh, string TrackReasonEn, EligibilityDecision Eligibility, string DefinitionKey,
    Guid? InstanceId, string Status, DateTimeOffset StatusChangedAt, DateTimeOffset? FastTrackEndedAt, string? FastTrackEndReason,
    DateTimeOffset CreatedAt, string CreatedBy);

/// <summary>
/// EIA applications (db/*/0009_eia.sql). A new application takes the next case number of its city and year from a
/// counter row updated in the same transaction, so numbers are gap-free and never reused; the workflow then links
/// its instance and keeps the status current from its service tasks, in the engine's transaction.
/// </summary>
public sealed class EiaApplicationStore(CpfDatabase database)
{
    /// <summary>How often the first number of a new city and year is tried again after another application took it.</summary>

    private const string Select =
        "SELECT a.case_number AS CaseNumber, a.city AS City, a.case_year AS Year, a.case_sequence AS Sequence, a.credit_code AS CreditCode, " +
        "e.name AS EnterpriseName, a.project_name AS ProjectName, a.kind AS Kind, a.document_type AS DocumentType, a.quota_needs AS QuotaNeeds, " +
        "a.received_at AS ReceivedAt, a.acceptance_date AS AcceptanceDate, a.track AS Track, a.track_reason_zh AS TrackReasonZh, " +
        "a.track_reason_en AS TrackReasonEn, a.eligibility AS Eligibility, a.definition_key AS DefinitionKey, a.instance_id AS InstanceId, " +
        "a.status AS Status, a.status_changed_at AS StatusChangedAt, a.fast_track_ended_at AS FastTrackEndedAt, " +
        "a.fast_track_end_reason AS FastTrackEndReason, a.created_at AS CreatedAt, a.created_by AS CreatedBy " +
        "FROM eia_applications a JOIN enterprises e ON e.credit_code = a.credit_code";

    private sealed class Row
    {
        public string CaseNumber { get; init; } = "";
        public string City { get; init; } = "";
        public int Year { get; init; }
        public int Sequence { get; init; }
        public string CreditCode { get; init; } = "";
        public string EnterpriseName { get; init; } = "";
        public string ProjectName { get; init; } = "";
        public string Kind { get; init; } = "";
        public string DocumentType { get; init; } = "";
        public string QuotaNeeds { get; init; } = "{}";
        public DateTimeOffset ReceivedAt { get; init; }
        public DateOnly AcceptanceDate { get; init; }
        public string Track { get; init; } = "";
        public string TrackReasonZh { get; init; } = "";
        public string TrackReasonEn { get; init; } = "";
        public string Eligibility { get; init; } = "";
        public string DefinitionKey { get; init; } = "";
        public Guid? InstanceId { get; init; }
        public string Status { get; init; } = "";
        public DateTimeOffset StatusChangedAt { get; init; }
        public DateTimeOffset? FastTrackEndedAt { get; init; }
        public string? FastTrackEndReason { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public string CreatedBy { get; init; } = "";

        public EiaApplication ToApplication() => new(CaseNumber, City, Year, Sequence, CreditCode, EnterpriseName, ProjectName, Kind, DocumentType,
            JsonSerializer.Deserialize<Dictionary<string, decimal>>(QuotaNeeds) ?? [], ReceivedAt, AcceptanceDate, Track, TrackReasonZh, TrackReasonEn,
            JsonSerializer.Deserialize<EligibilityDecision>(Eligibility)!, DefinitionKey, InstanceId, Status, StatusChangedAt, FastTrackEndedAt,
            FastTrackEndReason, CreatedAt, CreatedBy);
    }

    /// <summary>
    /// Stores a received application under the next case number of its city and the acceptance year, in one
    /// transaction with the counter row, and returns the number. Its status is <c>received</c> until its workflow
    /// links itself. With an <paramref name="intakeKey"/> that <paramref name="by"/> used before, nothing is stored
    /// and the number of that earlier application is returned (Created false), also when both requests race.
    /// </summary>
    public async Task<(string CaseNumber, bool Created)> CreateAsync(EiaApplicationInput input, EiaTrack track, DateTimeOffset now, string by,
        string? intakeKey, CancellationToken cancellationToken = default)
    {
        if (intakeKey is not null && await FindByIntakeKeyAsync(by, intakeKey, cancellationToken) is { } earlier)
            return (earlier.CaseNumber, false);
        var year = input.AcceptanceDate.Year;
        return await NumberedIntake.InsertAsync(database, async (connection, transaction) =>
        {
            var sequence = await NumberedIntake.NextNumberAsync(connection, transaction, "eia_case_sequences", "city", input.City, year, cancellationToken);
            var caseNumber = CaseNumber.Format(input.City, year, sequence);
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO eia_applications (case_number, city, case_year, case_sequence, credit_code, project_name, kind, document_type, " +
                "quota_needs, received_at, acceptance_date, track, track_reason_zh, track_reason_en, eligibility, definition_key, instance_id, " +
                "status, status_changed_at, created_at, created_by, intake_key) " +
                "VALUES (@caseNumber, @city, @year, @sequence, @creditCode, @projectName, @kind, @documentType, @quotaNeeds, @receivedAt, " +
                "@acceptanceDate, @track, @reasonZh, @reasonEn, @eligibility, @definitionKey, NULL, @status, @now, @now, @by, @intakeKey)",
                new
                {
                    caseNumber, city = input.City, year, sequence, creditCode = input.CreditCode, projectName = input.ProjectName, kind = input.Kind,
                    documentType = input.DocumentType, quotaNeeds = JsonSerializer.Serialize(input.QuotaNeeds),
                    receivedAt = Instants.ForStorage(input.ReceivedAt), acceptanceDate = input.AcceptanceDate, track = track.Name,
                    reasonZh = track.Reason.Zh, reasonEn = track.Reason.En, eligibility = JsonSerializer.Serialize(track.Eligibility),
                    definitionKey = track.DefinitionKey, status = EiaStatus.Received, now = Instants.ForStorage(now), by, intakeKey,
                }, transaction, cancellationToken: cancellationToken));
            return caseNumber;
        }, async () => intakeKey is null ? null : (await FindByIntakeKeyAsync(by, intakeKey, cancellationToken))?.CaseNumber, cancellationToken);
    }

    public async Task<EiaApplication?> FindAsync(string caseNumber, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"{Select} WHERE a.case_number = @caseNumber", new { caseNumber }, cancellationToken: cancellationToken));
        return row?.ToApplication();
    }

    /// <summary>
    /// Applications whose workflow has not linked itself: recorded, and then the node stopped before the start
    /// committed (the two are separate transactions; on SQLite a second writer inside the first would wait for itself).
    /// </summary>
    public async Task<IReadOnlyList<EiaApplication>> UnstartedAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"{Select} WHERE a.instance_id IS NULL ORDER BY a.created_at", cancellationToken: cancellationToken));
        return rows.Select(r => r.ToApplication()).ToList();
    }

    /// <summary>The application <paramref name="by"/> recorded with this Idempotency-Key, if any.</summary>
    public async Task<EiaApplication?> FindByIntakeKeyAsync(string by, string intakeKey, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"{Select} WHERE a.created_by = @by AND a.intake_key = @intakeKey", new { by, intakeKey }, cancellationToken: cancellationToken));
        return row?.ToApplication();
    }

    /// <summary>
    /// Links the application to its instance (when not linked yet) and records its new status, in the engine's
    /// transaction. False when no application with this number belongs to this definition and instance (an EIA
    /// definition started by hand instead of through the intake).
    /// </summary>
    public async Task<bool> SetStatusAsync(DbTransaction transaction, string caseNumber, string definitionKey, Guid instanceId, string status,
        DateTimeOffset now, CancellationToken cancellationToken = default) =>
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE eia_applications SET instance_id = @instanceId, status = @status, status_changed_at = @now " +
            "WHERE case_number = @caseNumber AND definition_key = @definitionKey AND (instance_id IS NULL OR instance_id = @instanceId)",
            new { caseNumber, definitionKey, instanceId, status, now = Instants.ForStorage(now) }, transaction,
            cancellationToken: cancellationToken)) == 1;

    /// <summary>Records, once, that the case left the fast track (the enterprise's incentive was revoked); false when recorded before.</summary>
    public async Task<bool> EndFastTrackAsync(DbTransaction transaction, string caseNumber, Guid instanceId, string reason, DateTimeOffset now,
        CancellationToken cancellationToken = default) =>
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE eia_applications SET fast_track_ended_at = @now, fast_track_end_reason = @reason " +
            "WHERE case_number = @caseNumber AND instance_id = @instanceId AND fast_track_ended_at IS NULL",
            new { caseNumber, instanceId, reason, now = Instants.ForStorage(now) }, transaction, cancellationToken: cancellationToken)) == 1;
}
