using Kiln.Streaming.Store;

namespace Kiln.Streaming.Tests.Collection;

public sealed class LocalFolderRegionCollectorTests : RegionCollectorContract, IDisposable
{
    private readonly TempDir _dir = new();
    private int _stores;

    protected override IRegionStore NewStore() => new LocalFolderRegionStore(_dir[$"region-{++_stores}"], "west");

    public void Dispose() => _dir.Dispose();
}
