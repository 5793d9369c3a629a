namespace Kiln.Storage.Inspection;

/// <summary>One partition as `kiln inspect` reports it (a whole-disk file system is index 0).</summary>
/// <param name="Type">MBR type byte ("0x83") or GPT type GUID.</param>
/// <param name="FileSystem">ext2 | ext3 | ext4 | fat12 | fat16 | fat32 | ntfs, or null when not recognized.</param>
public sealed record PartitionFacts(
    int Index,
    long OffsetBytes,
    long SizeBytes,
    string Type,
    string Name,
    bool Bootable,
    bool EfiSystemPartition,
    string? FileSystem,
    string? Label);
