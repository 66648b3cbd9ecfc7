using System.Data.Common;
using CleanProdFlow.Data.Database;
using CleanProdFlow.Domain.Audit;
using Dapper;

namespace CleanProdFlow.Data.Audit;

/// <summary>An audit cycle (清洁生产审核周期) as stored: the list, where it stands, the milestones and the result.</summary>
public sealed record AuditCycle(
    Guid Id, string CreditCode, string City, string Kind, string ListReference, DateOnly ListedOn, Guid? ObligationId, Guid? InstanceId,
    string Status, DateTimeOffset StatusChangedAt, string CycleRule, DateOnly? InformationPublishedOn, string? InformationEvidence,
    DateOnly? AuditStartedOn, string? AuditStartedEvidence, DateOnly? ReportSubmittedOn, string? ReportNumber, string? EvaluationOutcome,
    DateOnly? EvaluatedOn, string? EvaluationOpinion, string? AcceptanceOutcome, DateOnly? AcceptedOn, int? Level, string? DocumentNumber,
    string? AcceptanceOpinion, string? ClosedReason, string? IntakeKey, DateTimeOffset CreatedAt, string CreatedBy);

/// <summary>A request to extend a cycle to two years (measure 7), its review and decision, and the due dates it moved.</summary>
public sealed record AuditExtensionRequest(
    Guid Id, Guid CycleId, string Ground, string Evidence, string? PenaltyDecisionNumber, string Status, DateTimeOffset RequestedAt, string RequestedBy,
    string? ReviewOutcome, string? ReviewOpinion, string? DecisionReasons, DateTimeOffset? DecidedAt, DateOnly? DueBefore, DateOnly? DueAfter);

/// <summary>A re-audit obligation of a Level Ⅰ audit result (measure 6) and how it was closed.</summary>
public sealed record AuditObligation(
    Guid Id, string CreditCode, string City, long AuditResultId, string PreviousDocumentNumber, DateOnly PreviousAcceptedOn, DateOnly DueOn,
    Guid? InstanceId, string Status, DateTimeOffset StatusChangedAt, string? Choice, string? CertificationBody, string? CertificateNumber,
    DateOnly? CertifiedOn, int? CertificationLevel, Guid? CycleId, string? Outcome, DateTimeOffset? ClosedAt, DateTimeOffset CreatedAt);

/// <summary>A Level Ⅰ audit result whose re-audit date falls within the sweep's horizon and has no obligation yet.</summary>
public sealed record DueLevelOneResult(long Id, string CreditCode, string City, DateOnly AcceptedOn, string DocumentNumber);

/// <summary>
/// Audit cycles, their extension requests and the re-audit obligations. Writes made by workflow steps take the step's
/// transaction, so a cycle's status, milestones and result commit with the step that recorded them.
/// </summary>
public sealed class AuditStore(CpfDatabase database)
{
    private const string SelectCycle =
        "SELECT id AS Id, credit_code AS CreditCode, city AS City, kind AS Kind, list_reference AS ListReference, listed_on AS ListedOn, " +
        "obligation_id AS ObligationId, instance_id AS InstanceId, status AS Status, status_changed_at AS StatusChangedAt, cycle_rule AS CycleRule, " +
        "information_published_on AS InformationPublishedOn, information_evidence AS InformationEvidence, audit_started_on AS AuditStartedOn, " +
        "audit_started_evidence AS AuditStartedEvidence, report_submitted_on AS ReportSubmittedOn, report_number AS ReportNumber, " +
        "evaluation_outcome AS EvaluationOutcome, evaluated_on AS EvaluatedOn, evaluation_opinion AS EvaluationOpinion, " +
        "acceptance_outcome AS AcceptanceOutcome, accepted_on AS AcceptedOn, level AS Level, document_number AS DocumentNumber, " +
        "acceptance_opinion AS AcceptanceOpinion, closed_reason AS ClosedReason, intake_key AS IntakeKey, created_at AS CreatedAt, created_by AS CreatedBy " +
        "FROM audit_cycles";

