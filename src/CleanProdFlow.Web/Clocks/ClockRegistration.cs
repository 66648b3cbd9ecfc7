using CleanProdFlow.Data.Timing;
using CleanProdFlow.Engine.Runtime;

namespace CleanProdFlow.Web.Clocks;

public static class ClockRegistration
{
    /// <summary>The clock handlers (clock.start, clock.pause, …) the BPMN definitions call, and the breach records.</summary>
    public static void AddStatutoryClockHandlers(this IServiceCollection services)
    {
        services.AddSingleton<ClockBreachStore>();
        services.AddSingleton<ClockActions>(); // staff pause/resume/extend, for the API and the case page
        services.AddSingleton<IServiceTaskHandler, ClockStartHandler>();
        services.AddSingleton<IServiceTaskHandler, ClockPauseHandler>();
        services.AddSingleton<IServiceTaskHandler, ClockResumeHandler>();
        services.AddSingleton<IServiceTaskHandler, ClockStopHandler>();
        services.AddSingleton<IServiceTaskHandler, ClockEndFastTrackHandler>();
        services.AddSingleton<IServiceTaskHandler, ClockBreachHandler>();
        services.AddSingleton<IServiceTaskHandler, ClockChangeLimitHandler>();
    }
}
