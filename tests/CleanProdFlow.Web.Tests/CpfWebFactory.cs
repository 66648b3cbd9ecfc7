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
    private readonly bool _ownsDatabase;
    private readonly string _dataDirectory;
    private readonly Action<IServiceCollection>? _services;
    private readonly IReadOnlyDictionary<string, string?> _settings;

    private CpfWebFactory(TestDatabase database, bool ownsDatabase, Action<IServiceCollection>? services, IReadOnlyDictionary<string, string?>? settings)
    {
        _database = database;
        _ownsDatabase = ownsDatabase;
        _services = services;
        _settings = settings ?? new Dictionary<string, string?>();
        _dataDirectory = Path.Combine(Path.GetTempPath(), "cpf-web-tests", Guid.NewGuid().ToString("N"));
    }

    public const string Password = "Demo#2026";

    public TestDatabase Database => _database;

    /// <summary>A host on a new throwaway database, with extra <paramref name="settings"/> (e.g. Clock:Mode=Virtual) when given.</summary>
    public static async Task<CpfWebFactory> StartAsync(DatabaseProvider provider = DatabaseProvider.Sqlite, Action<IServiceCollection>? services = null,
        IReadOnlyDictionary<string, string?>? settings = null)
    {
        var factory = new CpfWebFactory(await TestDatabase.CreateAsync(provider), ownsDatabase: true, services, settings);
        _ = factory.Server; // starts the host: migrations and seeding run now
        return factory;
    }

    /// <summary>
    /// A host on an existing database (e.g. a second node, or the same node after a restart). The database is left
    /// for its owner to dispose.
    /// </summary>
    public static CpfWebFactory StartOn(TestDatabase database, IReadOnlyDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null)
    {
        var factory = new CpfWebFactory(database, ownsDatabase: false, services, settings);
        _ = factory.Server;
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
        foreach (var (key, value) in _settings)
            builder.UseSetting(key, value);
        if (_services is not null)
            builder.ConfigureServices(_services);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_ownsDatabase)
            await _database.DisposeAsync();
        if (Directory.Exists(_dataDirectory))
            Directory.Delete(_dataDirectory, recursive: true);
    }
}
