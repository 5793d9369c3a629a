using Kiln.Machines;

namespace Kiln.Machines.Tests;

public class KvmProbeTests
{
    [Fact]
    public void Choose_AgreesWithTheProbe()
    {
        var usable = KvmProbe.IsUsable();
        Assert.Equal(usable ? Accelerator.Kvm : Accelerator.Tcg, KvmProbe.Choose());
        if (!File.Exists("/dev/kvm"))
            Assert.False(usable);
    }
}
