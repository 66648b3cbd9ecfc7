using System.Data.Common;
using CleanProdFlow.Data.Database;
using CleanProdFlow.Domain.Common;
using CleanProdFlow.Domain.Notifications;
using Dapper;

namespace CleanProdFlow.Data.Notifications;

/// <summary>A user's notification as stored, with where its e-mail stands.</summary>
public sealed record Notification(long Id, long UserId, string SourceKey, string Kind, LocalizedText Title, LocalizedText Body, string Link,
    DateTimeOffset CreatedAt, DateTimeOffset? ReadAt, string? EmailTo, string? EmailStatus, int EmailAttempts, string? EmailLastError,
    DateTimeOffset? EmailLastAttemptAt, DateTimeOffset? EmailSentAt);

/// <summary>What one fan-out transaction did: the events it fanned out, and the notifications whose e-mail is now due.</summary>
public sealed record FanOutBatch(int Events, IReadOnlyList<long> DueEmails);

/// <summary>An e-mail delivery as administrators see it: whose, where to, where it stands and the last error.</summary>
public sealed record EmailDelivery(long NotificationId, string Username, string? EmailTo, string Kind, string TitleZh, string? Status, int Attempts,
    string? LastError, DateTimeOffset? LastAttemptAt, DateTimeOffset? SentAt, DateTimeOffset CreatedAt);

/// <summary>
/// The notifications' outbox (events recorded in the step's transaction) and the per-user notifications the fan-out
/// makes of them. Unique keys (the event's source key; the user and source key) make every write idempotent.
/// </summary>
public sealed class NotificationStore(CpfDatabase database)
{
    public static class EmailStatus
    {
        public const string Pending = "pending";
        public const string Sending = "sending";
        public const string Sent = "sent";
        public const string Failed = "failed";
    }

