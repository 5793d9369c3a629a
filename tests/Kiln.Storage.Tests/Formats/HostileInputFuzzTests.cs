using Kiln.Storage.Blocks;
using Kiln.Storage.Formats;

namespace Kiln.Storage.Tests.Formats;

/// <summary>
/// Random damage to the metadata of real images must end in a BlockDeviceException (usually a
/// CorruptImageException) or in a read that succeeds, never in another exception or a hang.
/// Seeded, so a failure reproduces.
/// </summary>
public class HostileInputFuzzTests
{
    [Theory]
    [InlineData("vhd-dynamic")]
    [InlineData("vhd-fixed")]
    [InlineData("qcow2")]
    [InlineData("qcow2-compressed")]
    public async Task FlippedMetadataBytes_GiveOnlyStorageErrors(string kind)
    {
        using var dir = new TempDirectory();
        var raw = dir.File("src.raw");
        await using (var device = RawFileDevice.Create(raw, 3 * SampleImage.MiB))
        {
            var random = new Random(9);
            await device.WriteAsync(0, SampleImage.Bytes(random, 100_000));
            var text = SampleImage.Bytes(random, 300_000);
            for (int i = 0; i < text.Length; i++) text[i] = (byte)('a' + (text[i] & 7));
            await device.WriteAsync(2 * SampleImage.MiB + 4096, text);
        }
        var image = dir.File("img");
        switch (kind)
        {
            case "vhd-dynamic": await QemuImg.MustRunAsync("convert", "-O", "vpc", raw, image); break;
            case "vhd-fixed": await QemuImg.MustRunAsync("convert", "-O", "vpc", "-o", "subformat=fixed,force_size=on", raw, image); break;
            case "qcow2": await QemuImg.MustRunAsync("convert", "-O", "qcow2", "-o", "cluster_size=4096", raw, image); break;
            default: await QemuImg.MustRunAsync("convert", "-c", "-O", "qcow2", "-o", "cluster_size=4096,compat=0.10", raw, image); break;
        }
        var original = await File.ReadAllBytesAsync(image);
        // Metadata lives in the first 64 KiB and the last 512 bytes; compressed data follows it closely.
        int head = Math.Min(original.Length, 64 * 1024);
        var rng = new Random(kind.Length * 1000 + 17);
        int failures = 0;
        for (int round = 0; round < 150; round++)
        {
            var damaged = (byte[])original.Clone();
            for (int k = rng.Next(1, 5); k > 0; k--)
            {
                int at = rng.Next(2) == 0 ? rng.Next(head) : original.Length - 1 - rng.Next(512);
                damaged[at] ^= (byte)rng.Next(1, 256);
            }
            await File.WriteAllBytesAsync(image, damaged);
            try
            {
                await using var opened = await DiskImage.OpenAsync(image);
                if (opened.Device.Length <= 64 * SampleImage.MiB)
                    await SampleImage.ReadAllAsync(opened.Device);
                await foreach (var _ in opened.Device.GetAllocatedExtentsAsync()) { }
            }
            catch (BlockDeviceException)
            {
                failures++;
            }
        }
        Assert.True(failures > 0, "no damage was ever detected: the fuzzer is not reaching the metadata");
    }
}
