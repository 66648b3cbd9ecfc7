using CleanProdFlow.Data.Database;
using CleanProdFlow.Engine.Runtime;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CleanProdFlow.Benchmarks;

/// <summary>
/// The product's real host in this process on a benchmark database, demo users seeded (password
/// <see cref="Password"/>), no demo data, logging at Warning. With <c>manualTimers</c> timers are not handed to
/// Hangfire (the scenario fires them itself, so no job races it).
/// </summary>
public sealed class BenchHost(BenchDatabase database, bool manualTimers, IReadOnlyDictionary<string, string?>? settings = null)
    : WebApplicationFactory<Program>
{
    public const string Password = "Bench#2026";

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "cpf-bench-host", Guid.NewGuid().ToString("N"));

    /// <summary>Starts the host (migrations, seeding, shipped workflows, timer re-arming run now).</summary>
    public static BenchHost Start(BenchDatabase database, bool manualTimers, IReadOnlyDictionary<string, string?>? settings = null,
        bool kestrel = false)
    {
        var host = new BenchHost(database, manualTimers, settings);
        if (kestrel)
        {
            host.UseKestrel(0);
            host.StartServer();
        }
        else
            _ = host.Server;
        return host;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting(DatabaseSettings.DataDirectoryKey, _dataDirectory);
        foreach (var (key, value) in database.HostSettings)
            builder.UseSetting(key, value);
        builder.UseSetting("Demo:SeedUsers", "true");
        builder.UseSetting("Demo:SeedData", "false");
        builder.UseSetting("Demo:Password", Password);
        builder.UseSetting("Serilog:MinimumLevel:Default", "Error"); // the host's start-up warnings would fill the table's stdout
        builder.UseSetting("Serilog:MinimumLevel:Override:Microsoft.Hosting.Lifetime", "Warning");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            builder.UseSetting(key, value);
        if (manualTimers)
            builder.ConfigureServices(services => services.AddSingleton<ITimerScheduler>(new NoTimerScheduler()));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(_dataDirectory))
            Directory.Delete(_dataDirectory, recursive: true);
    }

    private sealed class NoTimerScheduler : ITimerScheduler
    {
        public void Schedule(Guid timerId, DateTimeOffset dueAt)
        {
        }
    }
}
