using CleanProdFlow.Data.Database;
using CleanProdFlow.Engine.Runtime;
using Dapper;

namespace CleanProdFlow.Data.Workflows;

/// <summary>A definition version without its XML, for lists (a version's XML can be megabytes).</summary>
public sealed record DefinitionVersionSummary(string Key, int Version, string? Name, DefinitionStatus Status, DateTimeOffset CreatedAt,
    string CreatedBy, DateTimeOffset? PublishedAt, DateTimeOffset? RetiredAt);

/// <summary>How many instances a definition version has: still running, and in all.</summary>
public sealed record InstanceCounts(int Running, int All)
{
    public static readonly InstanceCounts None = new(0, 0);
}

/// <summary>
/// The administrators' overview of definitions: every version of every key and its instance counts. Kept apart from
/// <see cref="WorkflowStore"/>, whose reads serve the engine and load the XML.
/// </summary>
public sealed class DefinitionCatalog(CpfDatabase database)
{
    private sealed class SummaryRow
    {
        public string DefinitionKey { get; init; } = "";
        public int Version { get; init; }
        public string? Name { get; init; }
        public string Status { get; init; } = "";
        public DateTimeOffset CreatedAt { get; init; }
        public string CreatedBy { get; init; } = "";
        public DateTimeOffset? PublishedAt { get; init; }
        public DateTimeOffset? RetiredAt { get; init; }
    }

    private sealed class CountRow
    {
        public string DefinitionKey { get; init; } = "";
        public int Version { get; init; }
        public long Running { get; init; }
        public long Total { get; init; }
    }

    /// <summary>Every version of every definition (or of <paramref name="key"/> only), by key then version.</summary>
    public async Task<IReadOnlyList<DefinitionVersionSummary>> ListVersionsAsync(string? key = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<SummaryRow>(new CommandDefinition(
            "SELECT definition_key AS DefinitionKey, version AS Version, name AS Name, status AS Status, created_at AS CreatedAt, " +
            "created_by AS CreatedBy, published_at AS PublishedAt, retired_at AS RetiredAt FROM workflow_definitions " +
            $"{(key is null ? "" : "WHERE definition_key = @key ")}ORDER BY definition_key, version", new { key }, cancellationToken: cancellationToken));
        return rows.Select(r => new DefinitionVersionSummary(r.DefinitionKey, r.Version, r.Name, WorkflowText.Parse<DefinitionStatus>(r.Status),
            r.CreatedAt, r.CreatedBy, r.PublishedAt, r.RetiredAt)).ToList();
    }

    /// <summary>Running and total instances per (key, version), of every definition or of <paramref name="key"/>; versions without instances are absent.</summary>
    public async Task<IReadOnlyDictionary<(string Key, int Version), InstanceCounts>> InstanceCountsAsync(string? key = null,
        CancellationToken cancellationToken = default)
    {
        // One grouped pass over the (definition_key, version, status) index; with a key, only that key's part of it.
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<CountRow>(new CommandDefinition(
            "SELECT definition_key AS DefinitionKey, version AS Version, " +
            "SUM(CASE WHEN status = 'running' THEN 1 ELSE 0 END) AS Running, COUNT(*) AS Total " +
            $"FROM workflow_instances {(key is null ? "" : "WHERE definition_key = @key ")}GROUP BY definition_key, version",
            new { key }, cancellationToken: cancellationToken));
        return rows.ToDictionary(r => (r.DefinitionKey, r.Version), r => new InstanceCounts((int)r.Running, (int)r.Total));
    }
}
