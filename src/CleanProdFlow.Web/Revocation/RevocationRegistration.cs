using CleanProdFlow.Data.Revocation;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.Web.Hosting;

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
        services.AddRecoveryAtStart("Revocation", "unstarted cases and pending messages wait for the next start",
            (provider, stopping) => provider.GetRequiredService<RevocationTriggers>().RecoverAsync(stopping));
    }
}
