using CleanProdFlow.Data.Database;
using CleanProdFlow.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CleanProdFlow.Web.Tests;

/// <summary>
/// The real web host in memory on a throwaway database of one provider, with the demo users seeded and its own
/// data directory (logs, signing key). Create one with <see cref="StartAsync"/>.
/// </summary>
public sealed class CpfWebFactory : WebApplicationFactory<Program>
{
    private readonly TestDatabase _database;
    private readonly string _dataDirectory;
    private readonly Action<IServiceCollection>? _services;

    private CpfWebFactory(TestDatabase database, Action<IServiceCollection>? services)
    {
        _database = database;
        _services = services;
        _dataDirectory = Path.Combine(Path.GetTempPath(), "cpf-web-tests", Guid.NewGuid().ToString("N"));
    }

    public const string Password = "Demo#2026";

    public TestDatabase Database => _database;

    public static async Task<CpfWebFactory> StartAsync(DatabaseProvider provider = DatabaseProvider.Sqlite, Action<IServiceCollection>? services = null)
    {
        var factory = new CpfWebFactory(await TestDatabase.CreateAsync(provider), services);
        _ = factory.Server; // starts the host: migrations and seeding run now
        return factory;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting(DatabaseSettings.DataDirectoryKey, _dataDirectory);
        foreach (var (key, value) in _database.HostSettings)
            builder.UseSetting(key, value);
        builder.UseSetting("Demo:SeedUsers", "true");
        builder.UseSetting("Demo:Password", Password);
        builder.UseSetting("Hangfire:WorkerCount", "2");
        builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
        if (_services is not null)
            builder.ConfigureServices(_services);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _database.DisposeAsync();
        if (Directory.Exists(_dataDirectory))
            Directory.Delete(_dataDirectory, recursive: true);
    }
}
