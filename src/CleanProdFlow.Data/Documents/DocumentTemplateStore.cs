using System.Data.Common;
using CleanProdFlow.Data.Database;
using Dapper;

namespace CleanProdFlow.Data.Documents;

/// <summary>A stored template version.</summary>
public sealed record StoredTemplate(string Kind, int Version, string Body, string Reason, DateTimeOffset CreatedAt, string CreatedBy);

/// <summary>
/// Template versions per document kind. Versions are only added (never changed), so a document that names its
/// template version can always be traced to the exact text it was made from.
/// </summary>
public sealed class DocumentTemplateStore(CpfDatabase database)
{
    private const string SelectTemplate =
        "SELECT kind AS Kind, version AS Version, body AS Body, reason AS Reason, created_at AS CreatedAt, created_by AS CreatedBy FROM document_templates";

    private sealed class TemplateRow
    {
        public string Kind { get; init; } = "";
        public int Version { get; init; }
        public string Body { get; init; } = "";
        public string Reason { get; init; } = "";
        public DateTimeOffset CreatedAt { get; init; }
        public string CreatedBy { get; init; } = "";

        public StoredTemplate ToTemplate() => new(Kind, Version, Body, Reason, CreatedAt, CreatedBy);
    }

    /// <summary>The newest version of a kind's template, read in <paramref name="transaction"/> when given (a workflow step's).</summary>
    public async Task<StoredTemplate?> CurrentAsync(string kind, CancellationToken cancellationToken = default, DbTransaction? transaction = null)
    {
        var sql = database.Dialect.Limit($"{SelectTemplate} WHERE kind = @kind ORDER BY version DESC", "@limit");
        if (transaction is not null)
            return (await transaction.Connection!.QuerySingleOrDefaultAsync<TemplateRow>(new CommandDefinition(sql, new { kind, limit = 1 }, transaction,
                cancellationToken: cancellationToken)))?.ToTemplate();
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QuerySingleOrDefaultAsync<TemplateRow>(new CommandDefinition(sql, new { kind, limit = 1 },
            cancellationToken: cancellationToken)))?.ToTemplate();
    }

    public async Task<StoredTemplate?> VersionAsync(string kind, int version, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QuerySingleOrDefaultAsync<TemplateRow>(new CommandDefinition($"{SelectTemplate} WHERE kind = @kind AND version = @version",
            new { kind, version }, cancellationToken: cancellationToken)))?.ToTemplate();
    }

    /// <summary>Every version of a kind's template, newest first.</summary>
    public async Task<IReadOnlyList<StoredTemplate>> VersionsAsync(string kind, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<TemplateRow>(new CommandDefinition($"{SelectTemplate} WHERE kind = @kind ORDER BY version DESC",
            new { kind }, cancellationToken: cancellationToken))).Select(r => r.ToTemplate()).ToList();
    }

    /// <summary>
    /// Adds the next version when the newest is still <paramref name="expectedVersion"/>; null when someone else
    /// saved a version meanwhile (the caller answers 409 and nothing is written).
    /// </summary>
    public async Task<StoredTemplate?> AddVersionAsync(string kind, int expectedVersion, string body, string reason, string by, DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await NumberedIntake.BeginWriteAsync(connection, cancellationToken);
        var newest = await connection.ExecuteScalarAsync<int?>(new CommandDefinition("SELECT MAX(version) FROM document_templates WHERE kind = @kind",
            new { kind }, transaction, cancellationToken: cancellationToken)) ?? 0;
        if (newest != expectedVersion)
            return null;
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO document_templates (kind, version, body, reason, created_at, created_by) VALUES (@kind, @version, @body, @reason, @now, @by)",
                new { kind, version = newest + 1, body, reason, now = Instants.ForStorage(now), by }, transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbException e) when (database.Dialect.IsUniqueViolation(e))
        {
            return null;
        }
        return new StoredTemplate(kind, newest + 1, body, reason, Instants.ForStorage(now), by);
    }

    /// <summary>Stores the shipped file as version 1 of a kind that has no template yet (first start); true when it did.</summary>
    public async Task<bool> SeedAsync(string kind, string body, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        if (await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT COUNT(*) FROM document_templates WHERE kind = @kind", new { kind },
                cancellationToken: cancellationToken)) > 0)
            return false;
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO document_templates (kind, version, body, reason, created_at, created_by) VALUES (@kind, 1, @body, @reason, @now, 'system')",
                new { kind, body, reason = "随系统发布的模板 / shipped template (workflows/documents)", now = Instants.ForStorage(now) },
                cancellationToken: cancellationToken));
            return true;
        }
        catch (DbException e) when (database.Dialect.IsUniqueViolation(e))
        {
            return false; // another node seeded it at the same start
        }
    }
}
