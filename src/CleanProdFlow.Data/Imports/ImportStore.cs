using System.Data.Common;
using System.Text;
using System.Text.Json;
using CleanProdFlow.Data.Database;
using CleanProdFlow.Domain.Eligibility;
using CleanProdFlow.Domain.Enterprises;
using CleanProdFlow.Domain.Imports;
using Dapper;
using Microsoft.Data.Sqlite;

namespace CleanProdFlow.Data.Imports;

/// <summary>The uploaded file an import came from, for the import log.</summary>
public sealed record ImportSource(string Kind, string FileName, string Sha256, int RowCount)
{
    public const string Enterprises = "enterprises";
    public const string AuditResults = "audit-results";
}

public sealed record ImportCounts(int Inserted, int Updated, int Unchanged);

/// <summary>One field an import changed on an enterprise, as logged.</summary>
public sealed record LoggedChange(string CreditCode, string Field, string? OldValue, string? NewValue, long? ImportId, DateTimeOffset ChangedAt, string ChangedBy);

/// <summary>
/// Thrown when the register changed between the file's validation and its import (another import or registration
/// of the same enterprise at the same moment); nothing was imported and the caller may simply retry.
/// </summary>
public sealed class ImportConflictException(string message) : Exception(message);

/// <summary>
/// Bulk imports of enterprises and audit results: each file in one transaction (all or nothing), upserting
/// enterprises by credit code and adding audit results by document number, with the import, every changed field
/// and every re-evaluated eligibility decision logged in the same transaction.
/// </summary>
public sealed class ImportStore(CpfDatabase database)
{
    /// <summary>Codes per IN list: well under SQL Server's 2,100 parameters.</summary>
    private const int ReadChunk = 500;

    public const string EligibilityCause = "import";

    private sealed class EnterpriseRow
    {
        public string CreditCode { get; init; } = "";
        public string Name { get; init; } = "";
        public string City { get; init; } = "";
        public string? County { get; init; }
        public string? Industry { get; init; }
        public string? Address { get; init; }
        public bool OnlineMonitoring { get; init; }

        public Enterprise ToEnterprise() => new(CreditCode, Name, City, County, Industry, Address, OnlineMonitoring);
    }

    private sealed class AuditRow
    {
        public string CreditCode { get; init; } = "";
        public DateOnly AcceptedOn { get; init; }
        public int Level { get; init; }
        public string Authority { get; init; } = "";
        public string DocumentNumber { get; init; } = "";

        public AuditResult ToAuditResult() => new(CreditCode, AcceptedOn, (AuditLevel)Level, Authority, DocumentNumber);
    }

    private sealed class PenaltyRow
    {
        public string CreditCode { get; init; } = "";
        public string DecisionNumber { get; init; } = "";
        public DateOnly DecidedOn { get; init; }
        public string Authority { get; init; } = "";
        public bool EcoEnvironmental { get; init; }
        public bool Annulled { get; init; }
    }

    /// <summary>The stored enterprises among <paramref name="codes"/>, by code.</summary>
    public async Task<IReadOnlyDictionary<string, Enterprise>> EnterprisesAsync(IEnumerable<string> codes, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await EnterprisesAsync(connection, null, codes.Distinct(StringComparer.Ordinal).ToList(), forUpdate: false, cancellationToken);
    }

    /// <summary>The stored audit results of the enterprises <paramref name="codes"/>.</summary>
    public async Task<IReadOnlyList<AuditResult>> AuditResultsAsync(IEnumerable<string> codes, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await AuditResultsAsync(connection, null, codes.Distinct(StringComparer.Ordinal).ToList(), cancellationToken);
    }

    private async Task<Dictionary<string, Enterprise>> EnterprisesAsync(DbConnection connection, DbTransaction? transaction, IReadOnlyList<string> codes,
        bool forUpdate, CancellationToken cancellationToken)
    {
        // Inside the import the rows are locked as they are read, so a concurrent import cannot change them in between
        // (SQLite needs no hint: its import transaction holds the database's write lock from the start).
        var table = forUpdate && database.Provider == DatabaseProvider.SqlServer ? "enterprises WITH (UPDLOCK, HOLDLOCK)" : "enterprises";
        var suffix = forUpdate && database.Provider == DatabaseProvider.Postgres ? " FOR UPDATE" : "";
        var found = new Dictionary<string, Enterprise>(StringComparer.Ordinal);
        foreach (var chunk in codes.Chunk(ReadChunk))
        {
            var rows = await connection.QueryAsync<EnterpriseRow>(new CommandDefinition(
                "SELECT credit_code AS CreditCode, name AS Name, city AS City, county AS County, industry AS Industry, address AS Address, " +
                $"online_monitoring AS OnlineMonitoring FROM {table} WHERE {database.Dialect.InList("credit_code", "@codes")}{suffix}",
                new { codes = chunk }, transaction, cancellationToken: cancellationToken));
            foreach (var row in rows)
                found[row.CreditCode] = row.ToEnterprise();
        }
        return found;
    }

