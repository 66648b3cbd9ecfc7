using System.Data.Common;
using CleanProdFlow.Data.Database;
using CleanProdFlow.Domain.Quota;
using Dapper;
using Microsoft.Data.Sqlite;

namespace CleanProdFlow.Data.Quota;

/// <summary>An account as stored: amounts in milli-tonnes per year.</summary>
public sealed record QuotaAccount(string HolderKind, string HolderId, string Pollutant, string City, long Balance, long Reserved)
{
    public long Available => Balance - Reserved;
}

/// <summary>One posting of an account's history with the entry it belongs to.</summary>
public sealed record QuotaMovement(long Sequence, Guid EntryId, string Kind, string Reference, string? Memo, long Amount, long BalanceAfter,
    DateTimeOffset CreatedAt, string CreatedBy);

/// <summary>What posting an entry did: posted, found the entry its key posted before (nothing posted), or refused for want of quota.</summary>
public sealed record QuotaPostOutcome(Guid? EntryId, bool Replayed, QuotaHolder? ShortHolder)
{
    public bool Done => EntryId is not null;
}

/// <summary>
/// The double-entry quota ledger. Each entry runs in one transaction — the caller's (a workflow step's
/// <c>context.Transaction</c>) or its own — under a savepoint, so a refusal leaves the caller's other writes alone.
/// Balances change only through conditional UPDATEs (<c>… WHERE balance - reserved &gt;= amount</c>) whose affected
/// row count is checked, in a fixed account order: on PostgreSQL two concurrent debits serialise on the row and the
/// second re-checks the condition (no lost update, no double spend) and never deadlock; on SQLite the transaction
/// takes the write lock up front. The entry's idempotency key is unique: a replay posts nothing.
/// </summary>
public sealed class QuotaLedger(CpfDatabase database)
{
    public CpfDatabase Database => database;

