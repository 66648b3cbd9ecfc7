namespace CleanProdFlow.Data.Database;

/// <summary>A database lock that is released by running <paramref name="release"/> on dispose.</summary>
internal sealed class HeldLock(Func<Task> release) : IAsyncDisposable
{
    public async ValueTask DisposeAsync() => await release();
}

/// <summary>For databases where the lock is not needed.</summary>
internal sealed class NoLock : IAsyncDisposable
{
    public static readonly NoLock Instance = new();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
