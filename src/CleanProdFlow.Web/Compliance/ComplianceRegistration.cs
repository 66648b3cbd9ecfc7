using CleanProdFlow.Data.Compliance;
using CleanProdFlow.Web.Demo;

namespace CleanProdFlow.Web.Compliance;

public static class ComplianceRegistration
{
    /// <summary>Timing compliance for auditors (issue 7): the summary store, the per-case evidence, the demo data of a first run, and the register pages' in-process API.</summary>
    public static void AddCleanProdFlowCompliance(this IServiceCollection services)
    {
        services.AddSingleton<ComplianceStore>();
        services.AddSingleton<TimingEvidence>();
        services.AddHostedService<ComplianceWarmUp>();
        services.AddSingleton<DemoData>();
        services.AddSingleton<InProcessApi>(); // the demo data and the register's import page call the API's own endpoints
    }
}
