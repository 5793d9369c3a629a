using System.Text;

namespace Kiln.Guest.Tests;

public sealed class KernelModulesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kiln-guest-modules-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void KernelModules_LoadDependenciesFirst_AndSkipBuiltIns()
    {
        void Module(string path, string depends) =>
            File.WriteAllBytes(Path.Combine(Directory.CreateDirectory(Path.Combine(_dir, Path.GetDirectoryName(path)!)).FullName, Path.GetFileName(path)),
                Encoding.ASCII.GetBytes($"\u007fELF junk\0license=GPL\0depends={depends}\0name=x\0"));
        Module("kernel/fs/ext4/ext4.ko", "jbd2,mbcache,crc16");
        Module("kernel/fs/jbd2/jbd2.ko", "");
        Module("kernel/fs/mbcache.ko", "");
        Module("kernel/drivers/ata/ata_piix.ko", "libata");
        Module("kernel/drivers/ata/libata.ko", "scsi-mod");
        Module("kernel/drivers/scsi/scsi_mod.ko", "");

        var order = KernelModules.ResolveLoadOrder(_dir, ["ext4", "ata_piix"]).Select(Path.GetFileName).ToList();
        Assert.Equal(["jbd2.ko", "mbcache.ko", "ext4.ko", "scsi_mod.ko", "libata.ko", "ata_piix.ko"], order);
    }

    [Fact]
    public void KernelModules_Cycle_IsAnError()
    {
        File.WriteAllBytes(Path.Combine(_dir, "a.ko"), "\0depends=b\0"u8.ToArray());
        File.WriteAllBytes(Path.Combine(_dir, "b.ko"), "\0depends=a\0"u8.ToArray());
        var error = Assert.Throws<InvalidOperationException>(() => KernelModules.ResolveLoadOrder(_dir, ["a"]));
        Assert.Contains("cycle", error.Message);
    }
}
