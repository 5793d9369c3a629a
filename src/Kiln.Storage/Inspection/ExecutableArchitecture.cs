using System.Buffers.Binary;
using System.IO.Compression;

namespace Kiln.Storage.Inspection;

/// <summary>
/// Reads the CPU architecture from the first bytes of an executable: PE/COFF (EFI loaders,
/// Windows kernels, EFI-stub Linux kernels), Linux boot images and ELF binaries.
/// </summary>
public static class ExecutableArchitecture
{
    public const ushort PeMachineAmd64 = 0x8664, PeMachineArm64 = 0xAA64;

    /// <summary>Header bytes worth reading: enough for the DOS stub, the PE header and the Linux setup header.</summary>
    public const int HeaderBytes = 4096;

    /// <summary>The architecture and how it was told ("PE machine 0x8664"), or null when the bytes say nothing.</summary>
    public static (CpuArchitecture Architecture, string How)? Detect(ReadOnlySpan<byte> h)
    {
        if (Pe(h) is { } pe) return pe;
        // arm64 Linux "Image": magic "ARM\x64" at 0x38 (Documentation/arch/arm64/booting.rst).
        if (h.Length >= 0x3C && h.Slice(0x38, 4).SequenceEqual("ARM\x64"u8)) return (CpuArchitecture.Arm64, "arm64 Image magic");
        // x86 bzImage: "HdrS" at 0x202; xloadflags bit 0 (XLF_KERNEL_64) at 0x236 says it has a 64-bit entry.
        if (h.Length >= 0x238 && h.Slice(0x202, 4).SequenceEqual("HdrS"u8))
            return (h[0x236] & 1) != 0 ? (CpuArchitecture.X64, "bzImage XLF_KERNEL_64") : null;
        // ELF: e_machine at 0x12 (0x3E x86-64, 0xB7 AArch64).
        if (h.Length >= 0x14 && h[0] == 0x7F && h[1..4].SequenceEqual("ELF"u8))
        {
            ushort m = h[5] == 2 ? BinaryPrimitives.ReadUInt16BigEndian(h[0x12..]) : BinaryPrimitives.ReadUInt16LittleEndian(h[0x12..]);
            return m switch
            {
                0x3E => (CpuArchitecture.X64, "ELF e_machine x86-64"),
                0xB7 => (CpuArchitecture.Arm64, "ELF e_machine AArch64"),
                _ => null,
            };
        }
        return null;
    }

    /// <summary>PE machine field: "MZ", e_lfanew at 0x3C, then "PE\0\0" and the COFF Machine.</summary>
    public static (CpuArchitecture Architecture, string How)? Pe(ReadOnlySpan<byte> h)
    {
        if (h.Length < 0x40 || h[0] != 'M' || h[1] != 'Z') return null;
        int lfanew = BinaryPrimitives.ReadInt32LittleEndian(h[0x3C..]);
        if (lfanew < 0x40 || lfanew > h.Length - 6 || !h.Slice(lfanew, 4).SequenceEqual("PE\0\0"u8)) return null;
        ushort machine = BinaryPrimitives.ReadUInt16LittleEndian(h[(lfanew + 4)..]);
        return machine switch
        {
            PeMachineAmd64 => (CpuArchitecture.X64, "PE machine 0x8664"),
            PeMachineArm64 => (CpuArchitecture.Arm64, "PE machine 0xAA64"),
            _ => (CpuArchitecture.Unknown, $"PE machine 0x{machine:X4}"),
        };
    }

    /// <summary>Kernels are often gzip-compressed (Debian arm64 vmlinuz): look inside the first member.</summary>
    public static (CpuArchitecture Architecture, string How)? DetectMaybeCompressed(byte[] h)
    {
        if (Detect(h) is { } direct) return direct;
        if (h.Length < 2 || h[0] != 0x1F || h[1] != 0x8B) return null;
        try
        {
            using var gz = new GZipStream(new MemoryStream(h), CompressionMode.Decompress);
            var inner = new byte[HeaderBytes];
            int n = 0, r;
            while (n < inner.Length && (r = gz.Read(inner, n, inner.Length - n)) > 0) n += r;
            return Detect(inner.AsSpan(0, n)) is { } x ? (x.Architecture, x.How + " (gzip)") : null;
        }
        catch (InvalidDataException)
        {
            return null; // the header we read ends mid-stream, or it is not gzip after all
        }
    }
}
