using System.Data.Common;
using CleanProdFlow.Data.Database;
using CleanProdFlow.Data.Quota;
using CleanProdFlow.Domain.Quota;
using CleanProdFlow.TestSupport;
using CsCheck;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;

namespace CleanProdFlow.Data.Tests.Quota;

/// <summary>
/// The quota ledger on every provider: balanced entries, idempotent replay, holds, no negative balance, append-only
/// postings, conservation over random operation sequences, and concurrent traders.
/// </summary>
public abstract class QuotaLedgerConformance
{
    protected abstract DatabaseProvider Provider { get; }

    /// <summary>Traders and trades each in the concurrency test (PostgreSQL runs the full 8 × 1,000 in its own test).</summary>
    protected virtual (int Traders, int Trades) Concurrency => (4, 60);

    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2027-03-01T09:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture);

    private static QuotaHolder Firm(int n) => QuotaHolder.Enterprise($"91320500MA0000{n:D4}", "suzhou");

    private async Task<(TestDatabase Database, QuotaLedger Ledger)> LedgerAsync()
    {
        var database = await TestDatabase.CreateAsync(Provider);
        await new DatabaseMigrator(database.Database, NullLogger<DatabaseMigrator>.Instance).MigrateAsync();
        return (database, new QuotaLedger(database.Database));
    }

    private static QuotaEntryDraft Issue(QuotaHolder to, long milli, string key) => QuotaEntryDraft.Issuance(to, "COD", milli, key, "audit-" + key);

    private static QuotaEntryDraft Trade(QuotaHolder from, QuotaHolder to, long milli, string key, bool fromHold = false) =>
        QuotaEntryDraft.Transfer(QuotaEntryDraft.TradeKind, from, to, "COD", milli, key, "offer-" + key, fromHold);

    private static async Task<int> CountAsync(TestDatabase database, string sql)
    {
        await using var connection = await database.Database.OpenAsync();
        return await connection.ExecuteScalarAsync<int>(sql);
    }

    [SkippableFact]
    public async Task An_issuance_and_a_trade_post_balanced_entries_and_a_replay_posts_nothing()
    {
        var (database, ledger) = await LedgerAsync();
        await using var _ = database;
        var issued = await ledger.PostAsync(Issue(Firm(1), 10_000, "r1"), "audit.suzhou", Now);
        Assert.True(issued.Done);
        Assert.False(issued.Replayed);
        var replay = await ledger.PostAsync(Issue(Firm(1), 10_000, "r1"), "audit.suzhou", Now.AddMinutes(1));
        Assert.True(replay.Replayed);
        Assert.Equal(issued.EntryId, replay.EntryId);
        var traded = await ledger.PostAsync(Trade(Firm(1), Firm(2), 2_500, "t1"), "quota.suzhou", Now);
        Assert.True(traded.Done);
        Assert.True((await ledger.PostAsync(Trade(Firm(1), Firm(2), 2_500, "t1"), "quota.suzhou", Now)).Replayed);

        Assert.Equal(7_500, (await ledger.AccountAsync(Firm(1), "COD"))!.Balance);
        Assert.Equal(2_500, (await ledger.AccountAsync(Firm(2), "COD"))!.Balance);
        Assert.Equal(-10_000, (await ledger.AccountAsync(QuotaHolder.Issuance, "COD"))!.Balance);
        Assert.Equal((10_000L, 10_000L, 0L), await ledger.TotalsAsync("COD"));
        Assert.Equal(2, await CountAsync(database, "SELECT COUNT(*) FROM quota_entries"));
        Assert.Equal(4, await CountAsync(database, "SELECT COUNT(*) FROM quota_postings"));
        Assert.Equal(0, await ledger.UnbalancedEntriesAsync());
        var history = await ledger.HistoryAsync(Firm(1), "COD", 10);
        Assert.Equal([-2_500L, 10_000L], history.Select(h => h.Amount));
        Assert.Equal([7_500L, 10_000L], history.Select(h => h.BalanceAfter));
        Assert.Equal("trade", history[0].Kind);
    }

    [SkippableFact]
    public async Task A_debit_beyond_the_available_balance_is_refused_and_posts_nothing()
    {
        var (database, ledger) = await LedgerAsync();
        await using var _ = database;
        await ledger.PostAsync(Issue(Firm(1), 1_000, "r1"), "audit", Now);
        var refused = await ledger.PostAsync(Trade(Firm(1), Firm(2), 1_001, "t1"), "quota", Now);
        Assert.False(refused.Done);
        Assert.Equal(Firm(1), refused.ShortHolder);
        Assert.Equal(1, await CountAsync(database, "SELECT COUNT(*) FROM quota_entries"));
        Assert.Equal(1_000, (await ledger.AccountAsync(Firm(1), "COD"))!.Balance);
        // The key was not used up: the same movement posts once it is covered.
        await ledger.PostAsync(Issue(Firm(1), 1, "r2"), "audit", Now);
        Assert.True((await ledger.PostAsync(Trade(Firm(1), Firm(2), 1_001, "t1"), "quota", Now)).Done);
        Assert.Equal(0, (await ledger.AccountAsync(Firm(1), "COD"))!.Balance);
    }

    [SkippableFact]
    public async Task A_hold_keeps_its_amount_from_other_debits_until_released_or_consumed()
    {
        var (database, ledger) = await LedgerAsync();
        await using var _ = database;
        await ledger.PostAsync(Issue(Firm(1), 10_000, "r1"), "audit", Now);
        Assert.True(await ledger.InTransactionAsync(null, tx => ledger.HoldAsync(tx, Firm(1), "COD", 6_000, Now)));
        Assert.False(await ledger.InTransactionAsync(null, tx => ledger.HoldAsync(tx, Firm(1), "COD", 4_001, Now)));
        Assert.False((await ledger.PostAsync(Trade(Firm(1), Firm(2), 4_001, "t1"), "quota", Now)).Done);
        var account = (await ledger.AccountAsync(Firm(1), "COD"))!;
        Assert.Equal((10_000L, 6_000L, 4_000L), (account.Balance, account.Reserved, account.Available));
        // Settlement consumes the hold; the rest of the hold is released.
        Assert.True((await ledger.PostAsync(Trade(Firm(1), Firm(2), 5_000, "t2", fromHold: true), "quota", Now)).Done);
        Assert.True(await ledger.InTransactionAsync(null, tx => ledger.ReleaseAsync(tx, Firm(1), "COD", 1_000)));
        Assert.False(await ledger.InTransactionAsync(null, tx => ledger.ReleaseAsync(tx, Firm(1), "COD", 1)));
        account = (await ledger.AccountAsync(Firm(1), "COD"))!;
        Assert.Equal((5_000L, 0L), (account.Balance, account.Reserved));
    }

    [SkippableFact]
    public async Task Postings_and_entries_are_append_only_and_a_malformed_entry_is_refused()
    {
        var (database, ledger) = await LedgerAsync();
        await using var _ = database;
        await ledger.PostAsync(Issue(Firm(1), 1_000, "r1"), "audit", Now);
        await using var connection = await database.Database.OpenAsync();
        await Assert.ThrowsAnyAsync<DbException>(() => connection.ExecuteAsync("UPDATE quota_postings SET amount = 5"));
        await Assert.ThrowsAnyAsync<DbException>(() => connection.ExecuteAsync("DELETE FROM quota_postings"));
        await Assert.ThrowsAnyAsync<DbException>(() => connection.ExecuteAsync("DELETE FROM quota_entries"));
        // The CHECK refuses a negative balance even to SQL that bypasses the ledger.
        await Assert.ThrowsAnyAsync<DbException>(() => connection.ExecuteAsync("UPDATE quota_accounts SET balance = -1 WHERE holder_kind = 'enterprise'"));
        await Assert.ThrowsAsync<ArgumentException>(() => ledger.PostAsync(
            new QuotaEntryDraft("trade", "COD", 5, "bad", "x", null, [new(Firm(1), -5), new(Firm(2), 4)]), "quota", Now));
        await Assert.ThrowsAsync<ArgumentException>(() => ledger.PostAsync(
            QuotaEntryDraft.Transfer("trade", QuotaHolder.Issuance, Firm(2), "COD", 5, "sys", "x"), "quota", Now));
        await Assert.ThrowsAsync<ArgumentException>(() => ledger.PostAsync(Issue(Firm(1), 5, "k") with { Pollutant = "CO2" }, "quota", Now));
    }

    private sealed record Operation(int Kind, int From, int To, long Amount);

    /// <summary>
    /// Random sequences of issuances, trades, deposits into the reserve, allocations from it, holds, releases,
    /// retirements and replays: after each sequence the holders' total per pollutant has changed by exactly what
    /// was issued minus what was retired, no balance is negative, and every entry is balanced.
    /// </summary>
    [SkippableFact]
    public async Task Conservation_holds_over_random_operation_sequences()
    {
        var (database, ledger) = await LedgerAsync();
        await using var _ = database;
        QuotaHolder[] holders = [Firm(1), Firm(2), Firm(3), QuotaHolder.CityReserve("suzhou"), QuotaHolder.ProvinceReserve];
        string[] pollutants = ["COD", "VOCs"];
        var sequence = 0;
        var operation = Gen.Select(Gen.Int[0, 6], Gen.Int[0, holders.Length - 1], Gen.Int[0, holders.Length - 1], Gen.Long[1, 5_000],
            (kind, from, to, amount) => new Operation(kind, from, to, amount));
        await Gen.Select(operation.Array[1, 25], Gen.Int[0, 1]).SampleAsync(async (operations, p) =>
        {
            var pollutant = pollutants[p];
            var before = await ledger.TotalsAsync(pollutant);
            long issued = 0, retired = 0;
            var run = Interlocked.Increment(ref sequence);
            string? lastKey = null;
            for (var i = 0; i < operations.Length; i++)
            {
                var (kind, from, to, amount) = (operations[i].Kind, holders[operations[i].From], holders[operations[i].To], operations[i].Amount);
                var key = $"{run}-{i}";
                switch (kind)
                {
                    case 0:
                        if ((await ledger.PostAsync(QuotaEntryDraft.Issuance(to, pollutant, amount, key, "audit"), "t", Now)).Done)
                            (issued, lastKey) = (issued + amount, key);
                        break;
                    case 1 when from != to:
                        if ((await ledger.PostAsync(QuotaEntryDraft.Transfer("trade", from, to, pollutant, amount, key, "offer"), "t", Now)).Done)
                            lastKey = key;
                        break;
                    case 2:
                        await ledger.InTransactionAsync(null, tx => ledger.HoldAsync(tx, from, pollutant, amount, Now));
                        break;
                    case 3:
                        await ledger.InTransactionAsync(null, tx => ledger.ReleaseAsync(tx, from, pollutant, amount));
                        break;
                    case 4 when from != to:
                        await ledger.PostAsync(QuotaEntryDraft.Transfer("deposit", from, to, pollutant, amount, key, "deposit", fromHold: true), "t", Now);
                        break;
                    case 5:
                        var retirement = await ledger.PostAsync(QuotaEntryDraft.Retirement(from, pollutant, amount, key, "closure"), "t", Now);
                        if (retirement is { Done: true, Replayed: false })
                            (retired, lastKey) = (retired + amount, key);
                        break;
                    case 6 when lastKey is not null:
                        // Replaying an earlier key with any content posts nothing.
                        Assert.True((await ledger.PostAsync(QuotaEntryDraft.Issuance(to, pollutant, amount, lastKey, "audit"), "t", Now)).Replayed, lastKey);
                        break;
                }
            }
            var after = await ledger.TotalsAsync(pollutant);
            Assert.Equal(before.Held + issued - retired, after.Held);
            Assert.Equal(after.Issued - after.Retired, after.Held);
            Assert.All(await ledger.AccountsAsync(pollutant: pollutant), a => Assert.True(a.Balance >= a.Reserved && a.Reserved >= 0));
        }, iter: 60, threads: 1);
        Assert.Equal(0, await ledger.UnbalancedEntriesAsync());
    }

    [SkippableFact]
    public async Task Concurrent_traders_never_overdraw_an_account_nor_lose_an_update() => await ConcurrentTradersAsync(Concurrency.Traders, Concurrency.Trades);

    /// <summary>
    /// Traders at once, each posting trades between four enterprises at random (amounts often larger than what the
    /// payer has): every posted trade is reflected exactly, refused ones are not, nothing goes negative.
    /// </summary>
    protected async Task ConcurrentTradersAsync(int traders, int trades)
    {
        var (database, ledger) = await LedgerAsync();
        await using var _ = database;
        QuotaHolder[] firms = [Firm(1), Firm(2), Firm(3), Firm(4)];
        foreach (var firm in firms)
            await ledger.PostAsync(Issue(firm, 50_000, firm.Id), "audit", Now);
        var posted = new long[traders];
        var refused = new int[traders];
        await Task.WhenAll(Enumerable.Range(0, traders).Select(t => Task.Run(async () =>
        {
            var random = new Random(t);
            for (var i = 0; i < trades; i++)
            {
                var from = firms[random.Next(firms.Length)];
                var to = firms[(Array.IndexOf(firms, from) + 1 + random.Next(firms.Length - 1)) % firms.Length];
                var outcome = await ledger.PostAsync(Trade(from, to, random.Next(1, 20_000), $"trader{t}-{i}"), $"trader{t}", Now);
                if (outcome.Done)
                    posted[t]++;
                else
                    refused[t]++;
            }
        })));
        var accounts = await ledger.AccountsAsync(holderKind: QuotaHolder.EnterpriseKind, pollutant: "COD");
        Assert.All(accounts, a => Assert.True(a.Balance >= 0));
        Assert.Equal(200_000, accounts.Sum(a => a.Balance));
        Assert.Equal(posted.Sum() + firms.Length, await CountAsync(database, "SELECT COUNT(*) FROM quota_entries"));
        Assert.Equal(traders * trades, posted.Sum() + refused.Sum());
        Assert.True(posted.Sum() > traders * trades / 4, $"only {posted.Sum()} of {traders * trades} trades posted");
        Assert.Equal(0, await ledger.UnbalancedEntriesAsync());
        // Each account's balance is the sum of its postings: no update was lost.
        await using var connection = await database.Database.OpenAsync();
        foreach (var account in accounts)
            Assert.Equal(account.Balance, await connection.ExecuteScalarAsync<long>(
                "SELECT CAST(SUM(amount) AS BIGINT) FROM quota_postings WHERE holder_kind = 'enterprise' AND holder_id = @id", new { id = account.HolderId }));
    }
}

public sealed class SqliteQuotaLedgerConformance : QuotaLedgerConformance
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class PostgresQuotaLedgerConformance : QuotaLedgerConformance
{
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;

    /// <summary>The issue's load: 8 concurrent traders, 1,000 trades each, straight through the ledger.</summary>
    [SkippableFact]
    public async Task Eight_traders_each_doing_a_thousand_trades_never_overdraw() => await ConcurrentTradersAsync(8, 1_000);
}
