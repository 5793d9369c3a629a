using Kiln.Streaming.Hydration;

namespace Kiln.Streaming.Tests.Hydration;

public class HydratingDeviceCacheTests
{
    [Fact]
    public async Task ASavedPresenceMap_WithoutItsCacheFile_IsIgnored()
    {
        using var img = await PublishedImage.CreateAsync(bootExtents: 0);
        await using (var device = await HydratingDevice.OpenAsync(img.Store, "v1", img.CachePath))
            await TestImages.ReadAllAsync(device, 0, 4096);
        File.Delete(img.CachePath); // the map beside it still says chunk 0 is present

        await using var again = await HydratingDevice.OpenAsync(img.Store, "v1", img.CachePath);
        Assert.Equal(img.Expected(0, 4096), await TestImages.ReadAllAsync(again, 0, 4096));
        Assert.Equal(1, again.GetStats().RemoteRequests);
    }
}
