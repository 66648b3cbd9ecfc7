using System.Data.Common;
using CleanProdFlow.Data.Database;
using CleanProdFlow.Domain.Quota;
using Dapper;

namespace CleanProdFlow.Data.Quota;

/// <summary>A seller's offer (出让) as stored; amounts in milli-tonnes, price in fen (yuan × 100) per tonne.</summary>
public sealed record QuotaOffer(Guid Id, string CreditCode, string City, string Pollutant, long Amount, long PriceCents, string Status,
    string? BuyerCode, string? BuyerCity, int? BuyerRank, Guid? BidId, Guid? EntryId, Guid? InstanceId, DateTimeOffset StatusChangedAt,
    DateTimeOffset CreatedAt, string CreatedBy)
{
    public QuotaHolder Seller => QuotaHolder.Enterprise(CreditCode, City);
}

/// <summary>A buyer's standing request (求购).</summary>
public sealed record QuotaBid(Guid Id, string CreditCode, string City, string Pollutant, long Remaining, long MaxPriceCents, string Status,
    DateTimeOffset CreatedAt, string CreatedBy);

/// <summary>The bid an offer was matched to, with the buyer's priority rank at the time of matching.</summary>
public sealed record QuotaMatch(Guid BidId, string BuyerCode, string BuyerCity, int Rank);

/// <summary>An application to deposit into the city reserve (收储).</summary>
public sealed record QuotaDeposit(Guid Id, string CreditCode, string City, string Pollutant, long Amount, long PriceCents, string Status,
    Guid? EntryId, Guid? InstanceId, DateTimeOffset StatusChangedAt, DateTimeOffset CreatedAt, string CreatedBy)
{
    public QuotaHolder Depositor => QuotaHolder.Enterprise(CreditCode, City);
}

/// <summary>
/// Offers, bids and reserve deposits. An offer or a deposit holds its amount on the enterprise's account in the
/// transaction that records it, and gives it back in the transaction that closes it (status change and release
/// together, guarded by the status, so a repeated close releases nothing).
/// </summary>
public sealed class QuotaMarketStore(CpfDatabase database, QuotaLedger ledger)
{
    private sealed class OfferRow
    {
        public Guid Id { get; init; }
        public string CreditCode { get; init; } = "";
        public string City { get; init; } = "";
        public string Pollutant { get; init; } = "";
        public long Amount { get; init; }
        public long PriceCents { get; init; }
        public string Status { get; init; } = "";
        public string? BuyerCode { get; init; }
        public string? BuyerCity { get; init; }
        public int? BuyerRank { get; init; }
        public Guid? BidId { get; init; }
        public Guid? EntryId { get; init; }
        public Guid? InstanceId { get; init; }
        public DateTimeOffset StatusChangedAt { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public string CreatedBy { get; init; } = "";

        public QuotaOffer ToOffer() => new(Id, CreditCode, City, Pollutant, Amount, PriceCents, Status, BuyerCode, BuyerCity, BuyerRank, BidId, EntryId,
            InstanceId, StatusChangedAt, CreatedAt, CreatedBy);
    }

    private sealed class BidRow
    {
        public Guid Id { get; init; }
        public string CreditCode { get; init; } = "";
        public string City { get; init; } = "";
        public string Pollutant { get; init; } = "";
        public long Remaining { get; init; }
        public long MaxPriceCents { get; init; }
        public string Status { get; init; } = "";
        public DateTimeOffset CreatedAt { get; init; }
        public string CreatedBy { get; init; } = "";
        public int PriorityRank { get; init; }

        public QuotaBid ToBid() => new(Id, CreditCode, City, Pollutant, Remaining, MaxPriceCents, Status, CreatedAt, CreatedBy);
    }

