using CleanProdFlow.Data.Database;
using CleanProdFlow.Data.Notifications;
using CleanProdFlow.Domain.Notifications;
using CleanProdFlow.Web.Notifications;
using CleanProdFlow.Web.Tests.Workflows;
using Dapper;

namespace CleanProdFlow.Web.Tests.Notifications;

/// <summary>
/// The outbox's delivery in batches: many events recorded at once are fanned out in a few transactions (at most
/// <see cref="NotificationOutbox.BatchSize"/> events each), each exactly once even when several deliveries run at the
/// same time (two nodes, or the signal and the poll), on SQLite and PostgreSQL.
/// </summary>
public sealed class NotificationOutboxTests(NotificationHostsFixture hosts) : IClassFixture<NotificationHostsFixture>
{
    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Events_recorded_together_are_fanned_out_in_batches_once_each_by_concurrent_deliveries(DatabaseProvider provider)
    {
        var host = await hosts.HostAsync(provider);
        await host.EnsureUserAsync("outbox1.wuxi", "wuxi", "review");
        await host.EnsureUserAsync("outbox2.wuxi", "wuxi", "review", "approver");
        await host.EnsureUserAsync("outbox3.wuxi", "wuxi", "approver");
        var store = host.Service<NotificationStore>();
        var database = host.Service<CpfDatabase>();
        var run = Guid.NewGuid().ToString("N")[..8];
        const int count = 2 * NotificationOutbox.BatchSize + 57;

        // Recorded in one transaction, as a large step would (no signal: only the deliveries below and the poll run).
        static NotificationEvent Event(string run, int i) => new($"outbox-test:{run}:{i}", NotificationKind.Task, null, null, "wuxi",
            i % 2 == 0 ? ["review"] : ["approver"], new("标题", "Title"), new("内容", "Body"), "/tasks", DateTimeOffset.UnixEpoch.AddDays(20_000));
        await using (var write = await WriteTransaction.BeginAsync(database))
        {
            foreach (var chunk in Enumerable.Range(0, count).Chunk(50))
                Assert.Equal(chunk.Length, await store.RecordEventsAsync(write.Transaction, chunk.Select(i => Event(run, i)).ToList()));
            // Recording events again records nothing new: of these three, only the third is new.
            Assert.Equal(1, await store.RecordEventsAsync(write.Transaction, [Event(run, 0), Event(run, 1), Event(run, count)]));
            await write.CommitAsync();
        }

        var outbox = host.Service<NotificationOutbox>();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => outbox.DeliverAsync(CancellationToken.None))));

        await using var connection = await database.OpenAsync();
        var pattern = $"outbox-test:{run}:%";
        const int recorded = count + 1;
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM notification_events WHERE source_key LIKE @pattern AND fanned_out_at IS NULL", new { pattern }));
        // review: outbox1, outbox2 (and the demo reviewer of Wuxi if any); approver: outbox2, outbox3 (and the demo approver).
        var expected = await connection.ExecuteScalarAsync<long>(
            "SELECT COALESCE(SUM(recipients), 0) FROM notification_events WHERE source_key LIKE @pattern", new { pattern });
        Assert.True(expected >= 2 * recorded, $"each event reaches at least its two test users; recipients {expected}");
        Assert.Equal(expected, await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM notifications WHERE source_key LIKE @pattern", new { pattern }));
        Assert.Equal(expected, await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM (SELECT DISTINCT user_id, source_key FROM notifications WHERE source_key LIKE @pattern) d", new { pattern }));
        Assert.Equal(recorded, await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.username = 'outbox2.wuxi' AND n.source_key LIKE @pattern",
            new { pattern }));
        Assert.Equal((recorded + 1) / 2, await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.username = 'outbox1.wuxi' AND n.source_key LIKE @pattern",
            new { pattern }));

        // A batch is one transaction of at most BatchSize events: nothing is left, so a further delivery makes nothing.
        Assert.Equal(0, await outbox.DeliverAsync(CancellationToken.None));
    }

    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_batch_fans_out_at_most_its_size_and_leaves_the_rest_for_the_next(DatabaseProvider provider)
    {
        var host = await hosts.HostAsync(provider);
        await host.EnsureUserAsync("outbox1.wuxi", "wuxi", "review");
        var store = host.Service<NotificationStore>();
        var database = host.Service<CpfDatabase>();
        var run = Guid.NewGuid().ToString("N")[..8];
        // The host's own delivery must not take these first: held back by recording them with a transaction that
        // stays open while the batch below runs is not possible on SQLite (one writer), so count what remains instead.
        await using (var write = await WriteTransaction.BeginAsync(database))
        {
            await store.RecordEventsAsync(write.Transaction, Enumerable.Range(0, 5).Select(i => new NotificationEvent($"outbox-batch:{run}:{i}",
                NotificationKind.Task, null, null, "wuxi", ["review"], new("标题", "Title"), new("内容", "Body"), "/tasks",
                DateTimeOffset.UnixEpoch.AddDays(20_000))).ToList());
            await write.CommitAsync();
        }
        var pending = (await store.PendingEventsAsync()).Count(k => k.StartsWith($"outbox-batch:{run}:", StringComparison.Ordinal));
        var batch = await store.FanOutPendingAsync(2, email: false, DateTimeOffset.UnixEpoch.AddDays(20_000));
        Assert.True(batch.Events <= 2, $"a batch of 2 fanned out {batch.Events}");
        Assert.Empty(batch.DueEmails);
        var left = (await store.PendingEventsAsync()).Count(k => k.StartsWith($"outbox-batch:{run}:", StringComparison.Ordinal));
        Assert.True(left >= pending - 2, $"{pending} pending before a batch of 2, {left} after");
    }
}
