using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace CleanProdFlow.Web.VirtualTime;

/// <summary>
/// The product's clock: <see cref="TimeProvider.System"/>, or with <c>Clock:Mode=Virtual</c> the
/// <see cref="VirtualTimeProvider"/> for everything that reads the time (deadlines, timers, journal, sign-in).
/// </summary>
public static class ClockRegistration
{
    public static void AddCleanProdFlowClock(this IServiceCollection services)
    {
        services.AddSingleton(provider => ClockSettings.Read(provider.GetRequiredService<IConfiguration>()));
        services.AddSingleton(provider => new VirtualTimeProvider(provider.GetRequiredService<ClockSettings>().VirtualStart));
        services.AddSingleton<TimeProvider>(provider => provider.GetRequiredService<ClockSettings>().IsVirtual
            ? provider.GetRequiredService<VirtualTimeProvider>()
            : TimeProvider.System);

        // Tokens are issued at the virtual time, so their lifetime is checked against it too (the token library
        // reads the real time unless told otherwise). Moving the clock past a token's expiry signs its holder out.
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .PostConfigure<ClockSettings, TimeProvider>((options, settings, time) =>
            {
                if (!settings.IsVirtual)
                    return;
                options.TokenValidationParameters.LifetimeValidator = (notBefore, expires, _, parameters) =>
                {
                    var now = time.GetUtcNow().UtcDateTime;
                    return (notBefore is not { } from || from <= now + parameters.ClockSkew)
                           && (expires is not { } until || until >= now - parameters.ClockSkew);
                };
            });
    }

    /// <summary>Maps /api/v1/clock only when the clock is virtual; with the system clock the routes do not exist (404).</summary>
    public static void MapClockIfVirtual(this IEndpointRouteBuilder api, IServiceProvider services)
    {
        if (services.GetRequiredService<ClockSettings>().IsVirtual)
            api.MapClock();
    }
}
