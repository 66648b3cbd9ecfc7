using System.Data.Common;
using CleanProdFlow.Data.Database;
using CleanProdFlow.Domain.Revocation;
using Dapper;
using Microsoft.Data.Sqlite;

namespace CleanProdFlow.Data.Revocation;

/// <summary>A revocation case (取消激励案件) as stored: its trigger, where it stands, the decision and its effect.</summary>
public sealed record RevocationCase(
    Guid Id, string CreditCode, string City, string TriggerKind, string TriggerId, string TriggerSummary, DateTimeOffset? TriggerAnnulledAt,
    Guid? InstanceId, string Status, DateTimeOffset StatusChangedAt, string? Decision, string? DecisionNumber, string? DecisionReasons,
    DateOnly? DecidedOn, string? Effect, string? CorrelationStatus, string? Correlated, DateTimeOffset? CorrelatedAt, Guid? ReviewInstanceId,
    string? ReviewOutcome, string? ReviewReasons, DateTimeOffset? ReviewedAt, DateTimeOffset CreatedAt, string CreatedBy);

/// <summary>
/// Revocation cases, one per triggering fact (unique per enterprise, kind and fact). Writes made by workflow steps
/// take the step's transaction, so a case's status and effect commit with the step.
/// </summary>
public sealed class RevocationStore(CpfDatabase database)
{
    private sealed class CaseRow
    {
        public Guid Id { get; init; }
        public string CreditCode { get; init; } = "";
        public string City { get; init; } = "";
        public string TriggerKind { get; init; } = "";
        public string TriggerId { get; init; } = "";
        public string TriggerSummary { get; init; } = "";
        public DateTimeOffset? TriggerAnnulledAt { get; init; }
        public Guid? InstanceId { get; init; }
        public string Status { get; init; } = "";
        public DateTimeOffset StatusChangedAt { get; init; }
        public string? Decision { get; init; }
        public string? DecisionNumber { get; init; }
        public string? DecisionReasons { get; init; }
        public DateOnly? DecidedOn { get; init; }
        public string? Effect { get; init; }
        public string? CorrelationStatus { get; init; }
        public string? Correlated { get; init; }
        public DateTimeOffset? CorrelatedAt { get; init; }
        public Guid? ReviewInstanceId { get; init; }
        public string? ReviewOutcome { get; init; }
        public string? ReviewReasons { get; init; }
        public DateTimeOffset? ReviewedAt { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public string CreatedBy { get; init; } = "";

        public RevocationCase ToCase() => new(Id, CreditCode, City, TriggerKind, TriggerId, TriggerSummary, TriggerAnnulledAt, InstanceId, Status,
            StatusChangedAt, Decision, DecisionNumber, DecisionReasons, DecidedOn, Effect, CorrelationStatus, Correlated, CorrelatedAt,
            ReviewInstanceId, ReviewOutcome, ReviewReasons, ReviewedAt, CreatedAt, CreatedBy);
    }

    private const string SelectCase =
        "SELECT id AS Id, credit_code AS CreditCode, city AS City, trigger_kind AS TriggerKind, trigger_id AS TriggerId, " +
        "trigger_summary AS TriggerSummary, trigger_annulled_at AS TriggerAnnulledAt, instance_id AS InstanceId, status AS Status, " +
        "status_changed_at AS StatusChangedAt, decision AS Decision, decision_number AS DecisionNumber, decision_reasons AS DecisionReasons, " +
        "decided_on AS DecidedOn, effect AS Effect, correlation_status AS CorrelationStatus, correlated AS Correlated, correlated_at AS CorrelatedAt, " +
        "review_instance_id AS ReviewInstanceId, review_outcome AS ReviewOutcome, review_reasons AS ReviewReasons, reviewed_at AS ReviewedAt, " +
        "created_at AS CreatedAt, created_by AS CreatedBy FROM revocation_cases";