    private sealed class DepositRow
    {
        public Guid Id { get; init; }
        public string CreditCode { get; init; } = "";
        public string City { get; init; } = "";
        public string Pollutant { get; init; } = "";
        public long Amount { get; init; }
        public long PriceCents { get; init; }
        public string Status { get; init; } = "";
        public Guid? EntryId { get; init; }
        public Guid? InstanceId { get; init; }
        public DateTimeOffset StatusChangedAt { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public string CreatedBy { get; init; } = "";

        public QuotaDeposit ToDeposit() => new(Id, CreditCode, City, Pollutant, Amount, PriceCents, Status, EntryId, InstanceId, StatusChangedAt, CreatedAt, CreatedBy);
    }

    private const string SelectOffer =
        "SELECT id AS Id, credit_code AS CreditCode, city AS City, pollutant AS Pollutant, amount AS Amount, price_cents AS PriceCents, status AS Status, " +
        "buyer_code AS BuyerCode, buyer_city AS BuyerCity, buyer_rank AS BuyerRank, bid_id AS BidId, entry_id AS EntryId, instance_id AS InstanceId, " +
        "status_changed_at AS StatusChangedAt, created_at AS CreatedAt, created_by AS CreatedBy FROM quota_offers";

    private const string SelectBid =
        "SELECT b.id AS Id, b.credit_code AS CreditCode, b.city AS City, b.pollutant AS Pollutant, b.remaining AS Remaining, " +
        "b.max_price_cents AS MaxPriceCents, b.status AS Status, b.created_at AS CreatedAt, b.created_by AS CreatedBy FROM quota_bids b";

    private const string SelectDeposit =
        "SELECT id AS Id, credit_code AS CreditCode, city AS City, pollutant AS Pollutant, amount AS Amount, price_cents AS PriceCents, status AS Status, " +
        "entry_id AS EntryId, instance_id AS InstanceId, status_changed_at AS StatusChangedAt, created_at AS CreatedAt, created_by AS CreatedBy FROM quota_deposits";

    // ---- offers

    /// <summary>
    /// Records an offer and holds its amount in one transaction. Null when the seller's available balance does not
    /// cover it (nothing is recorded). A repeated request key returns the offer it recorded, with Created false.
    /// </summary>
    public async Task<(QuotaOffer? Offer, bool Created)> CreateOfferAsync(QuotaHolder seller, string pollutant, long amount, long priceCents, string by,
        string? requestKey, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        if (requestKey is not null && await OfferByKeyAsync(by, requestKey, cancellationToken) is { } earlier)
            return (earlier, false);
        var id = Guid.CreateVersion7(now);
        var created = await ledger.InTransactionAsync(null, async tx =>
        {
            if (!await ledger.HoldAsync(tx, seller, pollutant, amount, now, cancellationToken))
                return false;
            await tx.Connection!.ExecuteAsync(new CommandDefinition(
                "INSERT INTO quota_offers (id, credit_code, city, pollutant, amount, price_cents, status, status_changed_at, created_at, created_by, request_key) " +
                "VALUES (@id, @code, @city, @pollutant, @amount, @priceCents, @status, @at, @at, @by, @requestKey)",
                new { id, code = seller.Id, city = seller.City, pollutant, amount, priceCents, status = QuotaStatus.Review, at = Instants.ForStorage(now), by, requestKey },
                tx, cancellationToken: cancellationToken));
            return true;
        }, cancellationToken);
        return created ? (await FindOfferAsync(id, null, cancellationToken), true) : (null, false);
    }

    private async Task<QuotaOffer?> OfferByKeyAsync(string by, string key, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QuerySingleOrDefaultAsync<OfferRow>(new CommandDefinition(
            $"{SelectOffer} WHERE created_by = @by AND request_key = @key", new { by, key }, cancellationToken: cancellationToken)))?.ToOffer();
    }

    public async Task<QuotaOffer?> FindOfferAsync(Guid id, DbTransaction? tx = null, CancellationToken cancellationToken = default)
    {
        var command = new CommandDefinition($"{SelectOffer} WHERE id = @id", new { id }, tx, cancellationToken: cancellationToken);
        await using var owned = tx is null ? await database.OpenAsync(cancellationToken) : null;
        return (await (owned ?? tx!.Connection!).QuerySingleOrDefaultAsync<OfferRow>(command))?.ToOffer();
    }

