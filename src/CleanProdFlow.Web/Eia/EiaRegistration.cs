using CleanProdFlow.Data.Eia;
using CleanProdFlow.Engine.Runtime;

namespace CleanProdFlow.Web.Eia;

public static class EiaRegistration
{
    /// <summary>EIA approval (issue 6): the application store and the service-task handlers the EIA definitions call.</summary>
    public static void AddEiaApproval(this IServiceCollection services)
    {
        services.AddSingleton<EiaApplicationStore>();
        services.AddSingleton<IServiceTaskHandler, EiaStatusHandler>();
        services.AddSingleton<IServiceTaskHandler, EiaFastTrackEndedHandler>();
    }
}
