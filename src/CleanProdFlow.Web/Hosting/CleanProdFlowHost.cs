using System.Text.Encodings.Web;
using System.Text.Unicode;
using CleanProdFlow.Data.Database;
using CleanProdFlow.Data.Enterprises;
using CleanProdFlow.Data.Register;
using CleanProdFlow.Data.Timing;
using CleanProdFlow.Data.Users;
using CleanProdFlow.Web.Admin;
using CleanProdFlow.Web.Api.Clocks;
using CleanProdFlow.Web.Api.Eia;
using CleanProdFlow.Web.Api.Enterprises;
using CleanProdFlow.Web.Api.Imports;
using CleanProdFlow.Web.Api.Register;
using CleanProdFlow.Web.Api.Timing;
using CleanProdFlow.Web.Api.Workflows;
using CleanProdFlow.Web.VirtualTime;
using CleanProdFlow.Web.Timing;
using CleanProdFlow.Web.Api.Admin.Users;
using CleanProdFlow.Web.Api.Auth;
using CleanProdFlow.Web.Api.Me;
using CleanProdFlow.Web.Api.Problems;
using CleanProdFlow.Web.Clocks;
using CleanProdFlow.Web.Compliance;
using CleanProdFlow.Web.Demo;
using CleanProdFlow.Web.Eia;
using CleanProdFlow.Web.Revocation;
using CleanProdFlow.Web.Documents;
using CleanProdFlow.Web.Api.Documents;
using CleanProdFlow.Web.Api.Revocations;
using CleanProdFlow.Web.Api.Notifications;
using CleanProdFlow.Web.Notifications;
using CleanProdFlow.Web.Api.Quota;
using CleanProdFlow.Web.Quota;
using CleanProdFlow.Web.Api.Reception;
using CleanProdFlow.Web.Reception;
using CleanProdFlow.Web.Api.Programmes;
using CleanProdFlow.Web.Programmes;
using CleanProdFlow.Web.Api.Audit;
using CleanProdFlow.Web.Audit;
using CleanProdFlow.Web.Health;
using CleanProdFlow.Web.Pages;
using CleanProdFlow.Web.Scheduling;
using CleanProdFlow.Web.Security;
using CleanProdFlow.Web.Workflows;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Routing;
using Scalar.AspNetCore;
using Serilog;

namespace CleanProdFlow.Web.Hosting;

/// <summary>The web host's composition: what is registered, what runs before the first request, what is mapped.</summary>
public static class CleanProdFlowHost
{
    public static readonly string[] Cultures = ["zh-CN", "en"];

    public static void AddCleanProdFlow(this WebApplicationBuilder builder)
    {
        var services = builder.Services;

        // Everything that reads configuration does so when first resolved, after every configuration source
        // (including a test host's) has been added.
        services.AddSerilog((provider, logger) => Logging.Configure(logger, provider), preserveStaticLogger: true);

        services.AddCleanProdFlowClock();
        services.AddSingleton(provider => DatabaseSettings.Read(provider.GetRequiredService<IConfiguration>()));
        services.AddSingleton<CpfDatabase>();
        services.AddSingleton<DatabaseMigrator>();
        services.AddSingleton<UserStore>();
        services.AddSingleton<TimeLimitRuleStore>();
        services.AddSingleton<CalendarYearStore>();
        services.AddSingleton<ClockStore>();
        services.AddSingleton<StatutoryTime>();
        services.AddSingleton<EnterpriseStore>();
        services.AddSingleton<RegisterStore>();
        services.AddCleanProdFlowWorkflows();
        services.AddStatutoryClockHandlers();
        services.AddEiaApproval();
        services.AddIncentiveRevocation();
        services.AddNotifications();
        services.AddOfficialDocuments();
        services.AddQuotaLedger();
        services.AddReceptionDay();
        services.AddYearlyProgrammes();
        services.AddAuditCycle();
        services.AddCleanProdFlowAdmin();
        services.AddCleanProdFlowCompliance();

        services.AddCleanProdFlowSecurity();
        services.AddCleanProdFlowHangfire();

        services.AddProblemDetails(options => options.CustomizeProblemDetails = StatusProblems.Localise);
        services.AddDataProtection().SetApplicationName("CleanProdFlow");
        // Page sessions survive a restart: the keys that protect the cookies live in the data directory.
        services.AddOptions<KeyManagementOptions>().Configure<IConfiguration, ILoggerFactory>((options, configuration, loggers) =>
            options.XmlRepository = new FileSystemXmlRepository(
                new DirectoryInfo(Path.Combine(DatabaseSettings.DataDirectory(configuration), "keys")), loggers));
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        // Lets a malformed body reach the exception handler, which names the field, in every environment.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        // Chinese text stays readable in JSON instead of \uXXXX escapes.
        services.Configure<JsonOptions>(options =>
            options.SerializerOptions.Encoder = JavaScriptEncoder.Create(UnicodeRanges.All));
        // Pages write Chinese as characters, not &#x...; entities.
        services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(options =>
            options.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));

