using CleanProdFlow.Data.Notifications;
using Hangfire;

namespace CleanProdFlow.Web.Notifications;

/// <summary>
/// Turns one recorded event into one notification per user who holds its groups in its organisation, then hands the
/// due e-mails to <see cref="NotificationMail"/>. Enqueued after the step committed; run twice, it makes nothing new.
/// </summary>
public sealed class NotificationFanOut(NotificationStore store, NotificationSettings settings, IBackgroundJobClient jobs, TimeProvider time,
    ILogger<NotificationFanOut> logger)
{
    [AutomaticRetry(Attempts = 5)]
    public async Task RunAsync(string sourceKey, CancellationToken cancellationToken)
    {
        var due = await store.FanOutAsync(sourceKey, settings.EmailEnabled, time.GetUtcNow(), cancellationToken);
        if (due is null)
        {
            logger.LogWarning("Notification event {SourceKey} not found (its step rolled back?)", sourceKey);
            return;
        }
        foreach (var id in due)
            jobs.Enqueue<NotificationMail>(job => job.SendAsync(id, CancellationToken.None));
    }

    /// <summary>At start-up: events not fanned out and e-mails still due (in-memory Hangfire beside SQLite loses its jobs on restart).</summary>
    public async Task RecoverAsync(CancellationToken cancellationToken)
    {
        foreach (var key in await store.PendingEventsAsync(cancellationToken))
            jobs.Enqueue<NotificationFanOut>(job => job.RunAsync(key, CancellationToken.None));
        if (!settings.EmailEnabled)
            return;
        foreach (var id in await store.PendingEmailsAsync(cancellationToken))
            jobs.Enqueue<NotificationMail>(job => job.SendAsync(id, CancellationToken.None));
    }
}
