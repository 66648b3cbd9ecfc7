using CleanProdFlow.Data.Notifications;
using Hangfire;
using MailKit.Net.Smtp;
using MimeKit;

namespace CleanProdFlow.Web.Notifications;

/// <summary>
/// Sends one notification's e-mail (a Hangfire job, after the fan-out committed). The row decides: only a due
/// e-mail is claimed (pending → sending), so a job run twice sends once. A refused or unreachable server counts an
/// attempt, keeps its error, and the job schedules itself again after the configured back-off; after the last
/// attempt the e-mail is marked failed (GET /api/v1/admin/notification-emails shows it). The workflow step that
/// caused it committed long before and never waits for this.
/// </summary>
public sealed class NotificationMail(NotificationStore store, NotificationSettings settings, IBackgroundJobClient jobs, TimeProvider time,
    ILogger<NotificationMail> logger)
{
    // Retries are ours (counted on the row, with our back-off), not Hangfire's.
    [AutomaticRetry(Attempts = 0)]
    public async Task SendAsync(long notificationId, CancellationToken cancellationToken)
    {
        if (!settings.EmailEnabled)
            return;
        var notification = await store.ClaimEmailAsync(notificationId, time.GetUtcNow(), cancellationToken);
        if (notification is null || notification.EmailTo is null)
            return;
        try
        {
            await DeliverAsync(Message(notification), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var attempts = await store.EmailFailedAsync(notificationId, Describe(e), settings.MaxAttempts, time.GetUtcNow(), cancellationToken);
            if (attempts < settings.MaxAttempts)
            {
                var delay = settings.DelayAfter(attempts);
                logger.LogWarning("E-mail of notification {NotificationId} failed (attempt {Attempts} of {MaxAttempts}); retrying in {Delay}: {Error}",
                    notificationId, attempts, settings.MaxAttempts, delay, e.Message);
                jobs.Schedule<NotificationMail>(job => job.SendAsync(notificationId, CancellationToken.None), delay);
            }
            else
            {
                logger.LogError("E-mail of notification {NotificationId} failed {Attempts} times and is given up: {Error}", notificationId, attempts, e.Message);
            }
            return;
        }
        await store.EmailSentAsync(notificationId, time.GetUtcNow(), cancellationToken);
    }

    /// <summary>The message: Chinese first, English below, UTF-8 throughout (MimeKit encodes the subject as RFC 2047 UTF-8).</summary>
    public MimeMessage Message(Notification notification)
    {
        var message = new MimeMessage();
        message.From.Add(settings.From!);
        message.To.Add(MailboxAddress.Parse(notification.EmailTo!));
        message.Subject = notification.Title.Zh;
        // One id per notification: a receiving system can drop a repeat after a crash between sending and recording.
        message.MessageId = $"notification-{notification.Id}@cleanprodflow";
        var body = new TextPart("plain");
        body.SetText(System.Text.Encoding.UTF8,
            $"{notification.Title.Zh}\n{notification.Body.Zh}\n\n{notification.Title.En}\n{notification.Body.En}\n\n{notification.Link}\n");
        message.Body = body;
        return message;
    }

    /// <summary>The error as administrators need it: the server's reply code when it answered, else what went wrong.</summary>
    private static string Describe(Exception e) => e switch
    {
        SmtpCommandException command => $"SMTP {(int)command.StatusCode} ({command.ErrorCode}): {command.Message}",
        SmtpProtocolException protocol => $"SMTP protocol: {protocol.Message}",
        _ => $"{e.GetType().Name}: {e.Message}",
    };

    private async Task DeliverAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        using var client = new SmtpClient { Timeout = (int)settings.Timeout.TotalMilliseconds };
        await client.ConnectAsync(settings.Host!, settings.Port, settings.Security, cancellationToken);
        if (settings.User is not null)
            await client.AuthenticateAsync(settings.User, settings.Password ?? "", cancellationToken);
        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
    }
}
