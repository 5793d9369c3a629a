using Kiln.Machines;

namespace Kiln.Machines.Tests;

public class KvmProbeTests
{
    [Fact]
    public async Task ChooseAsync_PicksKvmOnlyWhenTheIoctlsWork()
    {
        var choice = await KvmProbe.ChooseAsync(CancellationToken.None);
        if (!KvmProbe.IsUsable())
            Assert.Equal(Accelerator.Tcg, choice);
        if (!File.Exists("/dev/kvm"))
            Assert.False(KvmProbe.IsUsable());
        Assert.Equal(choice, await KvmProbe.ChooseAsync(CancellationToken.None)); // decided once
    }
}
