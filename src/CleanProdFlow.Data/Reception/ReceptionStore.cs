using System.Data.Common;
using CleanProdFlow.Data.Database;
using CleanProdFlow.Domain.Reception;
using Dapper;

namespace CleanProdFlow.Data.Reception;

/// <summary>A reception-day session (接待日场次) as stored.</summary>
public sealed record ReceptionSession(Guid Id, string Organisation, DateOnly Date, string Place, string Host, string? Topic, DateTimeOffset CreatedAt,
    string CreatedBy);

/// <summary>A request (诉求) as stored, with the enterprise's name, the session's date and where its workflow has taken it.</summary>
public sealed record ReceptionRequest(string RequestNumber, Guid SessionId, DateOnly SessionDate, string Organisation, int Year, int Sequence,
    string CreditCode, string EnterpriseName, string ContactName, string? ContactPhone, string Category, string Request, Guid? InstanceId,
    string Status, DateTimeOffset StatusChangedAt, string? Office, string? ReferredTo, string? Answer, DateTimeOffset? AnsweredAt,
    string? Satisfaction, DateTimeOffset? FollowedUpAt, string? RehandleAnswer, DateTimeOffset? RehandledAt, DateTimeOffset? ClosedAt,
    DateTimeOffset CreatedAt, string CreatedBy);

/// <summary>What one workflow step records on a request besides its status (null: left as it is).</summary>
public sealed record ReceptionStep(string Status, string? Office = null, string? ReferredTo = null, string? Answer = null, string? Satisfaction = null,
    string? RehandleAnswer = null, bool Closes = false);

/// <summary>
/// Reception-day sessions and requests (db/*/0014_reception_day.sql). A new request takes the next number of its
/// organisation and year from a counter row updated in the same transaction (gap-free, never reused); the workflow
/// then links its instance and records each step on the row, in the engine's transaction.
/// </summary>
public sealed class ReceptionStore(CpfDatabase database)
{
    /// <summary>How often the first number of a new organisation and year is tried again after another request took it.</summary>

    private const string SelectSession =
        "SELECT id AS Id, organisation AS Organisation, session_date AS Date, place AS Place, host AS Host, topic AS Topic, created_at AS CreatedAt, " +
        "created_by AS CreatedBy FROM reception_sessions";

    private const string SelectRequest =
        "SELECT r.request_number AS RequestNumber, r.session_id AS SessionId, s.session_date AS SessionDate, r.organisation AS Organisation, " +
        "r.request_year AS Year, r.request_sequence AS Sequence, r.credit_code AS CreditCode, e.name AS EnterpriseName, r.contact_name AS ContactName, " +
        "r.contact_phone AS ContactPhone, r.category AS Category, r.request_text AS Request, r.instance_id AS InstanceId, r.status AS Status, " +
        "r.status_changed_at AS StatusChangedAt, r.office AS Office, r.referred_to AS ReferredTo, r.answer AS Answer, r.answered_at AS AnsweredAt, " +
        "r.satisfaction AS Satisfaction, r.followed_up_at AS FollowedUpAt, r.rehandle_answer AS RehandleAnswer, r.rehandled_at AS RehandledAt, " +
        "r.closed_at AS ClosedAt, r.created_at AS CreatedAt, r.created_by AS CreatedBy " +
        "FROM reception_requests r JOIN reception_sessions s ON s.id = r.session_id JOIN enterprises e ON e.credit_code = r.credit_code";

    private sealed class SessionRow
    {
        public Guid Id { get; init; }
        public string Organisation { get; init; } = "";
        public DateOnly Date { get; init; }
        public string Place { get; init; } = "";
        public string Host { get; init; } = "";
        public string? Topic { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public string CreatedBy { get; init; } = "";

        public ReceptionSession ToSession() => new(Id, Organisation, Date, Place, Host, Topic, CreatedAt, CreatedBy);
    }

