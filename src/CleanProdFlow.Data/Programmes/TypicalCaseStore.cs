using System.Data.Common;
using CleanProdFlow.Data.Database;
using CleanProdFlow.Domain.Programmes;
using Dapper;

namespace CleanProdFlow.Data.Programmes;

/// <summary>A year's typical-case campaign (清洁生产审核十大典型案例) as stored.</summary>
public sealed record TypicalCaseCampaign(int Year, Guid? InstanceId, string Status, DateTimeOffset StatusChangedAt, DateTimeOffset? PublishedAt,
    DateTimeOffset CreatedAt, string CreatedBy);

/// <summary>A technology a case applies; <c>CatalogueRecommendedAt</c> is set when the case is published.</summary>
public sealed record StoredTechnology(int Ordinal, string Name, string Description, DateTimeOffset? CatalogueRecommendedAt);

/// <summary>A city bureau's nomination with the experts' score and where it stands.</summary>
public sealed record TypicalCaseNomination(Guid Id, int Year, string CreditCode, string EnterpriseName, string City, string Title, string Summary,
    string Status, int? Score, string? Opinion, DateTimeOffset? ReviewedAt, string? ReviewedBy, DateTimeOffset NominatedAt, string NominatedBy,
    IReadOnlyList<StoredTechnology> Technologies);

/// <summary>
/// Typical-case campaigns, one per year (the primary key decides "once a year"), their nominations (one per enterprise
/// and year) and technologies. Workflow steps write in their step's transaction.
/// </summary>
public sealed class TypicalCaseStore(CpfDatabase database)
{
    private sealed class CampaignRow
    {
        public int Year { get; init; }
        public Guid? InstanceId { get; init; }
        public string Status { get; init; } = "";
        public DateTimeOffset StatusChangedAt { get; init; }
        public DateTimeOffset? PublishedAt { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public string CreatedBy { get; init; } = "";

        public TypicalCaseCampaign ToCampaign() => new(Year, InstanceId, Status, StatusChangedAt, PublishedAt, CreatedAt, CreatedBy);
    }

    private sealed class NominationRow
    {
        public Guid Id { get; init; }
        public int Year { get; init; }
        public string CreditCode { get; init; } = "";
        public string EnterpriseName { get; init; } = "";
        public string City { get; init; } = "";
        public string Title { get; init; } = "";
        public string Summary { get; init; } = "";
        public string Status { get; init; } = "";
        public int? Score { get; init; }
        public string? Opinion { get; init; }
        public DateTimeOffset? ReviewedAt { get; init; }
        public string? ReviewedBy { get; init; }
        public DateTimeOffset NominatedAt { get; init; }
        public string NominatedBy { get; init; } = "";
    }

    private sealed class TechnologyRow
    {
        public Guid NominationId { get; init; }
        public int Ordinal { get; init; }
        public string Name { get; init; } = "";
        public string Description { get; init; } = "";
        public DateTimeOffset? CatalogueRecommendedAt { get; init; }
    }

    private const string SelectCampaign =
        "SELECT year AS Year, instance_id AS InstanceId, status AS Status, status_changed_at AS StatusChangedAt, published_at AS PublishedAt, " +
        "created_at AS CreatedAt, created_by AS CreatedBy FROM typical_case_campaigns";

    private const string SelectNomination =
        "SELECT n.id AS Id, n.year AS Year, n.credit_code AS CreditCode, e.name AS EnterpriseName, n.city AS City, n.title AS Title, n.summary AS Summary, " +
        "n.status AS Status, n.score AS Score, n.opinion AS Opinion, n.reviewed_at AS ReviewedAt, n.reviewed_by AS ReviewedBy, " +
        "n.nominated_at AS NominatedAt, n.nominated_by AS NominatedBy FROM typical_case_nominations n JOIN enterprises e ON e.credit_code = n.credit_code";