    private const string SelectRequest =
        "SELECT id AS Id, cycle_id AS CycleId, ground AS Ground, evidence AS Evidence, penalty_decision_number AS PenaltyDecisionNumber, status AS Status, " +
        "requested_at AS RequestedAt, requested_by AS RequestedBy, review_outcome AS ReviewOutcome, review_opinion AS ReviewOpinion, " +
        "decision_reasons AS DecisionReasons, decided_at AS DecidedAt, due_before AS DueBefore, due_after AS DueAfter FROM audit_extension_requests";

    private const string SelectObligation =
        "SELECT id AS Id, credit_code AS CreditCode, city AS City, audit_result_id AS AuditResultId, previous_document_number AS PreviousDocumentNumber, " +
        "previous_accepted_on AS PreviousAcceptedOn, due_on AS DueOn, instance_id AS InstanceId, status AS Status, status_changed_at AS StatusChangedAt, " +
        "choice AS Choice, certification_body AS CertificationBody, certificate_number AS CertificateNumber, certified_on AS CertifiedOn, " +
        "certification_level AS CertificationLevel, cycle_id AS CycleId, outcome AS Outcome, closed_at AS ClosedAt, created_at AS CreatedAt FROM audit_obligations";

    // Dapper maps the records through these rows (records with positional constructors need exact types per provider).
    private sealed class CycleRow
    {
        public Guid Id { get; init; }
        public string CreditCode { get; init; } = "";
        public string City { get; init; } = "";
        public string Kind { get; init; } = "";
        public string ListReference { get; init; } = "";
        public DateOnly ListedOn { get; init; }
        public Guid? ObligationId { get; init; }
        public Guid? InstanceId { get; init; }
        public string Status { get; init; } = "";
        public DateTimeOffset StatusChangedAt { get; init; }
        public string CycleRule { get; init; } = "";
        public DateOnly? InformationPublishedOn { get; init; }
        public string? InformationEvidence { get; init; }
        public DateOnly? AuditStartedOn { get; init; }
        public string? AuditStartedEvidence { get; init; }
        public DateOnly? ReportSubmittedOn { get; init; }
        public string? ReportNumber { get; init; }
        public string? EvaluationOutcome { get; init; }
        public DateOnly? EvaluatedOn { get; init; }
        public string? EvaluationOpinion { get; init; }
        public string? AcceptanceOutcome { get; init; }
        public DateOnly? AcceptedOn { get; init; }
        public int? Level { get; init; }
        public string? DocumentNumber { get; init; }
        public string? AcceptanceOpinion { get; init; }
        public string? ClosedReason { get; init; }
        public string? IntakeKey { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public string CreatedBy { get; init; } = "";

        public AuditCycle ToCycle() => new(Id, CreditCode, City, Kind, ListReference, ListedOn, ObligationId, InstanceId, Status, StatusChangedAt, CycleRule,
            InformationPublishedOn, InformationEvidence, AuditStartedOn, AuditStartedEvidence, ReportSubmittedOn, ReportNumber, EvaluationOutcome, EvaluatedOn,
            EvaluationOpinion, AcceptanceOutcome, AcceptedOn, Level, DocumentNumber, AcceptanceOpinion, ClosedReason, IntakeKey, CreatedAt, CreatedBy);
    }

    private sealed class RequestRow
    {
        public Guid Id { get; init; }
        public Guid CycleId { get; init; }
        public string Ground { get; init; } = "";
        public string Evidence { get; init; } = "";
        public string? PenaltyDecisionNumber { get; init; }
        public string Status { get; init; } = "";
        public DateTimeOffset RequestedAt { get; init; }
        public string RequestedBy { get; init; } = "";
        public string? ReviewOutcome { get; init; }
        public string? ReviewOpinion { get; init; }
        public string? DecisionReasons { get; init; }
        public DateTimeOffset? DecidedAt { get; init; }
        public DateOnly? DueBefore { get; init; }
        public DateOnly? DueAfter { get; init; }

