namespace CleanProdFlow.Web.Hosting;

/// <summary>
/// Work that must run once the host has started — after the migrations and the shipped definitions — without holding
/// up the start: e.g. starting the instances of cases whose start was cut off by a crash. A failure is logged and
/// what it did not reach waits for the next start.
/// </summary>
public static class RecoveryAtStart
{
    /// <param name="whatWaits">Ends the error line, e.g. "unstarted requests wait for the next start".</param>
    public static void AddRecoveryAtStart(this IServiceCollection services, string area, string whatWaits,
        Func<IServiceProvider, CancellationToken, Task> recover) =>
        // AddSingleton, not AddHostedService: the latter keeps one registration per implementation type.
        services.AddSingleton<IHostedService>(provider => new Runner(provider.GetRequiredService<IHostApplicationLifetime>(),
            stopping => recover(provider, stopping), area, whatWaits,
            provider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RecoveryAtStart))));

    private sealed class Runner(IHostApplicationLifetime lifetime, Func<CancellationToken, Task> recover, string area, string whatWaits, ILogger logger)
        : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            lifetime.ApplicationStarted.Register(() => _ = Task.Run(async () =>
            {
                try
                {
                    await recover(lifetime.ApplicationStopping);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "{Area} recovery at start-up failed; {WhatWaits}", area, whatWaits);
                }
            }));
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
