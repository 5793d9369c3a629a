using Kiln.Control.Persistence;

namespace Kiln.Control.Tests.Persistence;

/// <summary>The store contract on SQLite (the default engine), one file per test.</summary>
public sealed class SqliteResourceStoreTests : ResourceStoreContract
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kiln-sqlite-").FullName;

    protected override async Task<IResourceStore> OpenStoreAsync() =>
        await ResourceStores.OpenAsync(database: null, _dir, CancellationToken.None);

    protected override Task CleanupAsync()
    {
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }
}
