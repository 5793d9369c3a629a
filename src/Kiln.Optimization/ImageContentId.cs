using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Kiln.Storage.Formats;

namespace Kiln.Optimization;

/// <summary>
/// A cheap identity for the content a boot profile was recorded on, so a profile is not applied
/// to another image. Hashing a 30 GB disk would cost more than the boot itself, so it covers
/// what changes whenever the OS disk does in practice:
/// <code>
///   sha256( "kiln-content-id-v1\0"
///         ‖ virtual size (int64, little-endian)
///         ‖ first 1 MiB of the virtual disk    (MBR/GPT header, boot loader, partition starts)
///         ‖ last 1 MiB of the virtual disk     (backup GPT)
///         ‖ format header/footer of the file   (VHD: its 512-byte footer with unique id and
///                                               timestamp; qcow2: the first 512 bytes, the
///                                               header; raw: nothing) )
/// </code>
/// Written as "sha256:" + 64 lower-case hex digits.
/// </summary>
public static class ImageContentId
{
    public const int EdgeBytes = 1 << 20;
    private const int FormatBytes = 512;

    public static async Task<string> ComputeAsync(OpenedImage image, CancellationToken ct = default)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.ASCII.GetBytes("kiln-content-id-v1\0"));
        var size = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(size, image.Device.Length);
        hash.AppendData(size);

        var device = image.Device;
        int edge = (int)Math.Min(EdgeBytes, device.Length);
        var buffer = new byte[edge];
        await device.ReadAsync(0, buffer, ct).ConfigureAwait(false);
        hash.AppendData(buffer);
        await device.ReadAsync(device.Length - edge, buffer, ct).ConfigureAwait(false);
        hash.AppendData(buffer);

        var fileOffset = image.Format switch
        {
            DiskImage.VhdFixed or DiskImage.VhdDynamic => (long?)Math.Max(0, new FileInfo(image.Path).Length - FormatBytes),
            DiskImage.Qcow2 => 0,
            _ => null,
        };
        if (fileOffset is { } offset)
        {
            await using var file = new FileStream(image.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            file.Position = offset;
            var header = new byte[FormatBytes];
            int n = await file.ReadAtLeastAsync(header, FormatBytes, throwOnEndOfStream: false, ct).ConfigureAwait(false);
            hash.AppendData(header, 0, n);
        }
        return "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
