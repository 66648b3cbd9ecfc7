using CleanProdFlow.Data.Workflows;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.Web.VirtualTime;
using CleanProdFlow.Web.Scheduling;
using Hangfire;

namespace CleanProdFlow.Web.Workflows;

/// <summary>The workflow engine in the host: store, runtime, statutory time, timers on Hangfire, shipped definitions.</summary>
public static class WorkflowRegistration
{
    public static void AddCleanProdFlowWorkflows(this IServiceCollection services)
    {
        services.AddSingleton(provider => WorkflowSettings.Read(provider.GetRequiredService<IConfiguration>()));
        services.AddSingleton<IWorkflowStore, WorkflowStore>();
        services.AddSingleton<IStatutoryDueDates, StatutoryDueDates>();
        services.AddSingleton<HangfireTimerScheduler>();
        services.AddSingleton<ITimerScheduler>(provider => provider.GetRequiredService<HangfireTimerScheduler>());
        services.AddSingleton(provider =>
        {
            var runtime = ActivatorUtilities.CreateInstance<WorkflowRuntime>(provider);
            runtime.MaxDefinitionBytes = provider.GetRequiredService<WorkflowSettings>().MaxDefinitionBytes;
            return runtime;
        });
        services.AddTransient<TimerJobs>();
    }

    /// <summary>
    /// Before the first request, after migrations and statutory time: deploy the shipped definitions, fire every timer
    /// that fell due while no node ran, hand the next horizon's timers to Hangfire and schedule the recurring sweep.
    /// A restart loses no timer.
    /// </summary>
    public static async Task PrepareWorkflowsAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var settings = services.GetRequiredService<WorkflowSettings>();
        var clock = services.GetRequiredService<ClockSettings>();
        var runtime = services.GetRequiredService<WorkflowRuntime>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(WorkflowRegistration));

        await ShippedWorkflows.DeployAsync(runtime, logger, cancellationToken: cancellationToken);

        var fired = await TimerJobs.FireAllDueAsync(runtime, logger, cancellationToken);
        var armed = clock.IsVirtual
            ? 0
            : await runtime.ArmTimersDueBeforeAsync(services.GetRequiredService<TimeProvider>().GetUtcNow() + settings.TimerHorizon, cancellationToken);
        services.GetRequiredService<IRecurringJobManager>().AddOrUpdate<TimerJobs>(TimerJobs.SweepJobId,
            job => job.SweepAsync(CancellationToken.None), settings.SweepCron);
        logger.LogInformation("Workflow timers at start-up: {Fired} overdue fired, {Armed} due within {Horizon} handed to Hangfire; sweep {Cron}{Virtual}",
            fired, armed, settings.TimerHorizon, settings.SweepCron, clock.IsVirtual ? " (virtual clock)" : "");
    }
}
