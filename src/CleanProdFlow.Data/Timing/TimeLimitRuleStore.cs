using CleanProdFlow.Data.Database;
using Dapper;

namespace CleanProdFlow.Data.Timing;

/// <summary>One version of a time-limit rule: the rule as JSON, who recorded it and when.</summary>
public sealed record TimeLimitRuleVersion(string RuleId, int Version, string Definition, DateTimeOffset RecordedAt, string RecordedBy, string? Reason);

/// <summary>
/// Time-limit rules with their history: a change adds a version, nothing is overwritten, so every deadline can be
/// traced to the rule as it was when it was computed.
/// </summary>
public sealed class TimeLimitRuleStore(CpfDatabase database)
{
    private sealed class Row
    {
        public string RuleId { get; init; } = "";
        public int Version { get; init; }
        public string Definition { get; init; } = "";
        public DateTimeOffset RecordedAt { get; init; }
        public string RecordedBy { get; init; } = "";
        public string? Reason { get; init; }

        public TimeLimitRuleVersion ToVersion() => new(RuleId, Version, Definition, RecordedAt, RecordedBy, Reason);
    }

    private const string Columns =
        "rule_id AS RuleId, version AS Version, definition AS Definition, recorded_at AS RecordedAt, recorded_by AS RecordedBy, reason AS Reason";

    /// <summary>The newest version of every rule.</summary>
    public async Task<IReadOnlyList<TimeLimitRuleVersion>> CurrentAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM time_limit_rule_versions v WHERE version = " +
            "(SELECT MAX(version) FROM time_limit_rule_versions w WHERE w.rule_id = v.rule_id) ORDER BY rule_id",
            cancellationToken: cancellationToken));
        return rows.Select(r => r.ToVersion()).ToList();
    }

    public async Task<IReadOnlyList<TimeLimitRuleVersion>> HistoryAsync(string ruleId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM time_limit_rule_versions WHERE rule_id = @ruleId ORDER BY version",
            new { ruleId }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToVersion()).ToList();
    }

    /// <summary>
    /// Records version <paramref name="expectedCurrentVersion"/> + 1 of a rule. False (nothing written) when another
    /// version was recorded in between: the primary key refuses the duplicate version.
    /// </summary>
    public async Task<bool> AddVersionAsync(string ruleId, int expectedCurrentVersion, string definition, DateTimeOffset recordedAt,
        string recordedBy, string? reason, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO time_limit_rule_versions (rule_id, version, definition, recorded_at, recorded_by, reason) " +
                "VALUES (@ruleId, @version, @definition, @recordedAt, @recordedBy, @reason)",
                new { ruleId, version = expectedCurrentVersion + 1, definition, recordedAt = Instants.ForStorage(recordedAt), recordedBy, reason },
                cancellationToken: cancellationToken));
            return true;
        }
        catch (System.Data.Common.DbException e) when (database.Dialect.IsUniqueViolation(e))
        {
            return false;
        }
    }
}