    /// <summary>Claims the year's campaign (status <c>starting</c>); an existing one is returned with <c>Created</c> false.</summary>
    public async Task<(TypicalCaseCampaign Campaign, bool Created)> OpenAsync(int year, DateTimeOffset now, string by, CancellationToken cancellationToken = default)
    {
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            try
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO typical_case_campaigns (year, status, status_changed_at, created_at, created_by) VALUES (@year, @status, @now, @now, @by)",
                    new { year, status = TypicalCases.Starting, now = Instants.ForStorage(now), by }, cancellationToken: cancellationToken));
                return ((await FindAsync(year, cancellationToken))!, true);
            }
            catch (DbException e) when (database.Dialect.IsUniqueViolation(e))
            {
            }
        }
        return ((await FindAsync(year, cancellationToken))!, false);
    }

    /// <summary>
    /// Claims the start of a campaign left <c>starting</c> without an instance (its start failed) for one caller: true
    /// for the one whose conditional update changed the row it saw, so two retries do not both start an instance.
    /// </summary>
    public async Task<bool> ClaimRestartAsync(TypicalCaseCampaign seen, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE typical_case_campaigns SET status_changed_at = @now WHERE year = @year AND status = @starting AND instance_id IS NULL " +
            "AND status_changed_at = @seen",
            new { year = seen.Year, starting = TypicalCases.Starting, seen = Instants.ForStorage(seen.StatusChangedAt), now = Instants.ForStorage(now) },
            cancellationToken: cancellationToken)) > 0;
    }

    public async Task<TypicalCaseCampaign?> FindAsync(int year, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QuerySingleOrDefaultAsync<CampaignRow>(new CommandDefinition(
            $"{SelectCampaign} WHERE year = @year", new { year }, cancellationToken: cancellationToken)))?.ToCampaign();
    }

    /// <summary>Every campaign, newest first.</summary>
    public async Task<IReadOnlyList<TypicalCaseCampaign>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<CampaignRow>(new CommandDefinition($"{SelectCampaign} ORDER BY year DESC", cancellationToken: cancellationToken)))
            .Select(r => r.ToCampaign()).ToList();
    }

    /// <summary>
    /// Sets the campaign's status in a workflow step's transaction; the first call links the instance. False when
    /// the year has no campaign or it belongs to another instance.
    /// </summary>
    public async Task<bool> SetStatusAsync(DbTransaction transaction, int year, Guid instanceId, string status, DateTimeOffset now,
        CancellationToken cancellationToken = default) =>
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE typical_case_campaigns SET status = @status, status_changed_at = @now, instance_id = @instanceId " +
            "WHERE year = @year AND (instance_id IS NULL OR instance_id = @instanceId)",
            new { year, instanceId, status, now = Instants.ForStorage(now) }, transaction, cancellationToken: cancellationToken)) > 0;

    /// <summary>
    /// Records a nomination with its technologies while the campaign takes nominations. Null and the reason's kind
    /// when it does not: <c>closed</c> (not in the nomination window) or <c>duplicate</c> (the enterprise is nominated already).
    /// </summary>
    public async Task<(TypicalCaseNomination? Nomination, string? Refusal)> NominateAsync(int year, string creditCode, string city, string title, string summary,
        IReadOnlyList<Technology> technologies, DateTimeOffset now, string by, CancellationToken cancellationToken = default)
    {
        var id = Guid.CreateVersion7(now);
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            try
            {
                // The window is checked in the INSERT itself, so a nomination racing the window's end is refused.
                var inserted = await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO typical_case_nominations (id, year, credit_code, city, title, summary, status, nominated_at, nominated_by) " +
                    "SELECT @id, @year, @creditCode, @city, @title, @summary, @status, @now, @by " +
                    "WHERE EXISTS (SELECT 1 FROM typical_case_campaigns WHERE year = @year AND status = @nominating)",
                    new
                    {
                        id, year, creditCode, city, title, summary, status = NominationStatus.Nominated, now = Instants.ForStorage(now), by,
                        nominating = TypicalCases.Nominating,
                    }, transaction, cancellationToken: cancellationToken));
                if (inserted == 0)
                    return (null, "closed");
                for (var i = 0; i < technologies.Count; i++)
                    await connection.ExecuteAsync(new CommandDefinition(
                        "INSERT INTO typical_case_technologies (nomination_id, ordinal, name, description) VALUES (@id, @ordinal, @name, @description)",
                        new { id, ordinal = i + 1, name = technologies[i].Name, description = technologies[i].Description }, transaction,
                        cancellationToken: cancellationToken));
                await transaction.CommitAsync(cancellationToken);
            }
            catch (DbException e) when (database.Dialect.IsUniqueViolation(e))
            {
                return (null, "duplicate");
            }
        }
        return ((await NominationsAsync(year, null, cancellationToken)).Single(n => n.Id == id), null);
    }

    /// <summary>A year's nominations with their technologies, of one city when <paramref name="city"/> is given; oldest first.</summary>
    public async Task<IReadOnlyList<TypicalCaseNomination>> NominationsAsync(int year, string? city, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<NominationRow>(new CommandDefinition(
            $"{SelectNomination} WHERE n.year = @year{(city is null ? "" : " AND n.city = @city")} ORDER BY n.nominated_at, n.id",
            new { year, city }, cancellationToken: cancellationToken))).ToList();
        var technologies = (await connection.QueryAsync<TechnologyRow>(new CommandDefinition(
                "SELECT t.nomination_id AS NominationId, t.ordinal AS Ordinal, t.name AS Name, t.description AS Description, " +
                "t.catalogue_recommended_at AS CatalogueRecommendedAt FROM typical_case_technologies t " +
                "JOIN typical_case_nominations n ON n.id = t.nomination_id WHERE n.year = @year ORDER BY t.ordinal",
                new { year }, cancellationToken: cancellationToken)))
            .ToLookup(t => t.NominationId);
        return rows.Select(r => new TypicalCaseNomination(r.Id, r.Year, r.CreditCode, r.EnterpriseName, r.City, r.Title, r.Summary, r.Status, r.Score,
            r.Opinion, r.ReviewedAt, r.ReviewedBy, r.NominatedAt, r.NominatedBy,
            technologies[r.Id].Select(t => new StoredTechnology(t.Ordinal, t.Name, t.Description, t.CatalogueRecommendedAt)).ToList())).ToList();
    }

    /// <summary>The year and score of each nomination asked for (missing ids are absent), read in the caller's transaction when given.</summary>
    public async Task<IReadOnlyDictionary<Guid, (int Year, int? Score)>> ScoresAsync(IReadOnlyList<Guid> ids, CancellationToken cancellationToken = default,
        DbTransaction? transaction = null)
    {
        var found = new Dictionary<Guid, (int, int?)>();
        DbConnection? own = transaction is null ? await database.OpenAsync(cancellationToken) : null;
        try
        {
            var connection = transaction?.Connection ?? own!;
            foreach (var id in ids.Distinct())
            {
                var row = await connection.QuerySingleOrDefaultAsync<NominationRow>(new CommandDefinition(
                    "SELECT id AS Id, year AS Year, score AS Score FROM typical_case_nominations WHERE id = @id", new { id }, transaction,
                    cancellationToken: cancellationToken));
                if (row is not null)
                    found[row.Id] = (row.Year, row.Score);
            }
        }
        finally
        {
            if (own is not null)
                await own.DisposeAsync();
        }
        return found;
    }

    /// <summary>An expert's score and opinion while the campaign is under review; false when it is not, or no such nomination of the year.</summary>
    public async Task<bool> ReviewAsync(int year, Guid id, int score, string opinion, DateTimeOffset now, string by, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE typical_case_nominations SET score = @score, opinion = @opinion, reviewed_at = @now, reviewed_by = @by " +
            "WHERE id = @id AND year = @year AND EXISTS (SELECT 1 FROM typical_case_campaigns c WHERE c.year = @year AND c.status = @reviewing)",
            new { id, year, score, opinion, now = Instants.ForStorage(now), by, reviewing = TypicalCases.Reviewing }, cancellationToken: cancellationToken)) > 0;
    }

    /// <summary>
    /// Publishes in the publishing step's transaction: the selected nominations become <c>selected</c> with their
    /// technologies recommended to the national catalogue, the others <c>not-selected</c>, the campaign <c>published</c>.
    /// </summary>
    public async Task PublishAsync(DbTransaction transaction, int year, IReadOnlyList<Guid> selected, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var connection = transaction.Connection!;
        now = Instants.ForStorage(now);
        foreach (var id in selected)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE typical_case_nominations SET status = @status WHERE id = @id AND year = @year",
                new { id, year, status = NominationStatus.Selected }, transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE typical_case_technologies SET catalogue_recommended_at = @now WHERE nomination_id = @id",
                new { id, now }, transaction, cancellationToken: cancellationToken));
        }
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE typical_case_nominations SET status = @notSelected WHERE year = @year AND status = @nominated",
            new { year, notSelected = NominationStatus.NotSelected, nominated = NominationStatus.Nominated }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE typical_case_campaigns SET status = @published, status_changed_at = @now, published_at = @now WHERE year = @year",
            new { year, published = TypicalCases.Published, now }, transaction, cancellationToken: cancellationToken));
    }
}
