using CleanProdFlow.Data.Reception;
using CleanProdFlow.Engine.Runtime;

namespace CleanProdFlow.Web.Reception;

public static class ReceptionRegistration
{
    /// <summary>Environmental reception day (issue 9, measure 10): the store, the intake, the status handler and the start-up recovery.</summary>
    public static void AddReceptionDay(this IServiceCollection services)
    {
        services.AddSingleton<ReceptionStore>();
        services.AddSingleton<ReceptionIntake>();
        services.AddSingleton<IServiceTaskHandler, ReceptionStatusHandler>();
        services.AddHostedService<ReceptionRecovery>();
    }
}

/// <summary>Once the host has started (after migrations and the shipped definitions): <see cref="ReceptionIntake.RecoverAsync"/>.</summary>
public sealed class ReceptionRecovery(IHostApplicationLifetime lifetime, ReceptionIntake intake, ILogger<ReceptionRecovery> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() => _ = Task.Run(async () =>
        {
            try
            {
                await intake.RecoverAsync(lifetime.ApplicationStopping);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Reception-day recovery at start-up failed; unstarted requests wait for the next start");
            }
        }));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
