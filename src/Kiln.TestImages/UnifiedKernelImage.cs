using System.Buffers.Binary;
using System.Globalization;
using Kiln.Guest;

namespace Kiln.TestImages;

/// <summary>
/// Builds a unified kernel image (UKI) the way ukify does: systemd's linuxx64.efi.stub plus
/// .osrel, .cmdline, .linux and .initrd sections added with objcopy at virtual addresses past
/// the stub's own image (each page-aligned, in that order), so OVMF loads one PE file that
/// carries the kernel, its initramfs and its command line.
/// </summary>
public static class UnifiedKernelImage
{
    public const string StubPath = "/usr/lib/systemd/boot/efi/linuxx64.efi.stub";
    private const long SectionAlign = 0x1000;

    public static async Task BuildAsync(string kernel, string initrd, string osRelease, string commandLine, string outputPath, string work, CancellationToken cancellationToken)
    {
        if (!File.Exists(StubPath))
            throw new InvalidOperationException($"{StubPath} is missing: install systemd-boot-efi (scripts/ensure-deps.sh).");
        var cmdlineFile = Path.Combine(work, "cmdline");
        await File.WriteAllTextAsync(cmdlineFile, commandLine, cancellationToken);

        var (imageBase, sizeOfImage) = ReadStubLayout(await File.ReadAllBytesAsync(StubPath, cancellationToken));
        var next = AlignUp(imageBase + sizeOfImage);
        var arguments = new List<string>();
        foreach (var (section, file) in new[] { (".osrel", osRelease), (".cmdline", cmdlineFile), (".linux", kernel), (".initrd", initrd) })
        {
            arguments.AddRange(["--add-section", $"{section}={file}", "--change-section-vma", $"{section}=0x{next.ToString("x", CultureInfo.InvariantCulture)}"]);
            next = AlignUp(next + new FileInfo(file).Length);
        }
        arguments.AddRange([StubPath, outputPath]);
        await ToolRunner.RunAsync("objcopy", arguments, cancellationToken);
    }

    private static long AlignUp(long value) => (value + SectionAlign - 1) / SectionAlign * SectionAlign;

    /// <summary>ImageBase and SizeOfImage from the PE32+ optional header (PE/COFF spec §3.4.1–3.4.2).</summary>
    internal static (long ImageBase, long SizeOfImage) ReadStubLayout(ReadOnlySpan<byte> pe)
    {
        if (pe.Length < 0x40 || pe[0] != 'M' || pe[1] != 'Z')
            throw new InvalidOperationException($"{StubPath}: no MZ header at offset 0.");
        var peOffset = BinaryPrimitives.ReadInt32LittleEndian(pe[0x3C..]);
        var optional = peOffset + 4 + 20;
        if (peOffset < 0 || optional + 60 > pe.Length || !pe.Slice(peOffset, 4).SequenceEqual("PE\0\0"u8))
            throw new InvalidOperationException($"{StubPath}: no PE signature at e_lfanew 0x{peOffset:x}.");
        if (BinaryPrimitives.ReadUInt16LittleEndian(pe[optional..]) != 0x20B)
            throw new InvalidOperationException($"{StubPath}: optional header at 0x{optional:x} is not PE32+.");
        var imageBase = (long)BinaryPrimitives.ReadUInt64LittleEndian(pe[(optional + 24)..]);
        var sizeOfImage = BinaryPrimitives.ReadUInt32LittleEndian(pe[(optional + 56)..]);
        return (imageBase, sizeOfImage);
    }
}