    private async Task<List<AuditResult>> AuditResultsAsync(DbConnection connection, DbTransaction? transaction, IReadOnlyList<string> codes,
        CancellationToken cancellationToken)
    {
        var found = new List<AuditResult>();
        foreach (var chunk in codes.Chunk(ReadChunk))
            found.AddRange((await connection.QueryAsync<AuditRow>(new CommandDefinition(
                "SELECT credit_code AS CreditCode, accepted_on AS AcceptedOn, level AS Level, authority AS Authority, document_number AS DocumentNumber " +
                $"FROM audit_results WHERE {database.Dialect.InList("credit_code", "@codes")} ORDER BY accepted_on, id",
                new { codes = chunk }, transaction, cancellationToken: cancellationToken))).Select(r => r.ToAuditResult()));
        return found;
    }

    /// <summary>
    /// Upserts the plan's enterprises by credit code in one transaction: new ones are inserted, stored ones whose
    /// fields differ are updated (with who and when, and each changed field logged), identical ones are left alone.
    /// Optional columns the file does not have keep their stored values.
    /// </summary>
    /// <param name="mayChangeCity">Checked again inside the transaction against the stored enterprise's city.</param>
    /// <exception cref="ImportConflictException">The register changed since the plan was checked; nothing was imported.</exception>
    public async Task<ImportCounts> ImportEnterprisesAsync(EnterpriseImportPlan plan, ImportSource source, Func<string, bool> mayChangeCity,
        DateTimeOffset now, string by, CancellationToken cancellationToken = default)
    {
        now = Instants.ForStorage(now);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await BeginAsync(connection, cancellationToken);
        try
        {
            var stored = await EnterprisesAsync(connection, transaction, plan.Rows.Select(r => r.Enterprise.CreditCode).ToList(), forUpdate: true, cancellationToken);
            var inserts = new List<Enterprise>();
            var updates = new List<(Enterprise Enterprise, IReadOnlyList<EnterpriseChange> Changes)>();
            foreach (var row in plan.Rows)
            {
                if (!stored.TryGetValue(row.Enterprise.CreditCode, out var current))
                {
                    inserts.Add(row.Enterprise);
                    continue;
                }
                if (!mayChangeCity(current.City))
                    throw new ImportConflictException($"Enterprise {current.CreditCode} is now registered in {current.City}.");
                var merged = plan.Merge(row.Enterprise, current);
                var changes = EnterpriseImport.Changes(current, merged);
                if (changes.Count > 0)
                    updates.Add((merged, changes));
            }
            var counts = new ImportCounts(inserts.Count, updates.Count, plan.Rows.Count - inserts.Count - updates.Count);
            var importId = await LogAsync(connection, transaction, source, counts, now, by, cancellationToken);

            await InsertManyAsync(connection, transaction, "enterprises",
                ["credit_code", "name", "city", "county", "industry", "address", "online_monitoring", "created_at", "created_by", "updated_at", "updated_by"],
                inserts.Select(e => new object?[] { e.CreditCode, e.Name, e.City, e.County, e.Industry, e.Address, e.OnlineMonitoring, now, by, now, by }).ToList(),
                cancellationToken);
            await UpdateAsync(connection, transaction, updates.Select(u => u.Enterprise).ToList(), now, by, cancellationToken);
            await InsertManyAsync(connection, transaction, "enterprise_changes",
                ["credit_code", "field", "old_value", "new_value", "import_id", "changed_at", "changed_by"],
                updates.SelectMany(u => u.Changes.Select(c => new object?[] { u.Enterprise.CreditCode, c.Field, c.Before, c.After, importId, now, by })).ToList(),
                cancellationToken);

            await transaction.CommitAsync(cancellationToken);
            return counts;
        }
        catch (DbException e) when (database.Dialect.IsUniqueViolation(e))
        {
            throw new ImportConflictException("An enterprise of the file was registered at the same moment.");
        }
    }

