using Kiln.Control.Persistence;
using Kiln.Tests.Support;

namespace Kiln.Control.Tests.Persistence;

/// <summary>The store contract on PostgreSQL: a fresh database per test in the run's private cluster.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresResourceStoreTests(PostgresCluster cluster) : ResourceStoreContract
{
    private string _database = "";

    protected override async Task PrepareAsync() => _database = await cluster.CreateDatabaseAsync();

    protected override async Task<IResourceStore> OpenStoreAsync() =>
        await ResourceStores.OpenAsync(cluster.ConnectionString(_database), "/nonexistent-data-dir-unused", CancellationToken.None);
}
