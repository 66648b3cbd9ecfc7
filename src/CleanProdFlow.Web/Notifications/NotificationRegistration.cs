using CleanProdFlow.Data.Notifications;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.Web.Hosting;

namespace CleanProdFlow.Web.Notifications;

public static class NotificationRegistration
{
    /// <summary>Notifications (issue 13 item 5): the outbox observer of every step, the outbox's delivery, the e-mail jobs, the start-up recovery.</summary>
    public static void AddNotifications(this IServiceCollection services)
    {
        services.AddSingleton(provider => NotificationSettings.Read(provider.GetRequiredService<IConfiguration>()));
        services.AddSingleton<NotificationStore>();
        services.AddSingleton<IStepObserver, NotificationObserver>();
        services.AddSingleton<NotificationOutbox>();
        services.AddHostedService(provider => provider.GetRequiredService<NotificationOutbox>());
        services.AddTransient<NotificationMail>();
        services.AddRecoveryAtStart("Notifications", "e-mails not sent wait for the next start",
            (provider, stopping) => provider.GetRequiredService<NotificationOutbox>().RecoverEmailsAsync(stopping));
    }
}
