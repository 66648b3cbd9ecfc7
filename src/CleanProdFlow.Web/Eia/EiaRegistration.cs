using CleanProdFlow.Data.Eia;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.Web.Hosting;

namespace CleanProdFlow.Web.Eia;

public static class EiaRegistration
{
    /// <summary>EIA approval (issue 6): the application store and the service-task handlers the EIA definitions call, and the start-up recovery of applications whose start was cut off.</summary>
    public static void AddEiaApproval(this IServiceCollection services)
    {
        services.AddSingleton<EiaApplicationStore>();
        services.AddSingleton<EiaWorkflowStart>();
        services.AddRecoveryAtStart("EIA", "applications without a workflow wait for the next start",
            (provider, stopping) => provider.GetRequiredService<EiaWorkflowStart>().RecoverAsync(stopping));
        services.AddSingleton<IServiceTaskHandler, EiaStatusHandler>();
        services.AddSingleton<IServiceTaskHandler, EiaFastTrackEndedHandler>();
    }
}
