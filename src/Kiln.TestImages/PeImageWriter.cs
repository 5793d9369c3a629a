using System.Buffers.Binary;

namespace Kiln.TestImages;

/// <summary>
/// Writes the smallest valid PE32+ image (Microsoft PE/COFF specification §2–§4): enough for
/// an inspector to read the machine type of an EFI loader or a Windows kernel file. One .text
/// section whose code returns 0.
/// <code>
///   0x000 DOS header ("MZ", e_lfanew = 0x40)
///   0x040 "PE\0\0" + COFF file header (20 bytes)
///   0x058 PE32+ optional header (240 bytes, 16 data directories)
///   0x148 section table (.text)
///   0x200 .text raw data (FileAlignment 0x200), mapped at RVA 0x1000
/// </code>
/// </summary>
public static class PeImageWriter
{
    public const ushort MachineAmd64 = 0x8664;
    public const ushort MachineArm64 = 0xAA64;
    public const ushort SubsystemNative = 1;
    public const ushort SubsystemEfiApplication = 10;

    private const int PeOffset = 0x40;
    private const int CoffOffset = PeOffset + 4;
    private const int OptionalOffset = CoffOffset + 20;
    private const int OptionalSize = 240;
    private const int SectionTableOffset = OptionalOffset + OptionalSize;
    private const int FileAlignment = 0x200;
    private const int SectionAlignment = 0x1000;

    public static byte[] Build(ushort machine, ushort subsystem)
    {
        var code = machine switch
        {
            MachineArm64 => new byte[] { 0x00, 0x00, 0x80, 0xD2, 0xC0, 0x03, 0x5F, 0xD6 }, // mov x0, #0; ret
            MachineAmd64 => new byte[] { 0x31, 0xC0, 0xC3 },                               // xor eax, eax; ret
            _ => throw new ArgumentOutOfRangeException(nameof(machine), machine, "Only AMD64 and ARM64 code is provided."),
        };
        var image = new byte[FileAlignment * 2];
        var span = image.AsSpan();

        // DOS header: magic and the offset of the PE signature.
        span[0] = (byte)'M'; span[1] = (byte)'Z';
        BinaryPrimitives.WriteInt32LittleEndian(span[0x3C..], PeOffset);
        "PE\0\0"u8.CopyTo(span[PeOffset..]);

        // COFF file header (§3.3).
        BinaryPrimitives.WriteUInt16LittleEndian(span[CoffOffset..], machine);
        BinaryPrimitives.WriteUInt16LittleEndian(span[(CoffOffset + 2)..], 1);            // NumberOfSections
        BinaryPrimitives.WriteUInt16LittleEndian(span[(CoffOffset + 16)..], OptionalSize); // SizeOfOptionalHeader
        BinaryPrimitives.WriteUInt16LittleEndian(span[(CoffOffset + 18)..], 0x0022);       // EXECUTABLE_IMAGE | LARGE_ADDRESS_AWARE

        // Optional header, PE32+ (§3.4).
        var o = span[OptionalOffset..];
        BinaryPrimitives.WriteUInt16LittleEndian(o, 0x20B);                       // Magic
        BinaryPrimitives.WriteUInt32LittleEndian(o[4..], FileAlignment);          // SizeOfCode
        BinaryPrimitives.WriteUInt32LittleEndian(o[16..], SectionAlignment);      // AddressOfEntryPoint
        BinaryPrimitives.WriteUInt32LittleEndian(o[20..], SectionAlignment);      // BaseOfCode
        BinaryPrimitives.WriteUInt64LittleEndian(o[24..], 0);                     // ImageBase
        BinaryPrimitives.WriteUInt32LittleEndian(o[32..], SectionAlignment);
        BinaryPrimitives.WriteUInt32LittleEndian(o[36..], FileAlignment);
        BinaryPrimitives.WriteUInt16LittleEndian(o[48..], 1);                     // MajorSubsystemVersion
        BinaryPrimitives.WriteUInt32LittleEndian(o[56..], SectionAlignment * 2);  // SizeOfImage
        BinaryPrimitives.WriteUInt32LittleEndian(o[60..], FileAlignment);         // SizeOfHeaders
        BinaryPrimitives.WriteUInt16LittleEndian(o[68..], subsystem);
        BinaryPrimitives.WriteUInt64LittleEndian(o[72..], 0x10000);               // SizeOfStackReserve
        BinaryPrimitives.WriteUInt64LittleEndian(o[80..], 0x1000);                // SizeOfStackCommit
        BinaryPrimitives.WriteUInt32LittleEndian(o[108..], 16);                   // NumberOfRvaAndSizes

        // Section table (§4): .text, readable + executable code.
        var s = span[SectionTableOffset..];
        ".text"u8.CopyTo(s);
        BinaryPrimitives.WriteUInt32LittleEndian(s[8..], (uint)code.Length);      // VirtualSize
        BinaryPrimitives.WriteUInt32LittleEndian(s[12..], SectionAlignment);      // VirtualAddress
        BinaryPrimitives.WriteUInt32LittleEndian(s[16..], FileAlignment);         // SizeOfRawData
        BinaryPrimitives.WriteUInt32LittleEndian(s[20..], FileAlignment);         // PointerToRawData
        BinaryPrimitives.WriteUInt32LittleEndian(s[36..], 0x60000020);            // CODE | EXECUTE | READ

        code.CopyTo(span[FileAlignment..]);
        return image;
    }
}
