using Kiln.Pipeline.Appliance;

namespace Kiln.Pipeline.Tests.Appliance;

[Collection(TestImageCollection.Name)]
public class ImageRootLocatorTests(TestImageFixture images)
{
    [Fact]
    public async Task Gen1TestImage_RootIsPartition2_Raw()
    {
        using var temp = new TempDirectory();
        var image = await images.CopyAsync(specialized: false, temp.Path);
        Assert.Equal(new ImageRoot("raw", 2), await ImageRootLocator.FindAsync(image, CancellationToken.None));
    }

    [Fact]
    public async Task ADiskWithoutLinuxRoot_IsRefused_NamingWhatWasSeen()
    {
        using var temp = new TempDirectory();
        var blank = Path.Combine(temp.Path, "blank.raw");
        await using (var f = File.Create(blank)) f.SetLength(4 << 20);
        var e = await Assert.ThrowsAsync<ApplianceException>(() => ImageRootLocator.FindAsync(blank, CancellationToken.None));
        Assert.Contains("no Linux root", e.Message);
        Assert.Contains("partition 0: no file system", e.Message);
    }
}
