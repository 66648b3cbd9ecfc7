namespace CleanProdFlow.Web.Tests;

/// <summary>One running host on SQLite shared by a test class (starting one seeds 20 demo users).</summary>
public sealed class SqliteHostFixture : IAsyncLifetime
{
    public CpfWebFactory Factory { get; private set; } = null!;

    public async Task InitializeAsync() => Factory = await CpfWebFactory.StartAsync();

    public async Task DisposeAsync() => await Factory.DisposeAsync();
}
