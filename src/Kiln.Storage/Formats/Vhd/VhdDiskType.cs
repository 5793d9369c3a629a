namespace Kiln.Storage.Formats;

/// <summary>Disk Type field of the VHD footer (VHD Image Format Specification, "Hard Disk Footer Format").</summary>
public enum VhdDiskType : uint
{
    None = 0,
    Fixed = 2,
    Dynamic = 3,
    Differencing = 4,
}
