using CleanProdFlow.Data.Workflows;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.Web.VirtualTime;
using CleanProdFlow.Web.Scheduling;
using Hangfire;

namespace CleanProdFlow.Web.Workflows;

/// <summary>The workflow engine in the host: store, runtime, statutory time, the timer pump and sweep, shipped definitions.</summary>
public static class WorkflowRegistration
{
    public static void AddCleanProdFlowWorkflows(this IServiceCollection services)
    {
        services.AddSingleton(provider => WorkflowSettings.Read(provider.GetRequiredService<IConfiguration>()));
        services.AddSingleton<IWorkflowStore, WorkflowStore>();
        services.AddSingleton<IStatutoryDueDates, StatutoryDueDates>();
        services.AddSingleton<TimerAlarm>();
        services.AddSingleton<ITimerScheduler>(provider => provider.GetRequiredService<TimerAlarm>());
        services.AddSingleton(provider =>
        {
            var runtime = ActivatorUtilities.CreateInstance<WorkflowRuntime>(provider);
            runtime.MaxDefinitionBytes = provider.GetRequiredService<WorkflowSettings>().MaxDefinitionBytes;
            return runtime;
        });
        services.AddTransient<TimerJobs>();
        // Fires timers from the table on the System clock; its first round runs once the host serves.
        services.AddSingleton<TimerPump>();
        services.AddHostedService(provider => provider.GetRequiredService<TimerPump>());
    }

    /// <summary>
    /// Before the first request, after migrations and statutory time: deploy the shipped definitions, fire every timer
    /// that fell due while no node ran and schedule the recurring sweep; the <see cref="TimerPump"/> takes over once the
    /// host serves. A restart loses no timer.
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
        logger.LogInformation("Workflow timers at start-up: {Fired} overdue fired; {Delivery}; sweep {Cron}",
            fired, clock.IsVirtual ? "virtual clock: timers fire when it is moved" : "the timer pump fires the others once serving", settings.SweepCron);
    }
}
