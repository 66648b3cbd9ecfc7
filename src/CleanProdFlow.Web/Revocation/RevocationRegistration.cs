using CleanProdFlow.Data.Revocation;
using CleanProdFlow.Engine.Runtime;

namespace CleanProdFlow.Web.Revocation;

public static class RevocationRegistration
{
    /// <summary>Revocation of incentives (issue 8): the case store, the triggers, the handlers and the start-up recovery.</summary>
    public static void AddIncentiveRevocation(this IServiceCollection services)
    {
        services.AddSingleton<RevocationStore>();
        services.AddSingleton<RevocationTriggers>();
        services.AddTransient<RevocationCorrelation>();
        services.AddSingleton<IServiceTaskHandler, RevocationStatusHandler>();
        services.AddSingleton<IServiceTaskHandler, RevocationApplyHandler>();
        services.AddSingleton<IServiceTaskHandler, RevocationKeepHandler>();
        services.AddSingleton<IServiceTaskHandler, RevocationReviewHandler>();
        services.AddHostedService<RevocationRecovery>();
    }
}

/// <summary>Once the host has started (after migrations and the shipped definitions): <see cref="RevocationTriggers.RecoverAsync"/>.</summary>
public sealed class RevocationRecovery(IHostApplicationLifetime lifetime, RevocationTriggers triggers, ILogger<RevocationRecovery> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() => _ = Task.Run(async () =>
        {
            try
            {
                await triggers.RecoverAsync(lifetime.ApplicationStopping);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Revocation recovery at start-up failed; unstarted cases and pending messages wait for the next start");
            }
        }));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
