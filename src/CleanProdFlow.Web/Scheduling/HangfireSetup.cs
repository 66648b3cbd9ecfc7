using CleanProdFlow.Data.Database;
using CleanProdFlow.Web.Security;
using Hangfire;
using Hangfire.Dashboard;
using Hangfire.PostgreSql;
using Hangfire.SqlServer;

namespace CleanProdFlow.Web.Scheduling;

/// <summary>
/// Hangfire dispatches background work; our own tables stay the truth (DESIGN §1). Storage follows the database:
/// in-memory beside SQLite (no SQLite storage package is served; jobs are re-created from our tables at start-up),
/// PostgreSQL or SQL Server otherwise, so several nodes share one queue. Polling every second keeps timers on time.
/// </summary>
public static class HangfireSetup
{
    public const string WorkerCountKey = "Hangfire:WorkerCount";
    public static readonly TimeSpan PollingInterval = TimeSpan.FromSeconds(1);

    public static void AddCleanProdFlowHangfire(this IServiceCollection services)
    {
        // Each host uses the storage its own configuration created, not Hangfire's process-wide JobStorage.Current:
        // two hosts in one process (the tests) would otherwise share one queue and run each other's jobs against
        // the wrong database. Registered before AddHangfire, whose own registration only fills a gap.
        services.AddSingleton<HostJobStorage>();
        services.AddSingleton<JobStorage>(provider =>
        {
            _ = provider.GetRequiredService<IGlobalConfiguration>(); // runs the configuration below for this host
            return provider.GetRequiredService<HostJobStorage>().Storage
                   ?? throw new InvalidOperationException("Hangfire storage was not configured");
        });
        services.AddHangfire((provider, configuration) =>
        {
            configuration
                .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings();
            var database = provider.GetRequiredService<CpfDatabase>();
            var storage = provider.GetRequiredService<HostJobStorage>();
            switch (database.Provider)
            {
                case DatabaseProvider.Sqlite:
                    storage.Storage = configuration.UseInMemoryStorage().Entry;
                    break;
                case DatabaseProvider.Postgres:
                    storage.Storage = configuration.UsePostgreSqlStorage(
                        options => options.UseNpgsqlConnection(database.Settings.ConnectionString),
                        new PostgreSqlStorageOptions { SchemaName = "hangfire", QueuePollInterval = PollingInterval, PrepareSchemaIfNecessary = true }).Entry;
                    break;
                case DatabaseProvider.SqlServer:
                    storage.Storage = configuration.UseSqlServerStorage(database.Settings.ConnectionString,
                        new SqlServerStorageOptions { SchemaName = "hangfire", QueuePollInterval = PollingInterval, PrepareSchemaIfNecessary = true }).Entry;
                    break;
            }
        });
        services.AddHangfireServer((provider, options) =>
        {
            options.SchedulePollingInterval = PollingInterval;
            // Jobs are built from this host's services, not from Hangfire's process-wide JobActivator.Current (the
            // last configured host's, possibly disposed when several hosts share a process, as in the tests).
            options.Activator = new Hangfire.AspNetCore.AspNetCoreJobActivator(provider.GetRequiredService<IServiceScopeFactory>());
            var configured = provider.GetRequiredService<IConfiguration>().GetValue<int?>(WorkerCountKey);
            options.WorkerCount = configured is > 0 and <= 100 ? configured.Value : Math.Min(Environment.ProcessorCount * 5, 20);
        });
    }

    /// <summary>The storage this host's configuration created.</summary>
    private sealed class HostJobStorage
    {
        public JobStorage? Storage { get; set; }
    }

    /// <summary>The dashboard at /hangfire, for administrators only (the endpoint's policy decides; 401/403 otherwise).</summary>
    public static void MapCleanProdFlowHangfireDashboard(this IEndpointRouteBuilder app) =>
        app.MapHangfireDashboard("/hangfire", new DashboardOptions
        {
            // Hangfire's own default allows local requests only; access is decided by the endpoint policy instead.
            Authorization = Array.Empty<IDashboardAuthorizationFilter>(),
            DashboardTitle = "CleanProdFlow · Hangfire",
            AppPath = "/",
        }).RequireAuthorization(SecurityRegistration.AdminPolicy);
}