    /// <summary>Runs <paramref name="work"/> in <paramref name="outer"/> or, without one, in a transaction of its own that it commits.</summary>
    public async Task<T> InTransactionAsync<T>(DbTransaction? outer, Func<DbTransaction, Task<T>> work, CancellationToken cancellationToken = default)
    {
        if (outer is not null)
            return await work(outer);
        await using var connection = await database.OpenAsync(cancellationToken);
        // SQLite: take the write lock at BEGIN; a deferred transaction that reads first cannot upgrade under a busy writer.
        await using var transaction = connection is SqliteConnection sqlite
            ? sqlite.BeginTransaction(deferred: false)
            : await connection.BeginTransactionAsync(cancellationToken);
        var result = await work(transaction);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>
    /// Posts the entry: every account is created on first use, debits must be covered by the available balance (or
    /// the hold they consume), and the entry with its postings is written. A key posted before returns that entry.
    /// </summary>
    public Task<QuotaPostOutcome> PostAsync(QuotaEntryDraft draft, string by, DateTimeOffset now, DbTransaction? transaction = null,
        CancellationToken cancellationToken = default)
    {
        if (draft.Problem() is { } problem)
            throw new ArgumentException($"quota entry {draft.IdempotencyKey}: {problem}", nameof(draft));
        return InTransactionAsync(transaction, tx => PostInAsync(tx, draft, by, now, cancellationToken), cancellationToken);
    }

    private async Task<QuotaPostOutcome> PostInAsync(DbTransaction tx, QuotaEntryDraft draft, string by, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var connection = tx.Connection!;
        var earlier = await EntryIdAsync(tx, draft.IdempotencyKey, cancellationToken);
        if (earlier is not null)
            return new(earlier, true, null);
        const string savepoint = "quota_entry";
        await tx.SaveAsync(savepoint, cancellationToken);
        var entryId = Guid.CreateVersion7(now);
        var at = Instants.ForStorage(now);
        var insertEntry =
            "INSERT INTO quota_entries (id, idempotency_key, kind, pollutant, amount, reference, memo, created_at, created_by) " +
            "VALUES (@entryId, @key, @kind, @pollutant, @amount, @reference, @memo, @at, @by)";
        insertEntry = database.Provider == DatabaseProvider.SqlServer
            ? $"IF NOT EXISTS (SELECT 1 FROM quota_entries WITH (UPDLOCK, HOLDLOCK) WHERE idempotency_key = @key) {insertEntry}"
            : $"{insertEntry} ON CONFLICT (idempotency_key) DO NOTHING";
        var inserted = await connection.ExecuteAsync(new CommandDefinition(insertEntry, new
        {
            entryId, key = draft.IdempotencyKey, kind = draft.Kind, pollutant = draft.Pollutant, amount = draft.Amount, reference = draft.Reference,
            memo = draft.Memo, at, by,
        }, tx, cancellationToken: cancellationToken));
        if (inserted == 0)
        {
            // A concurrent replay committed the key first (PostgreSQL waited for it): that entry stands.
            await tx.RollbackAsync(savepoint, cancellationToken);
            return new(await EntryIdAsync(tx, draft.IdempotencyKey, cancellationToken), true, null);
        }
        foreach (var posting in draft.Postings.OrderBy(p => p.Holder, Comparer<QuotaHolder>.Create(QuotaHolder.Compare)))
        {
            await EnsureAccountAsync(tx, posting.Holder, draft.Pollutant, at, cancellationToken);
            var changed = await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE quota_accounts SET balance = balance + @amount, reserved = reserved - @held " +
                "WHERE holder_kind = @kind AND holder_id = @id AND pollutant = @pollutant AND reserved >= @held " +
                "AND (holder_kind = 'system' OR balance - reserved + @held + @amount >= 0)",
                new { amount = posting.Amount, held = posting.FromHold ? -posting.Amount : 0L, kind = posting.Holder.Kind, id = posting.Holder.Id, pollutant = draft.Pollutant },
                tx, cancellationToken: cancellationToken));
            if (changed == 0)
            {
                await tx.RollbackAsync(savepoint, cancellationToken);
                return new(null, false, posting.Holder);
            }
            var balanceAfter = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT balance FROM quota_accounts WHERE holder_kind = @kind AND holder_id = @id AND pollutant = @pollutant",
                new { kind = posting.Holder.Kind, id = posting.Holder.Id, pollutant = draft.Pollutant }, tx, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO quota_postings (entry_id, holder_kind, holder_id, pollutant, amount, balance_after) " +
                "VALUES (@entryId, @kind, @id, @pollutant, @amount, @balanceAfter)",
                new { entryId, kind = posting.Holder.Kind, id = posting.Holder.Id, pollutant = draft.Pollutant, amount = posting.Amount, balanceAfter },
                tx, cancellationToken: cancellationToken));
        }
        if (database.Provider != DatabaseProvider.SqlServer) // SQL Server has no RELEASE SAVEPOINT
            await tx.ReleaseAsync(savepoint, cancellationToken);
        return new(entryId, false, null);
    }

    /// <summary>An entry's kind, pollutant and amount (e.g. to tell a replay with the same amount from a conflicting one).</summary>
    public async Task<(string Kind, string Pollutant, long Amount)?> EntryAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(string, string, long)?>(new CommandDefinition(
            "SELECT kind, pollutant, amount FROM quota_entries WHERE id = @id", new { id }, cancellationToken: cancellationToken));
        return row;
    }

    private static async Task<Guid?> EntryIdAsync(DbTransaction tx, string key, CancellationToken cancellationToken) =>
        await tx.Connection!.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition(
            "SELECT id FROM quota_entries WHERE idempotency_key = @key", new { key }, tx, cancellationToken: cancellationToken));

    private async Task EnsureAccountAsync(DbTransaction tx, QuotaHolder holder, string pollutant, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var insert = "INSERT INTO quota_accounts (holder_kind, holder_id, pollutant, city, balance, reserved, created_at) " +
                     "VALUES (@kind, @id, @pollutant, @city, 0, 0, @at)";
        insert = database.Provider == DatabaseProvider.SqlServer
            ? "IF NOT EXISTS (SELECT 1 FROM quota_accounts WITH (UPDLOCK, HOLDLOCK) WHERE holder_kind = @kind AND holder_id = @id AND pollutant = @pollutant) " + insert
            : insert + " ON CONFLICT (holder_kind, holder_id, pollutant) DO NOTHING";
        await tx.Connection!.ExecuteAsync(new CommandDefinition(insert, new { kind = holder.Kind, id = holder.Id, pollutant, city = holder.City, at },
            tx, cancellationToken: cancellationToken));
    }

    /// <summary>Holds <paramref name="amount"/> of the available balance for an offer or deposit; false when not available.</summary>
    public async Task<bool> HoldAsync(DbTransaction tx, QuotaHolder holder, string pollutant, long amount, DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        await EnsureAccountAsync(tx, holder, pollutant, Instants.ForStorage(now), cancellationToken);
        return await tx.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE quota_accounts SET reserved = reserved + @amount " +
            "WHERE holder_kind = @kind AND holder_id = @id AND pollutant = @pollutant AND balance - reserved >= @amount",
            new { amount, kind = holder.Kind, id = holder.Id, pollutant }, tx, cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>Gives a hold back (offer rejected or cancelled before settlement); false when nothing that large is held.</summary>
    public async Task<bool> ReleaseAsync(DbTransaction tx, QuotaHolder holder, string pollutant, long amount, CancellationToken cancellationToken = default) =>
        await tx.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE quota_accounts SET reserved = reserved - @amount " +
            "WHERE holder_kind = @kind AND holder_id = @id AND pollutant = @pollutant AND reserved >= @amount",
            new { amount, kind = holder.Kind, id = holder.Id, pollutant }, tx, cancellationToken: cancellationToken)) == 1;

    private const string SelectAccount =
        "SELECT holder_kind AS HolderKind, holder_id AS HolderId, pollutant AS Pollutant, city AS City, balance AS Balance, reserved AS Reserved " +
        "FROM quota_accounts";

    /// <summary>Accounts matching every filter given (system accounts only when asked for by kind), ordered by holder and pollutant.</summary>
    public async Task<IReadOnlyList<QuotaAccount>> AccountsAsync(string? city = null, string? holderKind = null, string? holderId = null,
        string? pollutant = null, DbTransaction? transaction = null, CancellationToken cancellationToken = default)
    {
        var sql = $"{SelectAccount} WHERE (@city IS NULL OR city = @city) AND (@holderKind IS NULL OR holder_kind = @holderKind) " +
                  "AND (@holderKind IS NOT NULL OR holder_kind <> 'system') " +
                  "AND (@holderId IS NULL OR holder_id = @holderId) AND (@pollutant IS NULL OR pollutant = @pollutant) ORDER BY holder_kind, holder_id, pollutant";
        await using var owned = transaction is null ? await database.OpenAsync(cancellationToken) : null;
        return (await (owned ?? transaction!.Connection!).QueryAsync<QuotaAccount>(new CommandDefinition(sql,
            new { city, holderKind, holderId, pollutant }, transaction, cancellationToken: cancellationToken))).ToList();
    }

    public async Task<QuotaAccount?> AccountAsync(QuotaHolder holder, string pollutant, DbTransaction? transaction = null, CancellationToken cancellationToken = default) =>
        (await AccountsAsync(null, holder.Kind, holder.Id, pollutant, transaction, cancellationToken)).SingleOrDefault();

    /// <summary>An account's postings, newest first.</summary>
    public async Task<IReadOnlyList<QuotaMovement>> HistoryAsync(QuotaHolder holder, string pollutant, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var sql = database.Dialect.Limit(
            "SELECT p.sequence AS Sequence, p.entry_id AS EntryId, e.kind AS Kind, e.reference AS Reference, e.memo AS Memo, p.amount AS Amount, " +
            "p.balance_after AS BalanceAfter, e.created_at AS CreatedAt, e.created_by AS CreatedBy " +
            "FROM quota_postings p JOIN quota_entries e ON e.id = p.entry_id " +
            "WHERE p.holder_kind = @kind AND p.holder_id = @id AND p.pollutant = @pollutant ORDER BY p.sequence DESC", "@limit");
        return (await connection.QueryAsync<MovementRow>(new CommandDefinition(sql,
            new { kind = holder.Kind, id = holder.Id, pollutant, limit }, cancellationToken: cancellationToken)))
            .Select(r => new QuotaMovement(r.Sequence, r.EntryId, r.Kind, r.Reference, r.Memo, r.Amount, r.BalanceAfter, r.CreatedAt, r.CreatedBy)).ToList();
    }

    private sealed class MovementRow
    {
        public long Sequence { get; init; }
        public Guid EntryId { get; init; }
        public string Kind { get; init; } = "";
        public string Reference { get; init; } = "";
        public string? Memo { get; init; }
        public long Amount { get; init; }
        public long BalanceAfter { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public string CreatedBy { get; init; } = "";
    }

    /// <summary>
    /// The pollutant's totals: what the holders have (all accounts but the system ones), what was ever issued and
    /// retired. Holders = issued − retired always: the conservation the double entry keeps.
    /// </summary>
    public async Task<(long Held, long Issued, long Retired)> TotalsAsync(string pollutant, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleAsync<(long?, long?, long?)>(new CommandDefinition(
            "SELECT CAST(SUM(CASE WHEN holder_kind <> 'system' THEN balance ELSE 0 END) AS BIGINT), " +
            "CAST(SUM(CASE WHEN holder_kind = 'system' AND holder_id = 'issuance' THEN -balance ELSE 0 END) AS BIGINT), " +
            "CAST(SUM(CASE WHEN holder_kind = 'system' AND holder_id = 'retirement' THEN balance ELSE 0 END) AS BIGINT) FROM quota_accounts WHERE pollutant = @pollutant",
            new { pollutant }, cancellationToken: cancellationToken));
        return (row.Item1 ?? 0, row.Item2 ?? 0, row.Item3 ?? 0);
    }

    /// <summary>The sum of each entry's postings that is not zero (none, when the ledger is sound), for checks and tests.</summary>
    public async Task<int> UnbalancedEntriesAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM (SELECT entry_id FROM quota_postings GROUP BY entry_id HAVING SUM(amount) <> 0) x", cancellationToken: cancellationToken));
    }
}