    /// <summary>
    /// Opens the case for a fact; when the fact has a case already, that case is returned with <c>Created</c> false
    /// (the unique key decides, so two concurrent recordings of one fact open one case).
    /// </summary>
    public async Task<(RevocationCase Case, bool Created)> OpenAsync(string creditCode, string city, RevocationTrigger trigger, DateTimeOffset now,
        string by, CancellationToken cancellationToken = default)
    {
        var id = Guid.CreateVersion7(now);
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            try
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO revocation_cases (id, credit_code, city, trigger_kind, trigger_id, trigger_summary, status, status_changed_at, created_at, created_by) " +
                    "VALUES (@id, @creditCode, @city, @kind, @triggerId, @summary, @status, @now, @now, @by)",
                    new { id, creditCode, city, kind = trigger.Kind, triggerId = trigger.TriggerId, summary = trigger.SummaryZh,
                        status = RevocationStatus.Starting, now = Instants.ForStorage(now), by },
                    cancellationToken: cancellationToken));
                return ((await FindAsync(id, cancellationToken))!, true);
            }
            catch (DbException e) when (database.Dialect.IsUniqueViolation(e))
            {
            }
        }
        return ((await ByTriggerAsync(creditCode, trigger.Kind, trigger.TriggerId, cancellationToken))!, false);
    }

    public async Task<RevocationCase?> FindAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<CaseRow>(new CommandDefinition(
            $"{SelectCase} WHERE id = @id", new { id }, cancellationToken: cancellationToken));
        return row?.ToCase();
    }

    public async Task<RevocationCase?> ByTriggerAsync(string creditCode, string kind, string triggerId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<CaseRow>(new CommandDefinition(
            $"{SelectCase} WHERE credit_code = @creditCode AND trigger_kind = @kind AND trigger_id = @triggerId",
            new { creditCode, kind, triggerId }, cancellationToken: cancellationToken));
        return row?.ToCase();
    }

    /// <summary>An enterprise's cases, oldest first.</summary>
    public async Task<IReadOnlyList<RevocationCase>> OfEnterpriseAsync(string creditCode, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<CaseRow>(new CommandDefinition(
            $"{SelectCase} WHERE credit_code = @creditCode ORDER BY created_at, id", new { creditCode }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToCase()).ToList();
    }

    /// <summary>Cases whose instance never started (the start failed after the case was opened), for the start-up retry.</summary>
    public async Task<IReadOnlyList<RevocationCase>> UnstartedAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<CaseRow>(new CommandDefinition(
            $"{SelectCase} WHERE instance_id IS NULL AND status = @status", new { status = RevocationStatus.Starting }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToCase()).ToList();
    }

    /// <summary>Revoked cases whose <c>incentive.revoked</c> message has not been sent yet.</summary>
    public async Task<IReadOnlyList<Guid>> PendingCorrelationsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<Guid>(new CommandDefinition(
            "SELECT id FROM revocation_cases WHERE correlation_status = 'pending'", cancellationToken: cancellationToken))).ToList();
    }

    /// <summary>
    /// Sets the status in a workflow step's transaction. The first call links the case to the instance (the start
    /// step); the status <c>review</c> links the reopened review's instance instead. False when there is no such case.
    /// </summary>
    public async Task<bool> SetStatusAsync(DbTransaction transaction, Guid id, Guid instanceId, string status, DateTimeOffset now,
        CancellationToken cancellationToken = default) =>
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE revocation_cases SET status = @status, status_changed_at = @now, " +
            "instance_id = CASE WHEN instance_id IS NULL AND @status <> @review THEN @instanceId ELSE instance_id END, " +
            "review_instance_id = CASE WHEN @status = @review THEN @instanceId ELSE review_instance_id END WHERE id = @id",
            new { id, instanceId, status, review = RevocationStatus.Review, now = Instants.ForStorage(now) }, transaction,
            cancellationToken: cancellationToken)) > 0;

    /// <summary>Records the province's decision and its effect in the deciding step's transaction.</summary>
    public async Task RecordDecisionAsync(DbTransaction transaction, Guid id, string decision, string? decisionNumber, string reasons, DateOnly decidedOn,
        string effectJson, bool correlationPending, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE revocation_cases SET decision = @decision, decision_number = @decisionNumber, decision_reasons = @reasons, decided_on = @decidedOn, " +
            "effect = @effectJson, correlation_status = @correlation, status = @status, status_changed_at = @now WHERE id = @id",
            new
            {
                id, decision, decisionNumber, reasons, decidedOn, effectJson, correlation = correlationPending ? "pending" : null,
                status = decision == "revoke" ? RevocationStatus.Revoked : RevocationStatus.Kept, now = Instants.ForStorage(now),
            }, transaction, cancellationToken: cancellationToken));

    /// <summary>Records the outcome of the review reopened after the trigger was annulled, in the review step's transaction.</summary>
    public async Task RecordReviewAsync(DbTransaction transaction, Guid id, string outcome, string reasons, DateTimeOffset now,
        CancellationToken cancellationToken = default) =>
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE revocation_cases SET review_outcome = @outcome, review_reasons = @reasons, reviewed_at = @now, status = @status, status_changed_at = @now " +
            "WHERE id = @id",
            new { id, outcome, reasons, status = outcome == "reinstate" ? RevocationStatus.Reinstated : RevocationStatus.Maintained, now = Instants.ForStorage(now) },
            transaction, cancellationToken: cancellationToken));

    /// <summary>Marks the cases a penalty opened as having lost their ground; returns them.</summary>
    public async Task<IReadOnlyList<RevocationCase>> MarkTriggerAnnulledAsync(string creditCode, string kind, string triggerId, DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        await using (var connection = await database.OpenAsync(cancellationToken))
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE revocation_cases SET trigger_annulled_at = @now WHERE credit_code = @creditCode AND trigger_kind = @kind AND trigger_id = @triggerId " +
                "AND trigger_annulled_at IS NULL",
                new { creditCode, kind, triggerId, now = Instants.ForStorage(now) }, cancellationToken: cancellationToken));
        return await ByTriggerAsync(creditCode, kind, triggerId, cancellationToken) is { } found ? [found] : [];
    }

    /// <summary>
    /// Waits until no transaction holds the case's row (the step that revoked it has committed or rolled back) and
    /// reads it. On SQLite an immediate transaction waits for the writer; elsewhere a row lock does.
    /// </summary>
    public async Task<RevocationCase?> AfterWritersAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = connection is SqliteConnection sqlite
            ? sqlite.BeginTransaction(deferred: false)
            : await connection.BeginTransactionAsync(cancellationToken);
        var lockHint = database.Provider switch
        {
            DatabaseProvider.Postgres => " FOR UPDATE",
            _ => "",
        };
        var sql = database.Provider == DatabaseProvider.SqlServer
            ? SelectCase.Replace("FROM revocation_cases", "FROM revocation_cases WITH (UPDLOCK, HOLDLOCK)", StringComparison.Ordinal) + " WHERE id = @id"
            : $"{SelectCase} WHERE id = @id{lockHint}";
        var row = await connection.QuerySingleOrDefaultAsync<CaseRow>(new CommandDefinition(sql, new { id }, transaction, cancellationToken: cancellationToken));
        await transaction.RollbackAsync(cancellationToken);
        return row?.ToCase();
    }

    /// <summary>Records the instances <c>incentive.revoked</c> reached; false when another delivery recorded it first.</summary>
    public async Task<bool> RecordCorrelationAsync(Guid id, string correlatedJson, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE revocation_cases SET correlation_status = 'done', correlated = @correlatedJson, correlated_at = @now " +
            "WHERE id = @id AND correlation_status = 'pending'",
            new { id, correlatedJson, now = Instants.ForStorage(now) }, cancellationToken: cancellationToken)) > 0;
    }
}
