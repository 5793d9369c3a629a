namespace Kiln.Storage.Formats;

/// <summary>
/// The CHS "Disk Geometry" field of the VHD footer, computed with the algorithm of the VHD
/// Image Format Specification, appendix "CHS Calculation". BIOS-era guests derive the disk
/// size from it; Hyper-V and Azure use the footer's Current Size instead.
/// </summary>
public readonly record struct VhdGeometry(ushort Cylinders, byte Heads, byte SectorsPerTrack)
{
    public long TotalSectors => (long)Cylinders * Heads * SectorsPerTrack;

    public static VhdGeometry FromSize(long sizeBytes)
    {
        long totalSectors = sizeBytes / 512;
        // The specification caps the geometry at 65535 cylinders x 16 heads x 255 sectors (~127 GiB).
        if (totalSectors > 65535L * 16 * 255) totalSectors = 65535L * 16 * 255;

        long sectorsPerTrack, heads, cylinderTimesHeads;
        if (totalSectors >= 65535L * 16 * 63)
        {
            sectorsPerTrack = 255;
            heads = 16;
            cylinderTimesHeads = totalSectors / sectorsPerTrack;
        }
        else
        {
            sectorsPerTrack = 17;
            cylinderTimesHeads = totalSectors / sectorsPerTrack;
            heads = (cylinderTimesHeads + 1023) / 1024;
            if (heads < 4) heads = 4;
            if (cylinderTimesHeads >= heads * 1024 || heads > 16)
            {
                sectorsPerTrack = 31;
                heads = 16;
                cylinderTimesHeads = totalSectors / sectorsPerTrack;
            }
            if (cylinderTimesHeads >= heads * 1024)
            {
                sectorsPerTrack = 63;
                heads = 16;
                cylinderTimesHeads = totalSectors / sectorsPerTrack;
            }
        }
        return new VhdGeometry((ushort)(cylinderTimesHeads / heads), (byte)heads, (byte)sectorsPerTrack);
    }

    public override string ToString() => $"{Cylinders}/{Heads}/{SectorsPerTrack}";
}
