using Kiln.Streaming.Store;
using Kiln.Streaming.Tests.Store;

namespace Kiln.Streaming.Tests.Collection;

[Collection(AzuriteCollection.Name)]
public sealed class BlobRegionCollectorTests(Azurite azurite) : RegionCollectorContract
{
    protected override IRegionStore NewStore()
    {
        string container = "gc" + Guid.NewGuid().ToString("N")[..20];
        return new BlobRegionStore(azurite.Container(container), "the Azurite account key", container);
    }
}
