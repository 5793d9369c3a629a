using System.Globalization;

namespace Kiln.Storage.Tests.Fixtures;

/// <summary>One partition to lay down: a volume image (or none), its size and its type (sfdisk hex / sgdisk code).</summary>
public sealed record DiskPart(string? Volume, long SizeMiB, string MbrType, string GptCode, bool Bootable = false);

/// <summary>Builds partitioned disk images from volume images with sfdisk/sgdisk and byte copies (dd conv=notrunc).</summary>
public static class DiskBuilder
{
    private const long MiB = 1 << 20;

    public static string Mbr(TempDir temp, long diskBytes, params DiskPart[] parts) => Build(temp, diskBytes, gpt: false, parts);

    public static string Gpt(TempDir temp, long diskBytes, params DiskPart[] parts) => Build(temp, diskBytes, gpt: true, parts);

    private static string Build(TempDir temp, long diskBytes, bool gpt, DiskPart[] parts)
    {
        var disk = temp.File($"disk-{Guid.NewGuid():N}.img");
        ImageBytes.CreateSparse(disk, diskBytes);
        long startMiB = 1;
        var offsets = new List<long>();
        if (gpt)
        {
            var args = new List<string>();
            for (int i = 0; i < parts.Length; i++)
            {
                long first = startMiB * 2048, last = (startMiB + parts[i].SizeMiB) * 2048 - 1;
                args.AddRange(["-n", $"{i + 1}:{first}:{last}", "-t", $"{i + 1}:{parts[i].GptCode}"]);
                offsets.Add(startMiB * MiB);
                startMiB += parts[i].SizeMiB;
            }
            args.Add(disk);
            Tool.Run("sgdisk", [.. args]);
        }
        else
        {
            var script = "label: dos\n";
            foreach (var p in parts)
            {
                script += string.Create(CultureInfo.InvariantCulture, $"start={startMiB * 2048}, size={p.SizeMiB * 2048}, type={p.MbrType}{(p.Bootable ? ", bootable" : "")}\n");
                offsets.Add(startMiB * MiB);
                startMiB += p.SizeMiB;
            }
            Tool.RunWithInput("sfdisk", script, "-q", disk);
        }
        for (int i = 0; i < parts.Length; i++)
            if (parts[i].Volume is { } v) ImageBytes.CopyInto(v, disk, offsets[i]);
        return disk;
    }

    /// <summary>The smallest PE image firmware would look at: MZ, e_lfanew, "PE\0\0", COFF machine.</summary>
    public static byte[] MinimalPe(ushort machine)
    {
        var pe = new byte[1024];
        pe[0] = (byte)'M'; pe[1] = (byte)'Z';
        pe[0x3C] = 0x80;
        "PE\0\0"u8.CopyTo(pe.AsSpan(0x80));
        pe[0x84] = (byte)machine; pe[0x85] = (byte)(machine >> 8);
        return pe;
    }

    /// <summary>A FAT16 ESP holding one loader at \EFI\BOOT\&lt;name&gt;.</summary>
    public static string Esp(TempDir temp, string loaderName, ushort machine)
    {
        var esp = FatImage.Build(temp, 16, "ESP");
        FatImage.MakeDirectory(esp, "/EFI");
        FatImage.MakeDirectory(esp, "/EFI/BOOT");
        FatImage.Copy(temp, esp, MinimalPe(machine), "/EFI/BOOT/" + loaderName);
        return esp;
    }
}