        public AuditExtensionRequest ToRequest() => new(Id, CycleId, Ground, Evidence, PenaltyDecisionNumber, Status, RequestedAt, RequestedBy, ReviewOutcome,
            ReviewOpinion, DecisionReasons, DecidedAt, DueBefore, DueAfter);
    }

    private sealed class ObligationRow
    {
        public Guid Id { get; init; }
        public string CreditCode { get; init; } = "";
        public string City { get; init; } = "";
        public long AuditResultId { get; init; }
        public string PreviousDocumentNumber { get; init; } = "";
        public DateOnly PreviousAcceptedOn { get; init; }
        public DateOnly DueOn { get; init; }
        public Guid? InstanceId { get; init; }
        public string Status { get; init; } = "";
        public DateTimeOffset StatusChangedAt { get; init; }
        public string? Choice { get; init; }
        public string? CertificationBody { get; init; }
        public string? CertificateNumber { get; init; }
        public DateOnly? CertifiedOn { get; init; }
        public int? CertificationLevel { get; init; }
        public Guid? CycleId { get; init; }
        public string? Outcome { get; init; }
        public DateTimeOffset? ClosedAt { get; init; }
        public DateTimeOffset CreatedAt { get; init; }

        public AuditObligation ToObligation() => new(Id, CreditCode, City, AuditResultId, PreviousDocumentNumber, PreviousAcceptedOn, DueOn, InstanceId, Status,
            StatusChangedAt, Choice, CertificationBody, CertificateNumber, CertifiedOn, CertificationLevel, CycleId, Outcome, ClosedAt, CreatedAt);
    }

    private sealed class DueRow
    {
        public long Id { get; init; }
        public string CreditCode { get; init; } = "";
        public string City { get; init; } = "";
        public DateOnly AcceptedOn { get; init; }
        public string DocumentNumber { get; init; } = "";
    }

    // ------------------------------------------------------------------ cycles

    /// <summary>One cycle to open (the enterprise's city is the cycle's).</summary>
    public sealed record NewCycle(string CreditCode, string City);

    /// <summary>
    /// Opens one cycle per enterprise of a list, all in one transaction, status <c>starting</c> until the instance's
    /// first step links it. Returns them in the list's order.
    /// </summary>
    public async Task<IReadOnlyList<AuditCycle>> OpenCyclesAsync(IReadOnlyList<NewCycle> cycles, string listReference, DateOnly listedOn, string? intakeKey,
        DateTimeOffset now, string by, CancellationToken cancellationToken = default)
    {
        var ids = new List<Guid>();
        await using (var connection = await database.OpenAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            // Ids one millisecond apart keep the list's order (version-7 ids sort by their time).
            foreach (var cycle in cycles)
                ids.Add(await InsertCycleAsync(transaction, Guid.CreateVersion7(now.AddMilliseconds(ids.Count)), cycle, AuditCycleKind.Mandatory, listReference,
                    listedOn, null, intakeKey, now, by, cancellationToken));
            await transaction.CommitAsync(cancellationToken);
        }
        var opened = new List<AuditCycle>();
        foreach (var id in ids)
            opened.Add((await FindAsync(id, cancellationToken))!);
        return opened;
    }

    /// <summary>Opens a re-audit cycle for an obligation in a workflow step's transaction; returns its id.</summary>
    public Task<Guid> OpenReauditCycleAsync(DbTransaction transaction, AuditObligation obligation, DateOnly listedOn, DateTimeOffset now,
        CancellationToken cancellationToken = default) =>
        InsertCycleAsync(transaction, Guid.CreateVersion7(now), new NewCycle(obligation.CreditCode, obligation.City), AuditCycleKind.Reaudit,
            $"复审核（上轮验收 {obligation.PreviousDocumentNumber}）", listedOn, obligation.Id, null, now, "system", cancellationToken);

