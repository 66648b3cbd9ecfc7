using CleanProdFlow.Data.Notifications;
using CleanProdFlow.Web.Hosting;
using Hangfire;

namespace CleanProdFlow.Web.Notifications;

/// <summary>
/// Delivers the outbox: turns recorded events into one notification per user who holds their groups, in batches of
/// up to <see cref="BatchSize"/> events per transaction, then hands the due e-mails to <see cref="NotificationMail"/>.
/// A committed step signals it; it waits <see cref="GatherDelay"/> so that the events of a busy moment share one
/// transaction (a job and a commit per event took as many commits as the engine's own steps on SQLite's single
/// writer), and polls every <see cref="PollInterval"/> for events another node recorded or a signal never sent (a
/// crash between commit and signal). Delivering again makes nothing new: only events not yet fanned out are read.
/// </summary>
public sealed class NotificationOutbox(NotificationStore store, NotificationSettings settings, IBackgroundJobClient jobs, TimeProvider time,
    IHostApplicationLifetime lifetime, ILogger<NotificationOutbox> logger) : BackgroundService
{
    public const int BatchSize = 200;
    public static readonly TimeSpan GatherDelay = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);

    private readonly SemaphoreSlim _signal = new(0, 1);

    /// <summary>Events were recorded and committed: deliver them soon. Any number of signals before the next round make one round.</summary>
    public void Signal()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // A round is already due.
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Once the host serves (the database is migrated); the first round delivers what waited over a restart.
        if (!await HostStarted.WaitAsync(lifetime, stoppingToken))
            return;
        try
        {
            while (true)
            {
                try
                {
                    await DeliverAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The events stay recorded and undelivered; the next round tries again.
                    logger.LogWarning(e, "Notification delivery failed; trying again");
                    await Task.Delay(RetryDelay, stoppingToken);
                    continue;
                }
                await _signal.WaitAsync(PollInterval, stoppingToken);
                await Task.Delay(GatherDelay, stoppingToken); // real time, whatever clock the product reads
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Fans out every recorded event not fanned out yet, batch after batch; returns how many events it fanned out.</summary>
    public async Task<int> DeliverAsync(CancellationToken cancellationToken)
    {
        var events = 0;
        while (true)
        {
            var batch = await store.FanOutPendingAsync(BatchSize, settings.EmailEnabled, time.GetUtcNow(), cancellationToken);
            events += batch.Events;
            foreach (var id in batch.DueEmails)
                jobs.Enqueue<NotificationMail>(job => job.SendAsync(id, CancellationToken.None));
            if (batch.Events < BatchSize)
                return events;
        }
    }

    /// <summary>At start-up: e-mails still due (in-memory Hangfire beside SQLite loses its jobs on restart).</summary>
    public async Task RecoverEmailsAsync(CancellationToken cancellationToken)
    {
        if (!settings.EmailEnabled)
            return;
        foreach (var id in await store.PendingEmailsAsync(cancellationToken))
            jobs.Enqueue<NotificationMail>(job => job.SendAsync(id, CancellationToken.None));
    }
}
