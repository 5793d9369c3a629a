using System.Text;
using Kiln.Pipeline.Appliance;
using Kiln.TestImages;
using Kiln.Guest;

namespace Kiln.Pipeline.Tests.Appliance;

public class ApplianceInitramfsTests
{
    [Fact]
    public async Task Initramfs_HoldsInit_Modules_IncludingTheNicDriver_BusyboxWithRelativeAppletLinks_AndTheSudoShim()
    {
        using var temp = new TempDirectory();
        var kernel = await KernelCache.EnsureAsync(CancellationToken.None);
        var path = Path.Combine(temp.Path, "initrd.img");
        await ApplianceInitramfs.BuildAsync(kernel, path, CancellationToken.None);

        var text = Encoding.Latin1.GetString(await File.ReadAllBytesAsync(path));
        Assert.StartsWith("070701", text);
        foreach (var name in new[] { "init\0", ".kiln/bin/busybox\0", ".kiln/bin/chroot\0", ".kiln/bin/sudo\0", "lib/modules/ext4.ko", "lib/modules/virtio_net.ko", "lib/modules/load-order\0", "TRAILER!!!\0" })
            Assert.Contains(name, text);
        Assert.Contains(ApplianceInit.DoneMarker, text);
        Assert.Contains("kiln.root=", text);
    }
}