    /// <summary>Offers of a city (null: all), newest first.</summary>
    public async Task<IReadOnlyList<QuotaOffer>> OffersAsync(string? city, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<OfferRow>(new CommandDefinition(
            $"{SelectOffer} WHERE @city IS NULL OR city = @city OR buyer_city = @city ORDER BY created_at DESC, id", new { city },
            cancellationToken: cancellationToken))).Select(r => r.ToOffer()).ToList();
    }

    public async Task LinkOfferInstanceAsync(Guid id, Guid instanceId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("UPDATE quota_offers SET instance_id = @instanceId WHERE id = @id AND instance_id IS NULL",
            new { id, instanceId }, cancellationToken: cancellationToken));
    }

    /// <summary>Offers whose instance never started, for the start-up retry.</summary>
    public async Task<IReadOnlyList<QuotaOffer>> UnstartedOffersAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<OfferRow>(new CommandDefinition($"{SelectOffer} WHERE instance_id IS NULL AND status = @status",
            new { status = QuotaStatus.Review }, cancellationToken: cancellationToken))).Select(r => r.ToOffer()).ToList();
    }

    /// <summary>The reviewer approved: the offer is listed for matching.</summary>
    public async Task<bool> ListOfferAsync(DbTransaction tx, Guid id, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        await tx.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE quota_offers SET status = @listed, status_changed_at = @at WHERE id = @id AND status = @review",
            new { id, listed = QuotaStatus.Listed, review = QuotaStatus.Review, at = Instants.ForStorage(now) }, tx, cancellationToken: cancellationToken)) > 0;

    /// <summary>
    /// Rejects or cancels an offer that is not settled and gives its hold back, in one transaction. False when the
    /// offer was closed already (nothing is released twice).
    /// </summary>
    public async Task<bool> CloseOfferAsync(DbTransaction tx, Guid id, string status, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var offer = await FindOfferAsync(id, tx, cancellationToken) ?? throw new InvalidOperationException($"no quota offer {id}");
        var closed = await tx.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE quota_offers SET status = @status, status_changed_at = @at WHERE id = @id AND status IN (@review, @listed)",
            new { id, status, review = QuotaStatus.Review, listed = QuotaStatus.Listed, at = Instants.ForStorage(now) }, tx, cancellationToken: cancellationToken)) > 0;
        if (closed && !await ledger.ReleaseAsync(tx, offer.Seller, offer.Pollutant, offer.Amount, cancellationToken))
            throw new InvalidOperationException($"quota offer {id}: its hold of {offer.Amount} is not on the seller's account");
        return closed;
    }

    /// <summary>
    /// The best open bid for a listed offer: same pollutant, enough left, a price at least the offer's, not the
    /// seller; ranked by the buyer's priority computed from the register now (a revoked enterprise is not advanced),
    /// then by age. The bid is drawn down by the offer's amount in the same transaction; null when none fits.
    /// </summary>
    public async Task<QuotaMatch?> MatchAsync(DbTransaction tx, QuotaOffer offer, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var candidates = await tx.Connection!.QueryAsync<BidRow>(new CommandDefinition(
            $"SELECT x.* FROM (SELECT b.id AS Id, b.credit_code AS CreditCode, b.city AS City, b.pollutant AS Pollutant, b.remaining AS Remaining, " +
            "b.max_price_cents AS MaxPriceCents, b.status AS Status, b.created_at AS CreatedAt, b.created_by AS CreatedBy, " +
            "CASE WHEN NOT EXISTS (SELECT 1 FROM advanced_enterprises a WHERE a.credit_code = b.credit_code AND a.status = 'active') THEN 2 " +
            "WHEN EXISTS (SELECT 1 FROM eia_applications e WHERE e.credit_code = b.credit_code AND e.status IN ('received', 'accepted', 'correcting')) THEN 0 " +
            "ELSE 1 END AS PriorityRank FROM quota_bids b " +
            "WHERE b.pollutant = @pollutant AND b.status = @open AND b.remaining >= @amount AND b.max_price_cents >= @price AND b.credit_code <> @seller) x " +
            "ORDER BY x.PriorityRank, x.CreatedAt, x.Id",
            new { pollutant = offer.Pollutant, open = QuotaStatus.BidOpen, amount = offer.Amount, price = offer.PriceCents, seller = offer.CreditCode },
            tx, cancellationToken: cancellationToken));
        foreach (var bid in candidates)
        {
            // Conditional: a bid drawn down meanwhile by another offer's match is skipped, never overdrawn.
            var drawn = await tx.Connection!.ExecuteAsync(new CommandDefinition(
                "UPDATE quota_bids SET remaining = remaining - @amount, status = CASE WHEN remaining - @amount = 0 THEN @filled ELSE status END " +
                "WHERE id = @id AND status = @open AND remaining >= @amount",
                new { id = bid.Id, amount = offer.Amount, open = QuotaStatus.BidOpen, filled = QuotaStatus.BidFilled }, tx, cancellationToken: cancellationToken));
            if (drawn == 0)
                continue;
            await tx.Connection!.ExecuteAsync(new CommandDefinition(
                "UPDATE quota_offers SET buyer_code = @code, buyer_city = @city, buyer_rank = @rank, bid_id = @bidId, status_changed_at = @at WHERE id = @id",
                new { id = offer.Id, code = bid.CreditCode, city = bid.City, rank = bid.PriorityRank, bidId = bid.Id, at = Instants.ForStorage(now) }, tx,
                cancellationToken: cancellationToken));
            return new QuotaMatch(bid.Id, bid.CreditCode, bid.City, bid.PriorityRank);
        }
        return null;
    }

    /// <summary>Marks a matched offer settled by its ledger entry (the hold was consumed by the entry).</summary>
    public async Task<bool> MarkSettledAsync(DbTransaction tx, Guid id, Guid entryId, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        await tx.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE quota_offers SET status = @settled, entry_id = @entryId, status_changed_at = @at WHERE id = @id AND status = @listed",
            new { id, entryId, settled = QuotaStatus.Settled, listed = QuotaStatus.Listed, at = Instants.ForStorage(now) }, tx,
            cancellationToken: cancellationToken)) > 0;

    // ---- bids

    public async Task<QuotaBid> PlaceBidAsync(QuotaHolder buyer, string pollutant, long amount, long maxPriceCents, string by, DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        var id = Guid.CreateVersion7(now);
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO quota_bids (id, credit_code, city, pollutant, remaining, max_price_cents, status, created_at, created_by) " +
            "VALUES (@id, @code, @city, @pollutant, @amount, @maxPriceCents, @open, @at, @by)",
            new { id, code = buyer.Id, city = buyer.City, pollutant, amount, maxPriceCents, open = QuotaStatus.BidOpen, at = Instants.ForStorage(now), by },
            cancellationToken: cancellationToken));
        return (await connection.QuerySingleAsync<BidRow>(new CommandDefinition($"{SelectBid} WHERE b.id = @id", new { id },
            cancellationToken: cancellationToken))).ToBid();
    }

    public async Task<IReadOnlyList<QuotaBid>> BidsAsync(string? city, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<BidRow>(new CommandDefinition($"{SelectBid} WHERE @city IS NULL OR b.city = @city ORDER BY b.created_at DESC, b.id",
            new { city }, cancellationToken: cancellationToken))).Select(r => r.ToBid()).ToList();
    }

    public async Task<QuotaBid?> FindBidAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QuerySingleOrDefaultAsync<BidRow>(new CommandDefinition($"{SelectBid} WHERE b.id = @id", new { id },
            cancellationToken: cancellationToken)))?.ToBid();
    }

    /// <summary>
    /// Withdraws an open bid no offer was matched to; false when it is no longer open or a match drew on it. The
    /// UPDATE is conditional on the remaining amount read, so a match committing meanwhile (it draws the bid down in
    /// the same row) makes the withdrawal fail rather than race it; a match after the withdrawal skips the bid.
    /// </summary>
    public async Task<bool> WithdrawBidAsync(QuotaBid bid, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE quota_bids SET status = @withdrawn WHERE id = @id AND status = @open AND remaining = @remaining " +
            "AND NOT EXISTS (SELECT 1 FROM quota_offers o WHERE o.bid_id = @id)",
            new { id = bid.Id, withdrawn = QuotaStatus.BidWithdrawn, open = QuotaStatus.BidOpen, remaining = bid.Remaining },
            cancellationToken: cancellationToken)) > 0;
    }

    // ---- deposits (收储)

    /// <summary>Records a deposit application and holds its amount; null when the enterprise's available balance does not cover it.</summary>
    public async Task<QuotaDeposit?> CreateDepositAsync(QuotaHolder depositor, string pollutant, long amount, long priceCents, string by, DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        var id = Guid.CreateVersion7(now);
        var created = await ledger.InTransactionAsync(null, async tx =>
        {
            if (!await ledger.HoldAsync(tx, depositor, pollutant, amount, now, cancellationToken))
                return false;
            await tx.Connection!.ExecuteAsync(new CommandDefinition(
                "INSERT INTO quota_deposits (id, credit_code, city, pollutant, amount, price_cents, status, status_changed_at, created_at, created_by) " +
                "VALUES (@id, @code, @city, @pollutant, @amount, @priceCents, @status, @at, @at, @by)",
                new { id, code = depositor.Id, city = depositor.City, pollutant, amount, priceCents, status = QuotaStatus.Review, at = Instants.ForStorage(now), by },
                tx, cancellationToken: cancellationToken));
            return true;
        }, cancellationToken);
        return created ? await FindDepositAsync(id, null, cancellationToken) : null;
    }

    public async Task<QuotaDeposit?> FindDepositAsync(Guid id, DbTransaction? tx = null, CancellationToken cancellationToken = default)
    {
        var command = new CommandDefinition($"{SelectDeposit} WHERE id = @id", new { id }, tx, cancellationToken: cancellationToken);
        await using var owned = tx is null ? await database.OpenAsync(cancellationToken) : null;
        return (await (owned ?? tx!.Connection!).QuerySingleOrDefaultAsync<DepositRow>(command))?.ToDeposit();
    }

    public async Task<IReadOnlyList<QuotaDeposit>> DepositsAsync(string? city, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<DepositRow>(new CommandDefinition($"{SelectDeposit} WHERE @city IS NULL OR city = @city ORDER BY created_at DESC, id",
            new { city }, cancellationToken: cancellationToken))).Select(r => r.ToDeposit()).ToList();
    }

    public async Task<IReadOnlyList<QuotaDeposit>> UnstartedDepositsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<DepositRow>(new CommandDefinition($"{SelectDeposit} WHERE instance_id IS NULL AND status = @status",
            new { status = QuotaStatus.Review }, cancellationToken: cancellationToken))).Select(r => r.ToDeposit()).ToList();
    }

    public async Task LinkDepositInstanceAsync(Guid id, Guid instanceId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("UPDATE quota_deposits SET instance_id = @instanceId WHERE id = @id AND instance_id IS NULL",
            new { id, instanceId }, cancellationToken: cancellationToken));
    }

    /// <summary>Closes a deposit under review: <c>deposited</c> with its entry, or <c>rejected</c> with its hold given back.</summary>
    public async Task<bool> CloseDepositAsync(DbTransaction tx, Guid id, string status, Guid? entryId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var deposit = await FindDepositAsync(id, tx, cancellationToken) ?? throw new InvalidOperationException($"no quota deposit {id}");
        var closed = await tx.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE quota_deposits SET status = @status, entry_id = @entryId, status_changed_at = @at WHERE id = @id AND status = @review",
            new { id, status, entryId, review = QuotaStatus.Review, at = Instants.ForStorage(now) }, tx, cancellationToken: cancellationToken)) > 0;
        if (closed && status == QuotaStatus.Rejected && !await ledger.ReleaseAsync(tx, deposit.Depositor, deposit.Pollutant, deposit.Amount, cancellationToken))
            throw new InvalidOperationException($"quota deposit {id}: its hold of {deposit.Amount} is not on the enterprise's account");
        return closed;
    }
}
