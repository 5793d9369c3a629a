using Kiln.TestImages;
using Kiln.Guest;

namespace Kiln.TestImages.Tests;

[Collection(BuiltImagesCollection.Name)]
public class WindowsImageLayoutTests(BuiltImages images)
{
    [Theory]
    [InlineData("windows", WindowsDiskBuilder.GeneralizedState)]
    [InlineData("windows-specialized", WindowsDiskBuilder.SpecializedState)]
    public async Task NtfsPartition_HoldsWindowsAndItsImageState(string variant, string state)
    {
        var image = await images.GetAsync(variant);
        var dump = await Tools.SfdiskDumpAsync(image);
        Assert.Contains("label: dos", dump);
        Assert.Matches(@"raw1 : start=\s*2048, size=\s*\d+, type=7, bootable", dump);

        var partition = await Tools.ExtractPartitionAsync(image, 1, (long)BuiltImages.Spec(variant).RootPartitionMegabytes << 20);
        try
        {
            var stateIni = await ToolRunner.RunAsync("ntfscat", [partition, "/Windows/Setup/State/State.ini"], CancellationToken.None);
            Assert.Contains($"ImageState={state}", stateIni);
            var system32 = await ToolRunner.RunAsync("ntfsls", ["-p", "/Windows/System32", partition], CancellationToken.None);
            Assert.Contains("ntoskrnl.exe", system32);
            Assert.Contains("config", system32);
        }
        finally
        {
            File.Delete(partition);
        }
    }
}