    /// <summary>
    /// Adds the audit results in one transaction: a document number already recorded for the enterprise with the
    /// same details is unchanged; every enterprise that gained an audit is re-evaluated as of <paramref name="today"/>
    /// and the decision appended to its history with the cause "import".
    /// </summary>
    /// <exception cref="ImportConflictException">The register changed since the plan was checked; nothing was imported.</exception>
    public async Task<ImportCounts> ImportAuditResultsAsync(IReadOnlyList<AuditResult> results, ImportSource source, Func<string, bool> mayChangeCity,
        DateOnly today, DateTimeOffset now, string by, CancellationToken cancellationToken = default)
    {
        now = Instants.ForStorage(now);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await BeginAsync(connection, cancellationToken);
        try
        {
            var codes = results.Select(r => r.CreditCode).Distinct(StringComparer.Ordinal).ToList();
            // Locking the enterprises serialises concurrent imports for the same enterprises (and their decisions).
            var enterprises = await EnterprisesAsync(connection, transaction, codes, forUpdate: true, cancellationToken);
            if (codes.FirstOrDefault(c => !enterprises.TryGetValue(c, out var e) || !mayChangeCity(e.City)) is { } gone)
                throw new ImportConflictException($"Enterprise {gone} is not in the importer's register any more.");
            var audits = await AuditResultsAsync(connection, transaction, codes, cancellationToken);
            var recorded = audits.ToDictionary(a => (a.CreditCode, a.DocumentNumber));
            var inserts = new List<AuditResult>();
            foreach (var result in results)
            {
                if (!recorded.TryGetValue((result.CreditCode, result.DocumentNumber), out var existing))
                    inserts.Add(result);
                else if (existing != result)
                    throw new ImportConflictException($"Document {result.DocumentNumber} of {result.CreditCode} was recorded with other details meanwhile.");
            }
            var counts = new ImportCounts(inserts.Count, 0, results.Count - inserts.Count);
            await LogAsync(connection, transaction, source, counts, now, by, cancellationToken);
            await InsertManyAsync(connection, transaction, "audit_results",
                ["credit_code", "accepted_on", "level", "authority", "document_number", "recorded_at", "recorded_by"],
                inserts.Select(r => new object?[] { r.CreditCode, r.AcceptedOn, (int)r.Level, r.Authority, r.DocumentNumber, now, by }).ToList(),
                cancellationToken);

            // Each enterprise that gained an audit is re-evaluated once, as the single-record endpoint does per audit.
            var affected = inserts.Select(r => r.CreditCode).Distinct(StringComparer.Ordinal).ToList();
            var auditsOf = audits.Concat(inserts).ToLookup(a => a.CreditCode, StringComparer.Ordinal);
            var penaltiesOf = (await PenaltiesAsync(connection, transaction, affected, cancellationToken)).ToLookup(p => p.CreditCode, StringComparer.Ordinal);
            await InsertManyAsync(connection, transaction, "eligibility_decisions",
                ["credit_code", "as_of", "eligible", "rules", "cause", "evaluated_at", "evaluated_by"],
                affected.Select(code =>
                {
                    var decision = EligibilityDecision.Evaluate(today, auditsOf[code],
                        penaltiesOf[code].Select(p => new Penalty(p.DecisionNumber, p.DecidedOn, p.Authority, p.EcoEnvironmental, p.Annulled)));
                    return new object?[] { code, decision.AsOf, decision.Eligible, JsonSerializer.Serialize(decision.Rules), EligibilityCause, now, by };
                }).ToList(),
                cancellationToken);

            await transaction.CommitAsync(cancellationToken);
            return counts;
        }
        catch (DbException e) when (database.Dialect.IsUniqueViolation(e))
        {
            throw new ImportConflictException("An audit result of the file was recorded at the same moment.");
        }
    }

    private const string UpdateEnterprise =
        "UPDATE enterprises SET name = @name, city = @city, county = @county, industry = @industry, address = @address, " +
        "online_monitoring = @online, updated_at = @now, updated_by = @by WHERE credit_code = @code";

