using CleanProdFlow.Data.Audit;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.Web.Hosting;

namespace CleanProdFlow.Web.Audit;

public static class AuditRegistration
{
    /// <summary>The audit cycle (issue 9, parts 1–3): store, starters, the workflow steps' handlers and the start-up recovery.</summary>
    public static void AddAuditCycle(this IServiceCollection services)
    {
        services.AddSingleton<AuditStore>();
        services.AddSingleton<AuditCycleStarter>();
        services.AddTransient<ReauditStarter>();
        services.AddSingleton<IServiceTaskHandler, AuditCycleStatusHandler>();
        services.AddSingleton<IServiceTaskHandler, AuditMilestoneHandler>();
        services.AddSingleton<IServiceTaskHandler, AuditEvaluationHandler>();
        services.AddSingleton<IServiceTaskHandler, AuditAcceptanceHandler>();
        services.AddSingleton<IServiceTaskHandler, AuditExtensionReviewHandler>();
        services.AddSingleton<IServiceTaskHandler, AuditExtensionDecisionHandler>();
        services.AddSingleton<IServiceTaskHandler, ReauditSweepHandler>();
        services.AddSingleton<IServiceTaskHandler, ObligationStatusHandler>();
        services.AddSingleton<IServiceTaskHandler, ObligationChoiceHandler>();
        services.AddSingleton<IServiceTaskHandler, ObligationCertificationHandler>();
        services.AddSingleton<IServiceTaskHandler, ObligationOpenCycleHandler>();
        services.AddSingleton<IServiceTaskHandler, ObligationCloseHandler>();
        services.AddRecoveryAtStart("Audit", "unstarted cycles and obligations wait for the next start", AuditRecovery.RecoverAsync);
    }
}