        services.AddOpenApi(options => options.AddDocumentTransformer<BearerSecurityDocumentTransformer>());
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        services.AddRazorPages();
        services.AddCleanProdFlowPages();
        services.AddLocalization();
        services.Configure<RequestLocalizationOptions>(options =>
        {
            options.SetDefaultCulture(Cultures[0]).AddSupportedCultures(Cultures).AddSupportedUICultures(Cultures);
            options.FallBackToParentCultures = true;
            options.FallBackToParentUICultures = true;
        });
    }

    /// <summary>
    /// Checks the settings, migrates the database and seeds the demo users before the host accepts requests.
    /// A wrong setting surfaces here as a <see cref="StartupException"/>.
    /// </summary>
    public static async Task PrepareCleanProdFlowAsync(this WebApplication app)
    {
        var database = app.Services.GetRequiredService<CpfDatabase>();
        _ = app.Services.GetRequiredService<TokenSigningKey>();
        _ = app.Services.GetRequiredService<AuthSettings>();
        _ = SignInRateLimit.AttemptsPerMinute(app.Services.GetRequiredService<IConfiguration>());
        _ = app.Services.GetRequiredService<ClockSettings>();
        _ = app.Services.GetRequiredService<WorkflowSettings>();
        await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync();
        await app.Services.GetRequiredService<StatutoryTime>().LoadAsync();
        await app.Services.PrepareWorkflowsAsync();
        await app.Services.PrepareDocumentsAsync();
        await DemoUsers.SeedIfEnabledAsync(app.Services);
        await DemoData.SeedIfEnabledAsync(app.Services);
        app.Logger.LogInformation("CleanProdFlow uses {Database}", database.Description);
    }

    public static void MapCleanProdFlow(this WebApplication app)
    {
        app.UseCleanProdFlowSecurityHeaders();
        app.UseSerilogRequestLogging();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseCleanProdFlowStatusPages();
        app.UseRequestLocalization();
        app.UseStaticFiles();
        app.UseRouting();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapCleanProdFlowHealth();
        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference(options => options.WithTitle("CleanProdFlow API")).AllowAnonymous();
        app.MapCleanProdFlowHangfireDashboard();

        var api = app.MapGroup("/api/v1").WithTags("v1");
        api.MapIssueToken();
        api.MapGetMe();
        api.MapAdminUsers();
        api.MapTiming();
        api.MapEnterprises();
        api.MapImports();
        api.MapWorkflows();
        api.MapClocks();
        api.MapEia();
        api.MapClockIfVirtual(app.Services);

        app.MapRegister(api);
        api.MapRevocations(app);
        api.MapNotifications();
        api.MapDocuments();
        api.MapQuota();
        api.MapReception();
        api.MapProgrammes(app);
        api.MapAuditCycles();

        app.MapRazorPages();
        app.MapCultureSwitch();
    }

    /// <summary>The language switch of the pages: remembers the choice in the standard culture cookie.</summary>
    private static void MapCultureSwitch(this WebApplication app) =>
        app.MapGet("/culture/{culture}", (string culture, string? returnUrl, HttpContext context) =>
        {
            if (!Cultures.Contains(culture, StringComparer.OrdinalIgnoreCase))
                return Results.NotFound();
            context.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, MaxAge = TimeSpan.FromDays(365) });
            var target = returnUrl is not null && Uri.IsWellFormedUriString(returnUrl, UriKind.Relative) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//")
                ? returnUrl
                : "/";
            return Results.LocalRedirect(target);
        }).AllowAnonymous().ExcludeFromDescription();
}
