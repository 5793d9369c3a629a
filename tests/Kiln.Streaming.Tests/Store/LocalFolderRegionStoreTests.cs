using Kiln.Streaming.Store;

namespace Kiln.Streaming.Tests.Store;

public sealed class LocalFolderRegionStoreTests : RegionStoreContract, IDisposable
{
    private readonly TempDir _dir = new();
    private int _stores;

    protected override IRegionStore NewStore() => new LocalFolderRegionStore(_dir[$"region-{++_stores}"], "west");

    protected override Task<int> LeftoversAsync(IRegionStore store) =>
        Task.FromResult(Directory.EnumerateFiles(((LocalFolderRegionStore)store).Root, "*", SearchOption.AllDirectories).Count());

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("../escape")]
    [InlineData("chunks/.hidden")]
    public void PathOf_RefusesKeysOutsideTheFolder(string key)
    {
        var store = new LocalFolderRegionStore(_dir["paths"]);
        Assert.Throws<ArgumentException>(() => store.PathOf(key));
    }
}
