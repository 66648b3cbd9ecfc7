using CleanProdFlow.Data.Programmes;
using CleanProdFlow.Engine.Runtime;

namespace CleanProdFlow.Web.Programmes;

public static class ProgrammeRegistration
{
    /// <summary>The yearly programmes (issue 9 parts 4 and 5): green-finance batches and typical cases — stores and handlers.</summary>
    public static void AddYearlyProgrammes(this IServiceCollection services)
    {
        services.AddSingleton<GreenFinanceStore>();
        services.AddSingleton<TypicalCaseStore>();
        services.AddSingleton<IServiceTaskHandler, GreenFinanceBuildHandler>();
        services.AddSingleton<IServiceTaskHandler, GreenFinanceRecommendHandler>();
        services.AddSingleton<IServiceTaskHandler, TypicalCaseStatusHandler>();
        services.AddSingleton<IServiceTaskHandler, TypicalCasePublishHandler>();
    }
}