    private sealed class RequestRow
    {
        public string RequestNumber { get; init; } = "";
        public Guid SessionId { get; init; }
        public DateOnly SessionDate { get; init; }
        public string Organisation { get; init; } = "";
        public int Year { get; init; }
        public int Sequence { get; init; }
        public string CreditCode { get; init; } = "";
        public string EnterpriseName { get; init; } = "";
        public string ContactName { get; init; } = "";
        public string? ContactPhone { get; init; }
        public string Category { get; init; } = "";
        public string Request { get; init; } = "";
        public Guid? InstanceId { get; init; }
        public string Status { get; init; } = "";
        public DateTimeOffset StatusChangedAt { get; init; }
        public string? Office { get; init; }
        public string? ReferredTo { get; init; }
        public string? Answer { get; init; }
        public DateTimeOffset? AnsweredAt { get; init; }
        public string? Satisfaction { get; init; }
        public DateTimeOffset? FollowedUpAt { get; init; }
        public string? RehandleAnswer { get; init; }
        public DateTimeOffset? RehandledAt { get; init; }
        public DateTimeOffset? ClosedAt { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public string CreatedBy { get; init; } = "";

        public ReceptionRequest ToRequest() => new(RequestNumber, SessionId, SessionDate, Organisation, Year, Sequence, CreditCode, EnterpriseName,
            ContactName, ContactPhone, Category, Request, InstanceId, Status, StatusChangedAt, Office, ReferredTo, Answer, AnsweredAt, Satisfaction,
            FollowedUpAt, RehandleAnswer, RehandledAt, ClosedAt, CreatedAt, CreatedBy);
    }

    public async Task<ReceptionSession> CreateSessionAsync(ReceptionSessionInput input, DateTimeOffset now, string by, CancellationToken cancellationToken = default)
    {
        var id = Guid.CreateVersion7(now);
        await using (var connection = await database.OpenAsync(cancellationToken))
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO reception_sessions (id, organisation, session_date, place, host, topic, created_at, created_by) " +
                "VALUES (@id, @organisation, @date, @place, @host, @topic, @now, @by)",
                new { id, organisation = input.Organisation, date = input.Date, place = input.Place, host = input.Host, topic = input.Topic,
                    now = Instants.ForStorage(now), by }, cancellationToken: cancellationToken));
        return (await FindSessionAsync(id, cancellationToken))!;
    }

