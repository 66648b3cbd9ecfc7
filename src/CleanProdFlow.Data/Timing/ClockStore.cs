using System.Data.Common;
using CleanProdFlow.Data.Database;
using CleanProdFlow.Timing.Clocks;
using Dapper;

namespace CleanProdFlow.Data.Timing;

/// <summary>A statutory clock as stored: its row id, what it times, the clock and the row version it was read at.</summary>
public sealed record StoredClock(long Id, string Subject, Clock Clock, int RowVersion);

/// <summary>Why a stored clock's due date moved, kept beside it as evidence.</summary>
public sealed record ClockRecomputation(string CalendarBefore, string Cause, string RecordedBy);

/// <summary>
/// The clocks of running cases. The due date and status are columns (for timers and queries); the clock itself is
/// the Timing library's JSON. Updates are optimistic: a row changed since it was read is not overwritten.
/// </summary>
public sealed class ClockStore(CpfDatabase database)
{
    private sealed class ClockRow
    {
        public long Id { get; init; }
        public string Subject { get; init; } = "";
        public string Clock { get; init; } = "";
        public int RowVersion { get; init; }

        public StoredClock ToStored() => new(Id, Subject, CleanProdFlow.Timing.Clocks.Clock.FromJson(Clock), RowVersion);
    }

    private const string SelectClock = "SELECT id AS Id, subject AS Subject, clock AS Clock, row_version AS RowVersion FROM clocks";

    /// <summary>
    /// Creates a clock; with <paramref name="transaction"/> inside that transaction (an engine command's), so the
    /// clock exists exactly when the step that started it commits.
    /// </summary>
    public async Task<StoredClock> CreateAsync(string subject, Clock clock, DateTimeOffset now, CancellationToken cancellationToken = default,
        DbTransaction? transaction = null)
    {
        await using var owned = transaction is null ? await database.OpenAsync(cancellationToken) : null;
        var connection = owned ?? transaction!.Connection!;
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            database.Dialect.InsertReturningId(
                "INSERT INTO clocks (subject, status, clock, due_at, calendar_version, updated_at, row_version) " +
                "VALUES (@subject, @status, @json, @dueAt, @calendarVersion, @now, 1)", "id"),
            new { subject, status = StatusOf(clock), json = clock.ToJson(), dueAt = Instants.ForStorage(clock.DueAt), calendarVersion = clock.CalendarVersion, now = Instants.ForStorage(now) },
            transaction, cancellationToken: cancellationToken));
        return new StoredClock(id, subject, clock, 1);
    }

    public async Task<StoredClock?> FindAsync(string subject, CancellationToken cancellationToken = default, DbTransaction? transaction = null)
    {
        await using var owned = transaction is null ? await database.OpenAsync(cancellationToken) : null;
        var connection = owned ?? transaction!.Connection!;
        var row = await connection.QuerySingleOrDefaultAsync<ClockRow>(new CommandDefinition(
            $"{SelectClock} WHERE subject = @subject", new { subject }, transaction, cancellationToken: cancellationToken));
        return row?.ToStored();
    }

    /// <summary>Every clock whose subject starts with <paramref name="prefix"/> (e.g. the clocks of one instance).</summary>
    public async Task<IReadOnlyList<StoredClock>> ListBySubjectPrefixAsync(string prefix, CancellationToken cancellationToken = default,
        DbTransaction? transaction = null)
    {
        await using var owned = transaction is null ? await database.OpenAsync(cancellationToken) : null;
        var connection = owned ?? transaction!.Connection!;
        // LIKE with the prefix's own wildcards escaped. The engine asks this on every command, so it must read the
        // index: PostgreSQL's LIKE prefix uses ix_clocks_subject_pattern (text_pattern_ops) and SQL Server's is sargable;
        // SQLite's LIKE is case-insensitive and scans, so there the binary range [prefix, prefix with its last character
        // + 1) finds the rows (the column's collation is BINARY) and LIKE stays as the exact test.
        var pattern = prefix.Replace("!", "!!").Replace("%", "!%").Replace("_", "!_") + "%";
        var range = database.Provider == DatabaseProvider.Sqlite && prefix.Length > 0 && prefix[^1] < char.MaxValue
            ? "subject >= @prefix AND subject < @above AND "
            : "";
        var above = prefix.Length > 0 ? prefix[..^1] + (char)(prefix[^1] + 1) : prefix;
        var rows = await connection.QueryAsync<ClockRow>(new CommandDefinition(
            $"{SelectClock} WHERE {range}subject LIKE @pattern ESCAPE '!' ORDER BY subject",
            new { pattern, prefix, above }, transaction, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToStored()).ToList();
    }

    /// <summary>Running and paused clocks in id order, a page at a time (keyset on id), for recomputation.</summary>
    public async Task<IReadOnlyList<StoredClock>> ListUnfinishedAsync(long afterId, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ClockRow>(new CommandDefinition(
            database.Dialect.Limit($"{SelectClock} WHERE status IN ('running', 'paused') AND id > @afterId ORDER BY id", "@limit"),
            new { afterId, limit }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToStored()).ToList();
    }

    /// <summary>
    /// Replaces the clock if its row is still at the version it was read at, recording why when
    /// <paramref name="why"/> is given. False when someone else changed it first (nothing is written then).
    /// </summary>
    public async Task<bool> ReplaceAsync(StoredClock stored, Clock updated, DateTimeOffset now, ClockRecomputation? why,
        CancellationToken cancellationToken = default, DbTransaction? transaction = null)
    {
        await using var owned = transaction is null ? await database.OpenAsync(cancellationToken) : null;
        var connection = owned ?? transaction!.Connection!;
        await using var ownTransaction = transaction is null ? await connection.BeginTransactionAsync(cancellationToken) : null;
        var tx = transaction ?? ownTransaction;
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE clocks SET status = @status, clock = @json, due_at = @dueAt, calendar_version = @calendarVersion, " +
            "updated_at = @now, row_version = row_version + 1 WHERE id = @id AND row_version = @rowVersion",
            new
            {
                id = stored.Id, rowVersion = stored.RowVersion, status = StatusOf(updated), json = updated.ToJson(),
                dueAt = Instants.ForStorage(updated.DueAt), calendarVersion = updated.CalendarVersion, now = Instants.ForStorage(now),
            }, tx, cancellationToken: cancellationToken));
        if (changed == 0)
            return false;
        if (why is not null)
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO clock_recomputations (clock_id, due_before, due_after, calendar_before, calendar_after, cause, recorded_at, recorded_by) " +
                "VALUES (@clockId, @dueBefore, @dueAfter, @calendarBefore, @calendarAfter, @cause, @now, @recordedBy)",
                new
                {
                    clockId = stored.Id, dueBefore = Instants.ForStorage(stored.Clock.DueAt), dueAfter = Instants.ForStorage(updated.DueAt),
                    calendarBefore = why.CalendarBefore, calendarAfter = updated.CalendarVersion, cause = why.Cause,
                    now = Instants.ForStorage(now), recordedBy = why.RecordedBy,
                }, tx, cancellationToken: cancellationToken));
        if (ownTransaction is not null)
            await ownTransaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>How many recomputations were recorded for a clock (auditors read them; tests check them).</summary>
    public async Task<int> RecomputationCountAsync(long clockId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM clock_recomputations WHERE clock_id = @clockId", new { clockId }, cancellationToken: cancellationToken));
    }

    private static string StatusOf(Clock clock) => clock.State.ToString().ToLowerInvariant();
}