    /// <summary>
    /// Updates the changed enterprises. Where the provider batches commands (PostgreSQL, SQL Server) a few hundred
    /// go to the server in one round trip; SQLite, in the process, runs one prepared command per row.
    /// </summary>
    private static async Task UpdateAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<Enterprise> enterprises,
        DateTimeOffset now, string by, CancellationToken cancellationToken)
    {
        if (!connection.CanCreateBatch)
        {
            await connection.ExecuteAsync(new CommandDefinition(UpdateEnterprise, enterprises.Select(e => new
            {
                code = e.CreditCode, name = e.Name, city = e.City, county = e.County, industry = e.Industry, address = e.Address,
                online = e.OnlineMonitoring, now, by,
            }), transaction, cancellationToken: cancellationToken));
            return;
        }
        foreach (var chunk in enterprises.Chunk(200))
        {
            await using var batch = connection.CreateBatch();
            batch.Transaction = transaction;
            foreach (var e in chunk)
            {
                var command = batch.CreateBatchCommand();
                command.CommandText = UpdateEnterprise;
                foreach (var (name, value) in new (string, object?)[]
                {
                    ("code", e.CreditCode), ("name", e.Name), ("city", e.City), ("county", e.County), ("industry", e.Industry),
                    ("address", e.Address), ("online", e.OnlineMonitoring), ("now", now), ("by", by),
                })
                {
                    var parameter = command.CreateParameter();
                    parameter.ParameterName = name;
                    parameter.Value = value ?? DBNull.Value;
                    // A null's type cannot be inferred from its value; these columns are all text.
                    if (value is null)
                        parameter.DbType = System.Data.DbType.String;
                    command.Parameters.Add(parameter);
                }
                batch.BatchCommands.Add(command);
            }
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private async Task<List<PenaltyRow>> PenaltiesAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<string> codes,
        CancellationToken cancellationToken)
    {
        var found = new List<PenaltyRow>();
        foreach (var chunk in codes.Chunk(ReadChunk))
            found.AddRange(await connection.QueryAsync<PenaltyRow>(new CommandDefinition(
                "SELECT credit_code AS CreditCode, decision_number AS DecisionNumber, decided_on AS DecidedOn, authority AS Authority, " +
                $"eco_environmental AS EcoEnvironmental, annulled AS Annulled FROM penalties WHERE {database.Dialect.InList("credit_code", "@codes")}",
                new { codes = chunk }, transaction, cancellationToken: cancellationToken)));
        return found;
    }

    /// <summary>Every field imports changed on the enterprise, oldest first.</summary>
    public async Task<IReadOnlyList<LoggedChange>> ChangesAsync(string creditCode, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ChangeRow>(new CommandDefinition(
            "SELECT credit_code AS CreditCode, field AS Field, old_value AS OldValue, new_value AS NewValue, import_id AS ImportId, " +
            "changed_at AS ChangedAt, changed_by AS ChangedBy FROM enterprise_changes WHERE credit_code = @creditCode ORDER BY id",
            new { creditCode }, cancellationToken: cancellationToken));
        return rows.Select(r => new LoggedChange(r.CreditCode, r.Field, r.OldValue, r.NewValue, r.ImportId, r.ChangedAt, r.ChangedBy)).ToList();
    }

    private sealed class ChangeRow
    {
        public string CreditCode { get; init; } = "";
        public string Field { get; init; } = "";
        public string? OldValue { get; init; }
        public string? NewValue { get; init; }
        public long? ImportId { get; init; }
        public DateTimeOffset ChangedAt { get; init; }
        public string ChangedBy { get; init; } = "";
    }

    private async Task<long> LogAsync(DbConnection connection, DbTransaction transaction, ImportSource source, ImportCounts counts,
        DateTimeOffset now, string by, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            database.Dialect.InsertReturningId(
                "INSERT INTO imports (kind, file_name, file_sha256, row_count, inserted, updated, unchanged, imported_at, imported_by) " +
                "VALUES (@Kind, @fileName, @Sha256, @RowCount, @Inserted, @Updated, @Unchanged, @now, @by)", "id"),
            new
            {
                source.Kind, fileName = source.FileName.Length > 400 ? source.FileName[..400] : source.FileName, source.Sha256, source.RowCount,
                counts.Inserted, counts.Updated, counts.Unchanged, now, by,
            }, transaction, cancellationToken: cancellationToken));

    /// <summary>
    /// Inserts rows with multi-row VALUES lists (one round trip per few hundred rows instead of one per row). Table
    /// and column names are this class's constants; every value is a parameter. SQL Server takes at most 2,100
    /// parameters and 1,000 rows per statement; SQLite finds each named parameter by a linear search, so its
    /// statements stay small (a 2,000-parameter statement made a 50,000-row import ten times slower).
    /// </summary>
    private async Task InsertManyAsync(DbConnection connection, DbTransaction transaction, string table, string[] columns,
        IReadOnlyList<object?[]> rows, CancellationToken cancellationToken)
    {
        var perStatement = database.Provider == DatabaseProvider.Sqlite ? Math.Max(1, 100 / columns.Length) : Math.Min(1000, 2000 / columns.Length);
        foreach (var chunk in rows.Chunk(perStatement))
        {
            var sql = new StringBuilder($"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ");
            var parameters = new DynamicParameters();
            for (var r = 0; r < chunk.Length; r++)
            {
                sql.Append(r == 0 ? "(" : ", (");
                for (var c = 0; c < columns.Length; c++)
                {
                    var name = $"p{r}_{c}";
                    sql.Append(c == 0 ? "@" : ", @").Append(name);
                    parameters.Add(name, chunk[r][c]);
                }
                sql.Append(')');
            }
            await connection.ExecuteAsync(new CommandDefinition(sql.ToString(), parameters, transaction, cancellationToken: cancellationToken));
        }
    }

    /// <summary>
    /// On SQLite the import takes the write lock when it begins (BEGIN IMMEDIATE): a deferred transaction that read
    /// first could not upgrade to writing once another writer committed, and would fail instead of waiting.
    /// </summary>
    private static async Task<DbTransaction> BeginAsync(DbConnection connection, CancellationToken cancellationToken) =>
        connection is SqliteConnection sqlite
            ? sqlite.BeginTransaction(deferred: false)
            : await connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, cancellationToken);
}
