namespace Kiln.Storage.Partitions;

/// <summary>One partition, in bytes (whatever the sector size), with the type as its scheme spells it.</summary>
/// <param name="Index">1-based: the number Linux gives it (sda1, …; logical MBR partitions start at 5).</param>
/// <param name="MbrType">MBR system id byte (0x83 Linux, 0x07 NTFS, 0xEF EFI, …); null on GPT.</param>
/// <param name="TypeGuid">GPT partition type GUID; null on MBR.</param>
/// <param name="Bootable">MBR active flag (0x80), or GPT attribute bit 2 (legacy BIOS bootable).</param>
/// <param name="IsEfiSystemPartition">GPT type C12A7328-… or MBR type 0xEF.</param>
public sealed record Partition(
    int Index,
    long Offset,
    long Length,
    byte? MbrType,
    Guid? TypeGuid,
    Guid? UniqueGuid,
    string Name,
    bool Bootable,
    bool IsEfiSystemPartition)
{
    public static readonly Guid EfiSystemType = new("C12A7328-F81F-11D2-BA4B-00A0C93EC93B");
    public static readonly Guid LinuxFileSystemType = new("0FC63DAF-8483-4772-8E79-3D69D8477DE4");
    public static readonly Guid MicrosoftBasicDataType = new("EBD0A0A2-B9E5-4433-87C0-68B6B72699C7");
    public static readonly Guid BiosBootType = new("21686148-6449-6E6F-744E-656564454649");

    /// <summary>The type as a short human/JSON string: "0x83" or the GPT GUID.</summary>
    public string TypeText => TypeGuid is { } g ? g.ToString().ToUpperInvariant() : $"0x{MbrType ?? 0:X2}";

    public long End => Offset + Length;
}
