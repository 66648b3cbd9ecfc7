using CleanProdFlow.Data.Workflows;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.Web.VirtualTime;
using CleanProdFlow.Web.Hosting;
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
        // Handing the horizon's timers to Hangfire takes a while with many of them (10,000 on PostgreSQL storage: about
        // 12 s), so it runs once the host serves; a timer is not late for it, being due later than now.
        services.AddRecoveryAtStart("Workflow timers", "the recurring sweep arms them at its next run", async (provider, stopping) =>
        {
            if (provider.GetRequiredService<ClockSettings>().IsVirtual)
                return;
            var horizon = provider.GetRequiredService<WorkflowSettings>().TimerHorizon;
            var armed = await provider.GetRequiredService<WorkflowRuntime>()
                .ArmTimersDueBeforeAsync(provider.GetRequiredService<TimeProvider>().GetUtcNow() + horizon, stopping);
            provider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(WorkflowRegistration))
                .LogInformation("Workflow timers due within {Horizon} handed to Hangfire after start-up: {Armed}", horizon, armed);
        });
    }

    /// <summary>
    /// Before the first request, after migrations and statutory time: deploy the shipped definitions, fire every timer
    /// that fell due while no node ran and schedule the recurring sweep; the next horizon's timers go to Hangfire once
    /// the host serves (<see cref="AddCleanProdFlowWorkflows"/>). A restart loses no timer.
    /// </summary>
    public static async Task PrepareWorkflowsAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var settings = services.GetRequiredService<WorkflowSettings>();
        var clock = services.GetRequiredService<ClockSettings>();
        var runtime = services.GetRequiredService<WorkflowRuntime>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(WorkflowRegistration));

        await ShippedWorkflows.DeployAsync(runtime, logger, cancellationToken: cancellationToken);

        var fired = await TimerJobs.FireAllDueAsync(runtime, logger, cancellationToken);
        services.GetRequiredService<IRecurringJobManager>().AddOrUpdate<TimerJobs>(TimerJobs.SweepJobId,
            job => job.SweepAsync(CancellationToken.None), settings.SweepCron);
        logger.LogInformation("Workflow timers at start-up: {Fired} overdue fired; the next {Horizon} are handed to Hangfire once serving; sweep {Cron}{Virtual}",
            fired, settings.TimerHorizon, settings.SweepCron, clock.IsVirtual ? " (virtual clock)" : "");
    }
}