    public async Task<ReceptionSession?> FindSessionAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<SessionRow>(new CommandDefinition(
            $"{SelectSession} WHERE id = @id", new { id }, cancellationToken: cancellationToken));
        return row?.ToSession();
    }

    /// <summary>Sessions, latest first: of one organisation, or of all when <paramref name="organisation"/> is null.</summary>
    public async Task<IReadOnlyList<ReceptionSession>> ListSessionsAsync(string? organisation, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<SessionRow>(new CommandDefinition(
            organisation is null
                ? $"{SelectSession} ORDER BY session_date DESC, created_at DESC"
                : $"{SelectSession} WHERE organisation = @organisation ORDER BY session_date DESC, created_at DESC",
            new { organisation }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToSession()).ToList();
    }

    /// <summary>
    /// Stores a request of <paramref name="session"/> under the next number of its organisation and the session's
    /// year, in one transaction with the counter row; its status is <c>recorded</c> until its workflow links itself.
    /// With an <paramref name="intakeKey"/> that <paramref name="by"/> used before, nothing is stored and the number
    /// of that earlier request is returned (Created false), also when both requests race.
    /// </summary>
    public async Task<(string RequestNumber, bool Created)> CreateRequestAsync(ReceptionSession session, ReceptionRequestInput input, DateTimeOffset now,
        string by, string? intakeKey, CancellationToken cancellationToken = default)
    {
        if (intakeKey is not null && await FindByIntakeKeyAsync(by, intakeKey, cancellationToken) is { } earlier)
            return (earlier.RequestNumber, false);
        var year = session.Date.Year;
        var organisation = session.Organisation;
        return await NumberedIntake.InsertAsync(database, async (connection, transaction) =>
        {
            var sequence = await NumberedIntake.NextNumberAsync(connection, transaction, "reception_request_sequences", "organisation", organisation, year,
                cancellationToken);
            var number = RequestNumber.Format(organisation, year, sequence);
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO reception_requests (request_number, session_id, organisation, request_year, request_sequence, credit_code, contact_name, " +
                "contact_phone, category, request_text, instance_id, status, status_changed_at, created_at, created_by, intake_key) " +
                "VALUES (@number, @sessionId, @organisation, @year, @sequence, @creditCode, @contactName, @contactPhone, @category, @request, NULL, " +
                "@status, @now, @now, @by, @intakeKey)",
                new
                {
                    number, sessionId = session.Id, organisation, year, sequence, creditCode = input.CreditCode, contactName = input.ContactName,
                    contactPhone = input.ContactPhone, category = input.Category, request = input.Request, status = ReceptionStatus.Recorded,
                    now = Instants.ForStorage(now), by, intakeKey,
                }, transaction, cancellationToken: cancellationToken));
            return number;
        }, async () => intakeKey is null ? null : (await FindByIntakeKeyAsync(by, intakeKey, cancellationToken))?.RequestNumber, cancellationToken);
    }

    public async Task<ReceptionRequest?> FindRequestAsync(string requestNumber, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<RequestRow>(new CommandDefinition(
            $"{SelectRequest} WHERE r.request_number = @requestNumber", new { requestNumber }, cancellationToken: cancellationToken));
        return row?.ToRequest();
    }

    /// <summary>The request <paramref name="by"/> recorded with this Idempotency-Key, if any.</summary>
    public async Task<ReceptionRequest?> FindByIntakeKeyAsync(string by, string intakeKey, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<RequestRow>(new CommandDefinition(
            $"{SelectRequest} WHERE r.created_by = @by AND r.intake_key = @intakeKey", new { by, intakeKey }, cancellationToken: cancellationToken));
        return row?.ToRequest();
    }

    /// <summary>A session's requests in number order.</summary>
    public async Task<IReadOnlyList<ReceptionRequest>> RequestsOfSessionAsync(Guid sessionId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<RequestRow>(new CommandDefinition(
            $"{SelectRequest} WHERE r.session_id = @sessionId ORDER BY r.request_year, r.request_sequence", new { sessionId },
            cancellationToken: cancellationToken));
        return rows.Select(r => r.ToRequest()).ToList();
    }

    /// <summary>Requests whose instance never started (the start failed after the number was taken), for the start-up retry.</summary>
    public async Task<IReadOnlyList<ReceptionRequest>> UnstartedAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<RequestRow>(new CommandDefinition(
            $"{SelectRequest} WHERE r.instance_id IS NULL AND r.status = @status", new { status = ReceptionStatus.Recorded },
            cancellationToken: cancellationToken));
        return rows.Select(r => r.ToRequest()).ToList();
    }

    /// <summary>
    /// Records a workflow step in the engine's transaction: the status, and whatever the step adds (office, referral,
    /// answer, follow-up, re-handling answer, closing) with its time. The first call (the start step) links the
    /// request to its instance. False when no request with this number belongs to this instance.
    /// </summary>
    public async Task<bool> RecordStepAsync(DbTransaction transaction, string requestNumber, Guid instanceId, ReceptionStep step, DateTimeOffset now,
        CancellationToken cancellationToken = default) =>
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE reception_requests SET status = @status, status_changed_at = @now, instance_id = @instanceId, " +
            "office = COALESCE(@office, office), referred_to = COALESCE(@referredTo, referred_to), " +
            "answer = COALESCE(@answer, answer), answered_at = CASE WHEN @answered = 1 THEN @now ELSE answered_at END, " +
            "satisfaction = COALESCE(@satisfaction, satisfaction), followed_up_at = CASE WHEN @followedUp = 1 THEN @now ELSE followed_up_at END, " +
            "rehandle_answer = COALESCE(@rehandleAnswer, rehandle_answer), rehandled_at = CASE WHEN @rehandled = 1 THEN @now ELSE rehandled_at END, " +
            "closed_at = CASE WHEN @closes = 1 THEN @now ELSE closed_at END " +
            "WHERE request_number = @requestNumber AND (instance_id IS NULL OR instance_id = @instanceId)",
            new
            {
                requestNumber, instanceId, status = step.Status, now = Instants.ForStorage(now), office = step.Office, referredTo = step.ReferredTo,
                answer = step.Answer, answered = step.Answer is null ? 0 : 1, satisfaction = step.Satisfaction, followedUp = step.Satisfaction is null ? 0 : 1,
                rehandleAnswer = step.RehandleAnswer, rehandled = step.RehandleAnswer is null ? 0 : 1, closes = step.Closes ? 1 : 0,
            }, transaction, cancellationToken: cancellationToken)) == 1;
}
