using CleanProdFlow.Data.Workflows;

namespace CleanProdFlow.Web.Admin;

/// <summary>The administrators' services, shared by their pages and the admin API (calendar loads, accounts).</summary>
public static class AdminRegistration
{
    public static void AddCleanProdFlowAdmin(this IServiceCollection services)
    {
        services.AddSingleton<DefinitionCatalog>();
        services.AddSingleton<CalendarYearLoading>();
        services.AddSingleton<UserAdministration>();
    }
}
