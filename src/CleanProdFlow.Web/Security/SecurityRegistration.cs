using CleanProdFlow.Domain.Access;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace CleanProdFlow.Web.Security;

/// <summary>
/// Pages sign in with a cookie, the API with a bearer token; one policy scheme picks by the request. Every endpoint
/// needs a signed-in user unless it is marked anonymous (fallback policy). The API answers 401/403 as problem+json;
/// pages go to the sign-in page or the access-denied page.
/// </summary>
public static class SecurityRegistration
{
    public const string Scheme = "cpf";
    public const string AdminPolicy = "admin";

    public static void AddCleanProdFlowSecurity(this IServiceCollection services)
    {
        services.AddSingleton(provider => AuthSettings.Read(provider.GetRequiredService<IConfiguration>()));
        services.AddSingleton(provider => TokenSigningKey.Resolve(
            provider.GetRequiredService<IConfiguration>(),
            provider.GetRequiredService<ILoggerFactory>().CreateLogger<TokenSigningKey>()));
        services.AddSingleton<TokenIssuer>();
        services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
        services.AddSingleton<CredentialCheck>();
        services.AddSignInRateLimit();

        services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "Cookie or bearer token", options =>
                options.ForwardDefaultSelector = context =>
                    context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    || (IsApi(context.Request) && !context.Request.Cookies.ContainsKey(SessionCookie))
                        ? JwtBearerDefaults.AuthenticationScheme
                        : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.LoginPath = "/account/login";
                options.LogoutPath = "/account/logout";
                options.AccessDeniedPath = "/account/access-denied";
                options.Cookie.Name = SessionCookie;
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.SlidingExpiration = true;
                // A page session may call the API (same site only: Lax cookie, JSON bodies); there a missing or
                // insufficient sign-in is a status code, not a redirect.
                options.Events = new CookieAuthenticationEvents
                {
                    OnRedirectToLogin = context => ApiStatusOrRedirect(context, StatusCodes.Status401Unauthorized),
                    OnRedirectToAccessDenied = context => ApiStatusOrRedirect(context, StatusCodes.Status403Forbidden),
                };
            })
            .AddJwtBearer(options =>
            {
                options.MapInboundClaims = false;
                options.Events = new JwtBearerEvents
                {
                    // The problem+json body comes from the status-code-pages middleware.
                    OnChallenge = context =>
                    {
                        context.HandleResponse();
                        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                        context.Response.Headers.WWWAuthenticate = "Bearer";
                        return Task.CompletedTask;
                    },
                };
            });

        // Options that need the signing key and lifetimes are bound when first used, after configuration is complete.
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<TokenSigningKey, TimeProvider>((options, key, time) =>
            {
                options.TimeProvider = time;
                options.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = AuthSettings.Issuer,
                    ValidAudience = AuthSettings.Audience,
                    IssuerSigningKey = key.Key,
                    NameClaimType = UserPrincipal.UsernameClaim,
                    RoleClaimType = UserPrincipal.RoleClaim,
                    ClockSkew = TimeSpan.FromSeconds(30),
                };
            });
        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<AuthSettings, TimeProvider>((options, settings, time) =>
            {
                options.ExpireTimeSpan = settings.TokenLifetime;
                options.TimeProvider = time;
            });

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(AdminPolicy, policy => policy.RequireRole(Roles.Admin));
    }

    public const string SessionCookie = "cpf.session";

    public static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api");

    private static Task ApiStatusOrRedirect(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (IsApi(context.Request))
            context.Response.StatusCode = status;
        else
            context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
