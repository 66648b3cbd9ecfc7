using CleanProdFlow.Data.Database;
using Dapper;

namespace CleanProdFlow.Data.Timing;

/// <summary>An official calendar year as loaded by an administrator: the year's JSON, who loaded it and when.</summary>
public sealed record CalendarYearVersion(string CalendarId, int Year, int Version, string Document, DateTimeOffset RecordedAt, string RecordedBy);

/// <summary>
/// Official calendar years loaded after the shipped file (e.g. when the State Council publishes next year's notice).
/// Each load adds a version; the newest of each year applies on top of the shipped calendar.
/// </summary>
public sealed class CalendarYearStore(CpfDatabase database)
{
    private sealed class Row
    {
        public string CalendarId { get; init; } = "";
        public int Year { get; init; }
        public int Version { get; init; }
        public string Document { get; init; } = "";
        public DateTimeOffset RecordedAt { get; init; }
        public string RecordedBy { get; init; } = "";
    }

    /// <summary>The newest loaded version of every year of one calendar, oldest year first.</summary>
    public async Task<IReadOnlyList<CalendarYearVersion>> LatestAsync(string calendarId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            "SELECT calendar_id AS CalendarId, year AS Year, version AS Version, document AS Document, " +
            "recorded_at AS RecordedAt, recorded_by AS RecordedBy FROM calendar_year_versions v " +
            "WHERE calendar_id = @calendarId AND version = (SELECT MAX(version) FROM calendar_year_versions w " +
            "WHERE w.calendar_id = v.calendar_id AND w.year = v.year) ORDER BY year",
            new { calendarId }, cancellationToken: cancellationToken));
        return rows.Select(r => new CalendarYearVersion(r.CalendarId, r.Year, r.Version, r.Document, r.RecordedAt, r.RecordedBy)).ToList();
    }

    /// <summary>Adds the next version of a year; returns its version number.</summary>
    public async Task<int> AddAsync(string calendarId, int year, string document, DateTimeOffset recordedAt, string recordedBy,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var version = 1 + await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COALESCE(MAX(version), 0) FROM calendar_year_versions WHERE calendar_id = @calendarId AND year = @year",
            new { calendarId, year }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO calendar_year_versions (calendar_id, year, version, document, recorded_at, recorded_by) " +
            "VALUES (@calendarId, @year, @version, @document, @recordedAt, @recordedBy)",
            new { calendarId, year, version, document, recordedAt = Instants.ForStorage(recordedAt), recordedBy }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return version;
    }
}