    private static async Task<Guid> InsertCycleAsync(DbTransaction transaction, Guid id, NewCycle cycle, string kind, string listReference, DateOnly listedOn,
        Guid? obligationId, string? intakeKey, DateTimeOffset now, string by, CancellationToken cancellationToken)
    {
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "INSERT INTO audit_cycles (id, credit_code, city, kind, list_reference, listed_on, obligation_id, status, status_changed_at, cycle_rule, " +
            "intake_key, created_at, created_by) VALUES (@id, @CreditCode, @City, @kind, @listReference, @listedOn, @obligationId, @status, @now, @rule, " +
            "@intakeKey, @now, @by)",
            new
            {
                id, cycle.CreditCode, cycle.City, kind, listReference, listedOn, obligationId, status = AuditCycleStatus.Starting, now = Instants.ForStorage(now),
                rule = AuditClocks.CycleRule, intakeKey, by,
            }, transaction, cancellationToken: cancellationToken));
        return id;
    }

    public async Task<AuditCycle?> FindAsync(Guid id, CancellationToken cancellationToken = default, DbTransaction? transaction = null)
    {
        await using var owned = transaction is null ? await database.OpenAsync(cancellationToken) : null;
        var row = await (transaction?.Connection ?? owned!).QuerySingleOrDefaultAsync<CycleRow>(new CommandDefinition(
            $"{SelectCycle} WHERE id = @id", new { id }, transaction, cancellationToken: cancellationToken));
        return row?.ToCycle();
    }

    /// <summary>Cycles, newest first, filtered by status and city (null: all).</summary>
    public async Task<IReadOnlyList<AuditCycle>> ListAsync(string? status, string? city, string? creditCode, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<CycleRow>(new CommandDefinition(
            $"{SelectCycle} WHERE (@status IS NULL OR status = @status) AND (@city IS NULL OR city = @city) AND (@creditCode IS NULL OR credit_code = @creditCode) " +
            "ORDER BY created_at DESC, id DESC",
            new { status, city, creditCode }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToCycle()).ToList();
    }

    /// <summary>The cycles one intake recorded (same user and Idempotency-Key), in the list's order.</summary>
    public async Task<IReadOnlyList<AuditCycle>> ByIntakeKeyAsync(string by, string key, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<CycleRow>(new CommandDefinition(
            $"{SelectCycle} WHERE created_by = @by AND intake_key = @key ORDER BY id", new { by, key }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToCycle()).ToList();
    }

    /// <summary>Credit codes among <paramref name="creditCodes"/> with a cycle of this list that is still open.</summary>
    public async Task<IReadOnlySet<string>> OpenOnListAsync(string listReference, IReadOnlyList<string> creditCodes, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT credit_code FROM audit_cycles WHERE list_reference = @listReference AND status NOT IN (@accepted, @failed) AND " +
            database.Dialect.InList("credit_code", "@creditCodes"),
            new { listReference, creditCodes = creditCodes.ToArray(), accepted = AuditCycleStatus.Accepted, failed = AuditCycleStatus.Failed },
            cancellationToken: cancellationToken));
        return rows.ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Cycles whose instance never started (the start failed after the row was written), for the start-up retry.</summary>
    public async Task<IReadOnlyList<AuditCycle>> UnstartedAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<CycleRow>(new CommandDefinition(
            $"{SelectCycle} WHERE instance_id IS NULL AND status = @status AND kind = @kind",
            new { status = AuditCycleStatus.Starting, kind = AuditCycleKind.Mandatory }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToCycle()).ToList();
    }

    /// <summary>Sets the status in a workflow step's transaction; the first call (the start step) links the instance. False when there is no such cycle.</summary>
    public async Task<bool> SetStatusAsync(DbTransaction transaction, Guid id, Guid instanceId, string status, DateTimeOffset now,
        CancellationToken cancellationToken = default) =>
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE audit_cycles SET status = @status, status_changed_at = @now, instance_id = CASE WHEN instance_id IS NULL THEN @instanceId ELSE instance_id END " +
            "WHERE id = @id",
            new { id, instanceId, status, now = Instants.ForStorage(now) }, transaction, cancellationToken: cancellationToken)) > 0;

    /// <summary>Which milestone of the first year was recorded.</summary>
    public enum Milestone { Information, Start, Report }

    public async Task RecordMilestoneAsync(DbTransaction transaction, Guid id, Milestone milestone, DateOnly on, string evidence,
        CancellationToken cancellationToken = default)
    {
        var (date, text) = milestone switch
        {
            Milestone.Information => ("information_published_on", "information_evidence"),
            Milestone.Start => ("audit_started_on", "audit_started_evidence"),
            _ => ("report_submitted_on", "report_number"),
        };
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            $"UPDATE audit_cycles SET {date} = @on, {text} = @evidence WHERE id = @id", new { id, on, evidence }, transaction,
            cancellationToken: cancellationToken));
    }

    public async Task RecordEvaluationAsync(DbTransaction transaction, Guid id, string outcome, DateOnly on, string opinion, CancellationToken cancellationToken = default) =>
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE audit_cycles SET evaluation_outcome = @outcome, evaluated_on = @on, evaluation_opinion = @opinion WHERE id = @id",
            new { id, outcome, on, opinion }, transaction, cancellationToken: cancellationToken));

    public async Task RecordAcceptanceAsync(DbTransaction transaction, Guid id, string outcome, DateOnly on, int? level, string? documentNumber, string opinion,
        CancellationToken cancellationToken = default) =>
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE audit_cycles SET acceptance_outcome = @outcome, accepted_on = @on, level = @level, document_number = @documentNumber, " +
            "acceptance_opinion = @opinion WHERE id = @id",
            new { id, outcome, on, level, documentNumber, opinion }, transaction, cancellationToken: cancellationToken));

    /// <summary>Closes the cycle: accepted, or failed with the reason (the city re-lists the enterprise for a new cycle).</summary>
    public async Task CloseAsync(DbTransaction transaction, Guid id, string status, string? reason, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE audit_cycles SET status = @status, status_changed_at = @now, closed_reason = @reason WHERE id = @id",
            new { id, status, reason, now = Instants.ForStorage(now) }, transaction, cancellationToken: cancellationToken));

    // ------------------------------------------------------------------ extension requests (measure 7)

    public async Task<AuditExtensionRequest> AddExtensionRequestAsync(Guid cycleId, string ground, string evidence, string? penaltyDecisionNumber,
        DateOnly? dueBefore, DateTimeOffset now, string by, CancellationToken cancellationToken = default)
    {
        var id = Guid.CreateVersion7(now);
        await using (var connection = await database.OpenAsync(cancellationToken))
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO audit_extension_requests (id, cycle_id, ground, evidence, penalty_decision_number, status, requested_at, requested_by, due_before) " +
                "VALUES (@id, @cycleId, @ground, @evidence, @penaltyDecisionNumber, 'pending', @now, @by, @dueBefore)",
                new { id, cycleId, ground, evidence, penaltyDecisionNumber, now = Instants.ForStorage(now), by, dueBefore }, cancellationToken: cancellationToken));
        return (await ExtensionRequestsAsync(cycleId, cancellationToken)).Single(r => r.Id == id);
    }

    public async Task<IReadOnlyList<AuditExtensionRequest>> ExtensionRequestsAsync(Guid cycleId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<RequestRow>(new CommandDefinition(
            $"{SelectRequest} WHERE cycle_id = @cycleId ORDER BY requested_at, id", new { cycleId }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToRequest()).ToList();
    }

    /// <summary>A request that could not be handed to the workflow is withdrawn again, so the cycle is not left with a pending request nobody decides.</summary>
    public async Task DeleteExtensionRequestAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM audit_extension_requests WHERE id = @id AND status = 'pending'", new { id },
            cancellationToken: cancellationToken));
    }

    public async Task RecordExtensionReviewAsync(DbTransaction transaction, Guid id, string outcome, string opinion, CancellationToken cancellationToken = default) =>
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE audit_extension_requests SET review_outcome = @outcome, review_opinion = @opinion WHERE id = @id",
            new { id, outcome, opinion }, transaction, cancellationToken: cancellationToken));

    /// <summary>The decision on a request; an approval also sets the cycle's rule to the extended cycle.</summary>
    public async Task RecordExtensionDecisionAsync(DbTransaction transaction, Guid id, Guid cycleId, bool approved, string reasons, DateOnly? dueAfter,
        DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE audit_extension_requests SET status = @status, decision_reasons = @reasons, decided_at = @now, due_after = @dueAfter WHERE id = @id",
            new { id, status = approved ? "approved" : "refused", reasons, now = Instants.ForStorage(now), dueAfter }, transaction,
            cancellationToken: cancellationToken));
        if (approved)
            await transaction.Connection!.ExecuteAsync(new CommandDefinition(
                "UPDATE audit_cycles SET cycle_rule = @rule WHERE id = @cycleId", new { cycleId, rule = AuditClocks.ExtendedCycleRule }, transaction,
                cancellationToken: cancellationToken));
    }

    // ------------------------------------------------------------------ re-audit obligations (measure 6)

    /// <summary>
    /// Level Ⅰ audit results that are their enterprise's latest, whose re-audit date (<paramref name="dueOf"/> of the
    /// acceptance date) is on or before <paramref name="upTo"/>, and that have no obligation yet — read in the sweep's transaction.
    /// </summary>
    public async Task<IReadOnlyList<DueLevelOneResult>> DueLevelOneResultsAsync(DbTransaction transaction, DateOnly acceptedOnOrBefore,
        CancellationToken cancellationToken = default)
    {
        var rows = await transaction.Connection!.QueryAsync<DueRow>(new CommandDefinition(
            "SELECT r.id AS Id, r.credit_code AS CreditCode, e.city AS City, r.accepted_on AS AcceptedOn, r.document_number AS DocumentNumber " +
            "FROM audit_results r JOIN enterprises e ON e.credit_code = r.credit_code " +
            "WHERE r.level = 1 AND r.accepted_on <= @upTo " +
            "AND NOT EXISTS (SELECT 1 FROM audit_obligations o WHERE o.audit_result_id = r.id) " +
            "AND NOT EXISTS (SELECT 1 FROM audit_results later WHERE later.credit_code = r.credit_code AND later.id <> r.id " +
            "AND (later.accepted_on > r.accepted_on OR (later.accepted_on = r.accepted_on AND later.id > r.id))) " +
            "ORDER BY r.accepted_on, r.id",
            new { upTo = acceptedOnOrBefore }, transaction, cancellationToken: cancellationToken));
        return rows.Select(r => new DueLevelOneResult(r.Id, r.CreditCode, r.City, r.AcceptedOn, r.DocumentNumber)).ToList();
    }

    public async Task<Guid> CreateObligationAsync(DbTransaction transaction, DueLevelOneResult result, DateOnly dueOn, DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        var id = Guid.CreateVersion7(now);
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "INSERT INTO audit_obligations (id, credit_code, city, audit_result_id, previous_document_number, previous_accepted_on, due_on, status, " +
            "status_changed_at, created_at) VALUES (@id, @CreditCode, @City, @Id2, @DocumentNumber, @AcceptedOn, @dueOn, 'starting', @now, @now)",
            new { id, result.CreditCode, result.City, Id2 = result.Id, result.DocumentNumber, result.AcceptedOn, dueOn, now = Instants.ForStorage(now) },
            transaction, cancellationToken: cancellationToken));
        return id;
    }

    public async Task<AuditObligation?> FindObligationAsync(Guid id, CancellationToken cancellationToken = default, DbTransaction? transaction = null)
    {
        await using var owned = transaction is null ? await database.OpenAsync(cancellationToken) : null;
        var row = await (transaction?.Connection ?? owned!).QuerySingleOrDefaultAsync<ObligationRow>(new CommandDefinition(
            $"{SelectObligation} WHERE id = @id", new { id }, transaction, cancellationToken: cancellationToken));
        return row?.ToObligation();
    }

    public async Task<IReadOnlyList<AuditObligation>> ObligationsAsync(string? city, string? creditCode, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ObligationRow>(new CommandDefinition(
            $"{SelectObligation} WHERE (@city IS NULL OR city = @city) AND (@creditCode IS NULL OR credit_code = @creditCode) ORDER BY due_on, id",
            new { city, creditCode }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToObligation()).ToList();
    }

    /// <summary>Obligations whose instance has not started (the sweep's job starts them after the sweep committed).</summary>
    public async Task<IReadOnlyList<AuditObligation>> UnstartedObligationsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ObligationRow>(new CommandDefinition(
            $"{SelectObligation} WHERE instance_id IS NULL AND status IN ('starting', 'claimed') ORDER BY due_on, id", cancellationToken: cancellationToken));
        return rows.Select(r => r.ToObligation()).ToList();
    }

    /// <summary>
    /// Claims an unstarted obligation for starting its instance (<c>starting</c> → <c>claimed</c>); only one caller wins,
    /// so two jobs or nodes never start two instances for it. <see cref="ReleaseObligationAsync"/> hands it back after a failed start.
    /// </summary>
    public async Task<bool> ClaimObligationAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE audit_obligations SET status = 'claimed' WHERE id = @id AND status = 'starting' AND instance_id IS NULL", new { id },
            cancellationToken: cancellationToken)) > 0;
    }

    public async Task ReleaseObligationAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE audit_obligations SET status = 'starting' WHERE id = @id AND status = 'claimed' AND instance_id IS NULL", new { id },
            cancellationToken: cancellationToken));
    }

    public async Task<bool> SetObligationStatusAsync(DbTransaction transaction, Guid id, Guid instanceId, string status, DateTimeOffset now,
        CancellationToken cancellationToken = default) =>
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE audit_obligations SET status = @status, status_changed_at = @now, instance_id = CASE WHEN instance_id IS NULL THEN @instanceId ELSE instance_id END " +
            "WHERE id = @id",
            new { id, instanceId, status, now = Instants.ForStorage(now) }, transaction, cancellationToken: cancellationToken)) > 0;

    public async Task RecordChoiceAsync(DbTransaction transaction, Guid id, string choice, CancellationToken cancellationToken = default) =>
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE audit_obligations SET choice = @choice WHERE id = @id", new { id, choice }, transaction, cancellationToken: cancellationToken));

    public async Task RecordCertificationAsync(DbTransaction transaction, Guid id, string body, string certificateNumber, DateOnly certifiedOn, int level,
        CancellationToken cancellationToken = default) =>
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE audit_obligations SET certification_body = @body, certificate_number = @certificateNumber, certified_on = @certifiedOn, " +
            "certification_level = @level WHERE id = @id",
            new { id, body, certificateNumber, certifiedOn, level }, transaction, cancellationToken: cancellationToken));

    public async Task LinkCycleAsync(DbTransaction transaction, Guid id, Guid cycleId, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE audit_obligations SET cycle_id = @cycleId, status = 'auditing', status_changed_at = @now WHERE id = @id",
            new { id, cycleId, now = Instants.ForStorage(now) }, transaction, cancellationToken: cancellationToken));

    public async Task CloseObligationAsync(DbTransaction transaction, Guid id, string outcome, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE audit_obligations SET status = 'closed', outcome = @outcome, closed_at = @now, status_changed_at = @now WHERE id = @id",
            new { id, outcome, now = Instants.ForStorage(now) }, transaction, cancellationToken: cancellationToken));
}
