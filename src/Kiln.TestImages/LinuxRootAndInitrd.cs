using Kiln.Guest;
namespace Kiln.TestImages;

/// <summary>The parts every Linux test disk shares: the ext4 root and the initramfs.</summary>
internal static class LinuxRootAndInitrd
{
    public static async Task<(string Root, string Initrd)> BuildAsync(TestImageSpec spec, KernelCache? kernel, string work, CancellationToken cancellationToken)
    {
        var root = Path.Combine(work, "root.ext4");
        await RootFileSystemBuilder.BuildAsync(spec, root, work, cancellationToken);
        var initrd = Path.Combine(work, "initrd.img");
        if (kernel is not null)
            await InitramfsBuilder.BuildAsync(kernel, initrd, cancellationToken);
        return (root, initrd);
    }
}
