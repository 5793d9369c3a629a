using System.Buffers.Binary;
using System.Text;

namespace Kiln.Streaming.Hydration;

/// <summary>
/// Which 4 KiB blocks of the local cache file hold verified data, one bit per block, persisted
/// beside the cache file. Bits are only ever set after the data is written, and the file is
/// written (temp + rename) only after the cache file is flushed, so after a crash the map may
/// forget data (refetched later) but never claims data that is not there.
/// <code>
///   PresenceMap file ("KILNPRS1"), little endian:
///     0  magic      8 bytes  "KILNPRS1"
///     8  imageSize  int64
///    16  blockSize  int32
///    20  idLength   int32    length of the UTF-8 manifest content id that follows
///    24  id         idLength bytes (the version the cache holds; another version starts empty)
///     …  bits       ceil(blocks / 64) × uint64, bit b of word w = block 64w + b
/// </code>
/// </summary>
internal sealed class PresenceMap
{
    public const int BlockSize = 4096;
    private static readonly byte[] Magic = "KILNPRS1"u8.ToArray();

    private readonly long[] _bits;
    private readonly long _imageSize;
    private readonly long _blocks;

    public PresenceMap(long imageSize)
    {
        _imageSize = imageSize;
        _blocks = (imageSize + BlockSize - 1) / BlockSize;
        _bits = new long[(_blocks + 63) / 64];
    }

    public long PresentBlocks
    {
        get
        {
            long n = 0;
            for (int i = 0; i < _bits.Length; i++) n += long.PopCount(Volatile.Read(ref _bits[i]));
            return n;
        }
    }

    /// <summary>True when every block touching [offset, offset + length) is present.</summary>
    public bool AllPresent(long offset, long length)
    {
        if (length <= 0) return true;
        long first = offset / BlockSize, end = (offset + length + BlockSize - 1) / BlockSize;
        for (long b = first; b < end; b++)
            if ((Volatile.Read(ref _bits[b >> 6]) & (1L << (int)(b & 63))) == 0) return false;
        return true;
    }

    /// <summary>Marks the blocks that [offset, offset + length) covers completely (a block cut by the image end counts as complete).</summary>
    public void MarkCovered(long offset, long length)
    {
        long first = (offset + BlockSize - 1) / BlockSize;
        long end = offset + length >= _imageSize ? _blocks : (offset + length) / BlockSize;
        for (long b = first; b < end; b++)
            Interlocked.Or(ref _bits[b >> 6], 1L << (int)(b & 63));
    }

    public async Task SaveAsync(string path, string contentId, CancellationToken ct)
    {
        var id = Encoding.UTF8.GetBytes(contentId);
        var data = new byte[24 + id.Length + _bits.Length * 8];
        Magic.CopyTo(data, 0);
        BinaryPrimitives.WriteInt64LittleEndian(data.AsSpan(8), _imageSize);
        BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(16), BlockSize);
        BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(20), id.Length);
        id.CopyTo(data, 24);
        for (int i = 0; i < _bits.Length; i++)
            BinaryPrimitives.WriteInt64LittleEndian(data.AsSpan(24 + id.Length + i * 8), Volatile.Read(ref _bits[i]));
        var temp = path + ".tmp";
        await File.WriteAllBytesAsync(temp, data, ct).ConfigureAwait(false);
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Loads a saved map for the same version and size; anything else (missing, other version, damaged) gives an empty map.</summary>
    public static PresenceMap Load(string path, long imageSize, string contentId)
    {
        var map = new PresenceMap(imageSize);
        if (!File.Exists(path)) return map;
        var data = File.ReadAllBytes(path);
        var id = Encoding.UTF8.GetBytes(contentId);
        if (data.Length != 24 + id.Length + map._bits.Length * 8
            || !data.AsSpan(0, 8).SequenceEqual(Magic)
            || BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(8)) != imageSize
            || BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(16)) != BlockSize
            || BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(20)) != id.Length
            || !data.AsSpan(24, id.Length).SequenceEqual(id))
            return map;
        for (int i = 0; i < map._bits.Length; i++)
            map._bits[i] = BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(24 + id.Length + i * 8));
        return map;
    }
}
