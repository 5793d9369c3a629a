using Kiln.TestImages;
using Kiln.Guest;

namespace Kiln.TestImages.Tests;

/// <summary>Reads test images back with independent host tools (sfdisk, debugfs, mtools, ntfs-3g).</summary>
public static class Tools
{
    public static Task<string> SfdiskDumpAsync(string image) =>
        ToolRunner.RunAsync("sfdisk", ["--dump", image], CancellationToken.None);

    /// <summary>Start of partition <paramref name="number"/> in bytes, from sfdisk's JSON dump.</summary>
    public static async Task<long> PartitionOffsetAsync(string image, int number)
    {
        var json = await ToolRunner.RunAsync("sfdisk", ["--json", image], CancellationToken.None);
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        var partition = doc.RootElement.GetProperty("partitiontable").GetProperty("partitions")[number - 1];
        return partition.GetProperty("start").GetInt64() * 512;
    }

    /// <summary>Runs a debugfs request on the ext4 partition inside the disk image (libext2fs's ?offset= io option).</summary>
    public static async Task<string> DebugfsAsync(string image, int partition, string request) =>
        await ToolRunner.RunAsync("debugfs", ["-R", request, $"{image}?offset={await PartitionOffsetAsync(image, partition)}"], CancellationToken.None);

    /// <summary>Copies a file out of the FAT partition with mtools (image@@offset).</summary>
    public static async Task<byte[]> FatReadAsync(string image, int partition, string path)
    {
        var target = Path.GetTempFileName();
        try
        {
            await ToolRunner.RunAsync("mcopy", ["-n", "-i", $"{image}@@{await PartitionOffsetAsync(image, partition)}", "::" + path, target], CancellationToken.None);
            return await File.ReadAllBytesAsync(target);
        }
        finally
        {
            File.Delete(target);
        }
    }

    /// <summary>Extracts a partition to a temp file (ntfs-3g tools take no offset); caller deletes it.</summary>
    public static async Task<string> ExtractPartitionAsync(string image, int partition, long length)
    {
        var offset = await PartitionOffsetAsync(image, partition);
        var target = Path.GetTempFileName();
        await using var input = File.OpenRead(image);
        await using var output = File.Create(target);
        input.Position = offset;
        var buffer = new byte[1 << 20];
        for (long done = 0; done < length;)
        {
            var read = await input.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, length - done)));
            if (read == 0) break;
            if (buffer.AsSpan(0, read).IndexOfAnyExcept((byte)0) >= 0)
            {
                output.Position = done;
                await output.WriteAsync(buffer.AsMemory(0, read));
            }
            done += read;
        }
        output.SetLength(length);
        return target;
    }
}
