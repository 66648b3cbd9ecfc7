using CleanProdFlow.Data.Reception;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.Web.Hosting;

namespace CleanProdFlow.Web.Reception;

public static class ReceptionRegistration
{
    /// <summary>Environmental reception day (issue 9, measure 10): the store, the intake, the status handler and the start-up recovery.</summary>
    public static void AddReceptionDay(this IServiceCollection services)
    {
        services.AddSingleton<ReceptionStore>();
        services.AddSingleton<ReceptionIntake>();
        services.AddSingleton<IServiceTaskHandler, ReceptionStatusHandler>();
        services.AddRecoveryAtStart("Reception-day", "unstarted requests wait for the next start",
            (provider, stopping) => provider.GetRequiredService<ReceptionIntake>().RecoverAsync(stopping));
    }
}
