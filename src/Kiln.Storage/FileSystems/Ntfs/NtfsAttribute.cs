namespace Kiln.Storage.FileSystems.Ntfs;

/// <summary>
/// One attribute of an MFT record (NTFS Documentation, "Attribute - Header"): resident with its
/// value inline, or non-resident with data runs covering VCNs [StartVcn, LastVcn].
/// </summary>
public sealed record NtfsAttribute(
    uint Type,
    string Name,
    ushort Id,
    ushort Flags,
    byte[]? ResidentValue,
    long StartVcn,
    long LastVcn,
    IReadOnlyList<NtfsDataRun> Runs,
    long DataSize,
    long InitializedSize,
    ulong RecordNumber)
{
    public const uint StandardInformation = 0x10, AttributeList = 0x20, FileName = 0x30, VolumeName = 0x60,
        Data = 0x80, IndexRoot = 0x90, IndexAllocation = 0xA0, Bitmap = 0xB0, End = 0xFFFFFFFF;

    public bool IsResident => ResidentValue is not null;
    public bool IsCompressed => (Flags & 0x0001) != 0;
    public bool IsEncrypted => (Flags & 0x4000) != 0;
}
