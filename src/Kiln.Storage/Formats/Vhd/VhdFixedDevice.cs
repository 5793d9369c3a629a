namespace Kiln.Storage.Formats;

/// <summary>
/// A fixed VHD: the disk's bytes, then the 512-byte footer (VHD Image Format Specification,
/// "Fixed Hard Disk Image"). Holes in the host file are reported as unallocated.
/// </summary>
public sealed class VhdFixedDevice : FileWindowDevice
{
    internal VhdFixedDevice(ImageFile file, VhdFooter footer) : base(file, footer.CurrentSize) => Footer = footer;

    public VhdFooter Footer { get; }
}
