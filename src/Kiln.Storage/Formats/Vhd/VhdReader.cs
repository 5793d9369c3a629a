using Kiln.Storage.Blocks;

namespace Kiln.Storage.Formats;

/// <summary>
/// Finds and checks a VHD's footer and opens the disk as fixed or dynamic. The footer lives in
/// the last 512 bytes (the last 511 in images from old Virtual PC versions). A dynamic disk also
/// keeps a copy at offset 0, which rescues a damaged or missing trailing footer (with a warning).
/// </summary>
public static class VhdReader
{
    /// <summary>Opens <paramref name="path"/> as a VHD; throws <see cref="CorruptImageException"/> when it is not a valid one.</summary>
    public static async Task<OpenedImage> OpenAsync(string path, bool writable = false, CancellationToken ct = default)
    {
        var file = ImageFile.Open(path, writable);
        OpenedImage? image = null;
        try
        {
            image = await TryOpenAsync(file, ct).ConfigureAwait(false)
                ?? throw new CorruptImageException("VHD footer", Math.Max(0, file.Length - VhdFooter.Size), $"no '{VhdFooter.Cookie}' cookie at the end of '{path}' or at offset 0: not a VHD.");
            return image;
        }
        finally
        {
            if (image is null) file.Dispose();
        }
    }

    /// <summary>Null when the file carries no VHD cookie at all (so it is some other format); throws when it does but is damaged.</summary>
    internal static async Task<OpenedImage?> TryOpenAsync(ImageFile file, CancellationToken ct)
    {
        long length = file.Length;
        if (length < VhdFooter.Size) return null;
        var warnings = new List<string>();

        var tail = new byte[VhdFooter.Size];
        await file.ReadExactAsync(length - VhdFooter.Size, tail, ct).ConfigureAwait(false);
        long footerOffset = length - VhdFooter.Size;
        if (!VhdFooter.HasCookie(tail) && tail.AsSpan(1, 8).SequenceEqual("conectix"u8))
        {
            // 511-byte footer: shift it into place; the missing last byte is reserved (zero).
            tail.AsSpan(1).CopyTo(tail);
            tail[^1] = 0;
            footerOffset = length - (VhdFooter.Size - 1);
        }

        var head = new byte[VhdFooter.Size];
        await file.ReadExactAsync(0, head, ct).ConfigureAwait(false);
        bool headIsFooter = VhdFooter.HasCookie(head);

        VhdFooter footer;
        bool rescued = false;
        if (VhdFooter.HasCookie(tail))
        {
            try
            {
                footer = VhdFooter.Parse(tail, footerOffset);
            }
            catch (CorruptImageException bad) when (headIsFooter && TryParse(head) is { DiskType: VhdDiskType.Dynamic } copy)
            {
                footer = copy;
                rescued = true;
                warnings.Add($"{bad.Message} Using the footer copy at offset 0 instead.");
            }
        }
        else if (headIsFooter && footerOffset != 0)
        {
            footer = VhdFooter.Parse(head, 0);
            if (footer.DiskType != VhdDiskType.Dynamic) return null; // a fixed disk's data merely starts with the cookie
            rescued = true;
            warnings.Add($"VHD footer at offset {length - VhdFooter.Size}: missing (no '{VhdFooter.Cookie}' cookie). Using the footer copy at offset 0 instead.");
        }
        else
        {
            return null;
        }

        IBlockDevice device;
        string format;
        if (footer.DiskType == VhdDiskType.Fixed)
        {
            if (footer.CurrentSize > footerOffset)
                throw new CorruptImageException("VHD footer", footerOffset + 48,
                    $"current size {footer.CurrentSize} of the fixed disk is larger than the {footerOffset} bytes of data in front of the footer (file truncated?).");
            device = new VhdFixedDevice(file, footer);
            format = "vhd-fixed";
        }
        else
        {
            device = await VhdDynamicDevice.OpenAsync(file, footer, rescued, ct).ConfigureAwait(false);
            format = "vhd-dynamic";
        }
        return new OpenedImage(device, format, file.Path) { Warnings = warnings };
    }

    private static VhdFooter? TryParse(byte[] raw)
    {
        try
        {
            return VhdFooter.Parse(raw, 0);
        }
        catch (CorruptImageException)
        {
            return null;
        }
    }
}
