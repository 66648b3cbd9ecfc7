using CleanProdFlow.Data.Database;

namespace CleanProdFlow.Web.Tests;

/// <summary>
/// One host per provider, started when a test first asks and shared by the tests of one class. A class that moves a
/// virtual clock gets its own fixture: the clock only moves forward.
/// </summary>
public abstract class HostsPerProvider : IAsyncLifetime
{
    private readonly Dictionary<DatabaseProvider, CpfWebFactory> _hosts = [];
    private readonly SemaphoreSlim _gate = new(1, 1);

    protected abstract Task<CpfWebFactory> StartAsync(DatabaseProvider provider);

    public async Task<CpfWebFactory> HostAsync(DatabaseProvider provider)
    {
        await _gate.WaitAsync();
        try
        {
            if (!_hosts.TryGetValue(provider, out var host))
                _hosts[provider] = host = await StartAsync(provider);
            return host;
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts.Values)
            await host.DisposeAsync();
    }
}