    /// <summary>
    /// Records the events in the caller's (the step's) transaction — one statement for all of a step's events, not a
    /// round trip each — and returns how many were new (an event whose source key exists is left as it is).
    /// Insert-if-absent without a unique violation: on PostgreSQL a violation would abort the step's transaction.
    /// </summary>
    public async Task<int> RecordEventsAsync(DbTransaction transaction, IReadOnlyList<NotificationEvent> events, CancellationToken cancellationToken = default)
    {
        if (events.Count == 0)
            return 0;
        const string columns = "source_key, kind, instance_id, task_id, organisation, candidate_groups, title_zh, title_en, body_zh, body_en, link, occurred_at";
        var parameters = new DynamicParameters();
        var rows = new List<string>(events.Count);
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            parameters.AddDynamicParams(new Dictionary<string, object?>
            {
                [$"SourceKey{i}"] = e.SourceKey, [$"Kind{i}"] = e.Kind, [$"InstanceId{i}"] = e.InstanceId, [$"TaskId{i}"] = e.TaskId,
                [$"Organisation{i}"] = e.Organisation, [$"Groups{i}"] = string.Join(',', e.Groups), [$"TitleZh{i}"] = e.Title.Zh,
                [$"TitleEn{i}"] = e.Title.En, [$"BodyZh{i}"] = e.Body.Zh, [$"BodyEn{i}"] = e.Body.En, [$"Link{i}"] = e.Link,
                [$"OccurredAt{i}"] = Instants.ForStorage(e.OccurredAt),
            });
            rows.Add($"@SourceKey{i}, @Kind{i}, @InstanceId{i}, @TaskId{i}, @Organisation{i}, @Groups{i}, @TitleZh{i}, @TitleEn{i}, @BodyZh{i}, @BodyEn{i}, " +
                     $"@Link{i}, @OccurredAt{i}");
        }
        // The same event twice in one statement would conflict with itself: each source key once.
        var sql = database.Provider == DatabaseProvider.SqlServer
            ? string.Join(";\n", rows.Select((row, i) =>
                $"INSERT INTO notification_events ({columns}) SELECT {row} WHERE NOT EXISTS (SELECT 1 FROM notification_events WHERE source_key = @SourceKey{i})"))
            : $"INSERT INTO notification_events ({columns}) VALUES {string.Join(", ", rows.Select(r => $"({r})"))} ON CONFLICT DO NOTHING";
        return await transaction.Connection!.ExecuteAsync(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Fans out up to <paramref name="limit"/> recorded events, oldest first, in one transaction (one commit for the
    /// batch, not one per event): one notification per active user holding one of the event's groups in its
    /// organisation, then the event is marked fanned out. Events another node is fanning out are skipped (PostgreSQL
    /// SKIP LOCKED, SQL Server READPAST; SQLite has one writer). E-mail is due (pending) when <paramref name="email"/>
    /// and the user has an address. Run again, it finds nothing: only events not yet fanned out are read.
    /// </summary>
    public async Task<FanOutBatch> FanOutPendingAsync(int limit, bool email, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var write = await WriteTransaction.BeginAsync(database, cancellationToken);
        var connection = write.Connection;
        const string columns = "id AS Id, source_key AS SourceKey, kind AS Kind, organisation AS Organisation, candidate_groups AS CandidateGroups, title_zh AS TitleZh, " +
                               "title_en AS TitleEn, body_zh AS BodyZh, body_en AS BodyEn, link AS Link, occurred_at AS OccurredAt";
        var sql = database.Provider switch
        {
            DatabaseProvider.Postgres =>
                $"SELECT {columns} FROM notification_events WHERE fanned_out_at IS NULL ORDER BY id LIMIT @limit FOR UPDATE SKIP LOCKED",
            DatabaseProvider.SqlServer =>
                $"SELECT TOP (@limit) {columns} FROM notification_events WITH (UPDLOCK, READPAST, ROWLOCK) WHERE fanned_out_at IS NULL ORDER BY id",
            _ => $"SELECT {columns} FROM notification_events WHERE fanned_out_at IS NULL ORDER BY id LIMIT @limit",
        };
        var events = (await connection.QueryAsync<EventRow>(new CommandDefinition(sql, new { limit }, write.Transaction,
            cancellationToken: cancellationToken))).ToList();
        var due = new List<long>();
        // Most events of a batch go to the same few groups of an organisation: their users are read once.
        var recipientsOf = new Dictionary<(string Organisation, string Groups), List<RecipientRow>>();
        var onConflict = database.Provider == DatabaseProvider.SqlServer ? "" : " ON CONFLICT DO NOTHING";
        foreach (var row in events)
        {
            if (!recipientsOf.TryGetValue((row.Organisation, row.CandidateGroups), out var recipients))
            {
                var groups = row.CandidateGroups.Split(',', StringSplitOptions.RemoveEmptyEntries);
                recipients = groups.Length == 0 ? [] : (await connection.QueryAsync<RecipientRow>(new CommandDefinition(
                    "SELECT u.id AS Id, u.email AS Email FROM users u WHERE u.is_active = @active AND u.organisation_code = @organisation " +
                    $"AND EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND {database.Dialect.InList("r.role", "@groups")}) ORDER BY u.id",
                    new { active = true, organisation = row.Organisation, groups }, write.Transaction, cancellationToken: cancellationToken))).ToList();
                recipientsOf[(row.Organisation, row.CandidateGroups)] = recipients;
            }
            var sourceKey = row.SourceKey;
            foreach (var recipient in recipients)
            {
                var emailTo = email && !string.IsNullOrWhiteSpace(recipient.Email) ? recipient.Email : null;
                var inserted = await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO notifications (user_id, event_id, source_key, kind, title_zh, title_en, body_zh, body_en, link, created_at, email_to, email_status) " +
                    "SELECT @userId, @eventId, @sourceKey, @kind, @titleZh, @titleEn, @bodyZh, @bodyEn, @link, @createdAt, @emailTo, @emailStatus " +
                    "WHERE NOT EXISTS (SELECT 1 FROM notifications WHERE user_id = @userId AND source_key = @sourceKey)" + onConflict,
                    new
                    {
                        userId = recipient.Id, eventId = row.Id, sourceKey, kind = row.Kind, titleZh = row.TitleZh, titleEn = row.TitleEn, bodyZh = row.BodyZh,
                        bodyEn = row.BodyEn, link = row.Link, createdAt = Instants.ForStorage(row.OccurredAt), emailTo,
                        emailStatus = emailTo is null ? null : EmailStatus.Pending,
                    }, write.Transaction, cancellationToken: cancellationToken));
                if (inserted > 0 && emailTo is not null)
                    due.Add(await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                        "SELECT id FROM notifications WHERE user_id = @userId AND source_key = @sourceKey", new { userId = recipient.Id, sourceKey },
                        write.Transaction, cancellationToken: cancellationToken)));
            }
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE notification_events SET fanned_out_at = @now, recipients = @count WHERE id = @id",
                new { now = Instants.ForStorage(now), count = recipients.Count, id = row.Id }, write.Transaction, cancellationToken: cancellationToken));
        }
        await write.CommitAsync(cancellationToken);
        return new FanOutBatch(events.Count, due);
    }

    /// <summary>Source keys of the events not fanned out yet, oldest first.</summary>
    public async Task<IReadOnlyList<string>> PendingEventsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT source_key FROM notification_events WHERE fanned_out_at IS NULL ORDER BY id", cancellationToken: cancellationToken))).ToList();
    }

    /// <summary>E-mails still due; one left <c>sending</c> by a stopped process is due again (it may go out twice, never not at all).</summary>
    public async Task<IReadOnlyList<long>> PendingEmailsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("UPDATE notifications SET email_status = @pending WHERE email_status = @sending",
            new { pending = EmailStatus.Pending, sending = EmailStatus.Sending }, cancellationToken: cancellationToken));
        return (await connection.QueryAsync<long>(new CommandDefinition(
            "SELECT id FROM notifications WHERE email_status = @pending ORDER BY id", new { pending = EmailStatus.Pending },
            cancellationToken: cancellationToken))).ToList();
    }

    // ---------------------------------------------------------------- a user's notifications

    private const string SelectNotification =
        "SELECT id AS Id, user_id AS UserId, source_key AS SourceKey, kind AS Kind, title_zh AS TitleZh, title_en AS TitleEn, body_zh AS BodyZh, " +
        "body_en AS BodyEn, link AS Link, created_at AS CreatedAt, read_at AS ReadAt, email_to AS EmailTo, email_status AS EmailStatus, " +
        "email_attempts AS EmailAttempts, email_last_error AS EmailLastError, email_last_attempt_at AS EmailLastAttemptAt, email_sent_at AS EmailSentAt " +
        "FROM notifications";

    /// <summary>
    /// A user's notifications, newest first (created, then id), keyset paged after the last one of the previous page.
    /// </summary>
    public async Task<IReadOnlyList<Notification>> OfUserAsync(long userId, bool unreadOnly, (DateTimeOffset CreatedAt, long Id)? after, int limit,
        CancellationToken cancellationToken = default)
    {
        var sql = database.Dialect.Limit(
            $"{SelectNotification} WHERE user_id = @userId" + (unreadOnly ? " AND read_at IS NULL" : "") +
            (after is null ? "" : " AND (created_at < @afterAt OR (created_at = @afterAt AND id < @afterId))") +
            " ORDER BY created_at DESC, id DESC", "@limit");
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<NotificationRow>(new CommandDefinition(sql, new
        {
            userId, afterAt = after is { } a ? Instants.ForStorage(a.CreatedAt) : (DateTimeOffset?)null, afterId = after?.Id ?? 0, limit,
        }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToNotification()).ToList();
    }

    public async Task<Notification?> FindAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QuerySingleOrDefaultAsync<NotificationRow>(new CommandDefinition(
            $"{SelectNotification} WHERE id = @id", new { id }, cancellationToken: cancellationToken)))?.ToNotification();
    }

    public async Task<int> UnreadCountAsync(long userId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM notifications WHERE user_id = @userId AND read_at IS NULL", new { userId }, cancellationToken: cancellationToken));
    }

    /// <summary>The unread count of a signed-in user by name (one query: the page header asks on every page).</summary>
    public async Task<int> UnreadCountOfAsync(string username, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.username = @username AND n.read_at IS NULL",
            new { username = username.ToLowerInvariant() }, cancellationToken: cancellationToken));
    }

    /// <summary>Marks the user's notification read (the first read time stays); false when the user has no such notification.</summary>
    public async Task<bool> MarkReadAsync(long userId, long id, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE notifications SET read_at = @now WHERE id = @id AND user_id = @userId AND read_at IS NULL",
            new { id, userId, now = Instants.ForStorage(now) }, cancellationToken: cancellationToken));
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM notifications WHERE id = @id AND user_id = @userId", new { id, userId }, cancellationToken: cancellationToken)) > 0;
    }

    /// <summary>Marks every unread notification of the user read; returns how many.</summary>
    public async Task<int> MarkAllReadAsync(long userId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE notifications SET read_at = @now WHERE user_id = @userId AND read_at IS NULL",
            new { userId, now = Instants.ForStorage(now) }, cancellationToken: cancellationToken));
    }

    // ---------------------------------------------------------------- e-mail

    /// <summary>Claims a due e-mail for sending (pending → sending); null when it is not due (sent, failed, or claimed by another run).</summary>
    public async Task<Notification?> ClaimEmailAsync(long id, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var claimed = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE notifications SET email_status = @sending, email_last_attempt_at = @now WHERE id = @id AND email_status = @pending",
            new { id, now = Instants.ForStorage(now), sending = EmailStatus.Sending, pending = EmailStatus.Pending }, cancellationToken: cancellationToken));
        return claimed == 0 ? null : (await connection.QuerySingleAsync<NotificationRow>(new CommandDefinition(
            $"{SelectNotification} WHERE id = @id", new { id }, cancellationToken: cancellationToken))).ToNotification();
    }

    public async Task EmailSentAsync(long id, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE notifications SET email_status = @sent, email_sent_at = @now, email_attempts = email_attempts + 1 WHERE id = @id AND email_status = @sending",
            new { id, now = Instants.ForStorage(now), sent = EmailStatus.Sent, sending = EmailStatus.Sending }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Records a failed attempt with its error: due again (pending) while fewer than <paramref name="maxAttempts"/>
    /// were made, failed after that. Returns the attempts made so far.
    /// </summary>
    public async Task<int> EmailFailedAsync(long id, string error, int maxAttempts, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE notifications SET email_attempts = email_attempts + 1, email_last_error = @error, email_last_attempt_at = @now, " +
            "email_status = CASE WHEN email_attempts + 1 >= @maxAttempts THEN @failed ELSE @pending END WHERE id = @id AND email_status = @sending",
            new
            {
                id, error = error.Length > 2000 ? error[..2000] : error, maxAttempts, now = Instants.ForStorage(now), failed = EmailStatus.Failed,
                pending = EmailStatus.Pending, sending = EmailStatus.Sending,
            }, cancellationToken: cancellationToken));
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT email_attempts FROM notifications WHERE id = @id", new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>E-mails not (yet) delivered — due, being sent, or given up — with their last error, newest first, for administrators.</summary>
    public async Task<IReadOnlyList<EmailDelivery>> UndeliveredEmailsAsync(IReadOnlyList<string>? organisations, int limit, CancellationToken cancellationToken = default)
    {
        var sql = database.Dialect.Limit(
            "SELECT n.id AS NotificationId, u.username AS Username, n.email_to AS EmailTo, n.kind AS Kind, n.title_zh AS TitleZh, n.email_status AS Status, " +
            "n.email_attempts AS Attempts, n.email_last_error AS LastError, n.email_last_attempt_at AS LastAttemptAt, n.email_sent_at AS SentAt, " +
            "n.created_at AS CreatedAt FROM notifications n JOIN users u ON u.id = n.user_id " +
            "WHERE n.email_status IS NOT NULL AND n.email_status <> @sent" +
            (organisations is null ? "" : $" AND {database.Dialect.InList("u.organisation_code", "@organisations")}") +
            " ORDER BY n.id DESC", "@limit");
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<DeliveryRow>(new CommandDefinition(sql,
            new { sent = EmailStatus.Sent, organisations = organisations?.ToArray(), limit }, cancellationToken: cancellationToken)))
            .Select(r => new EmailDelivery(r.NotificationId, r.Username, r.EmailTo, r.Kind, r.TitleZh, r.Status, r.Attempts, r.LastError, r.LastAttemptAt,
                r.SentAt, r.CreatedAt)).ToList();
    }

    // ---------------------------------------------------------------- addresses

    public async Task<string?> EmailOfAsync(long userId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT email FROM users WHERE id = @userId", new { userId }, cancellationToken: cancellationToken));
    }

    /// <summary>Sets (or, with null, clears) where the user's e-mail notifications go.</summary>
    public async Task SetEmailAsync(long userId, string? email, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET email = @email WHERE id = @userId", new { userId, email }, cancellationToken: cancellationToken));
    }

    private sealed class EventRow
    {
        public long Id { get; init; }
        public string Kind { get; init; } = "";
        public string Organisation { get; init; } = "";
        public string CandidateGroups { get; init; } = "";
        public string TitleZh { get; init; } = "";
        public string TitleEn { get; init; } = "";
        public string BodyZh { get; init; } = "";
        public string BodyEn { get; init; } = "";
        public string Link { get; init; } = "";
        public string SourceKey { get; init; } = "";
        public DateTimeOffset OccurredAt { get; init; }
    }

    private sealed class DeliveryRow
    {
        public long NotificationId { get; init; }
        public string Username { get; init; } = "";
        public string? EmailTo { get; init; }
        public string Kind { get; init; } = "";
        public string TitleZh { get; init; } = "";
        public string? Status { get; init; }
        public int Attempts { get; init; }
        public string? LastError { get; init; }
        public DateTimeOffset? LastAttemptAt { get; init; }
        public DateTimeOffset? SentAt { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
    }

    private sealed class RecipientRow
    {
        public long Id { get; init; }
        public string? Email { get; init; }
    }

    private sealed class NotificationRow
    {
        public long Id { get; init; }
        public long UserId { get; init; }
        public string SourceKey { get; init; } = "";
        public string Kind { get; init; } = "";
        public string TitleZh { get; init; } = "";
        public string TitleEn { get; init; } = "";
        public string BodyZh { get; init; } = "";
        public string BodyEn { get; init; } = "";
        public string Link { get; init; } = "";
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset? ReadAt { get; init; }
        public string? EmailTo { get; init; }
        public string? EmailStatus { get; init; }
        public int EmailAttempts { get; init; }
        public string? EmailLastError { get; init; }
        public DateTimeOffset? EmailLastAttemptAt { get; init; }
        public DateTimeOffset? EmailSentAt { get; init; }

        public Notification ToNotification() => new(Id, UserId, SourceKey, Kind, new(TitleZh, TitleEn), new(BodyZh, BodyEn), Link, CreatedAt, ReadAt,
            EmailTo, EmailStatus, EmailAttempts, EmailLastError, EmailLastAttemptAt, EmailSentAt);
    }
}
