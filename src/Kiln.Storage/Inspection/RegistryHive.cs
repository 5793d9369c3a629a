using System.Buffers.Binary;
using System.Text;
using Kiln.Storage.Blocks;

namespace Kiln.Storage.Inspection;

/// <summary>
/// A read-only Windows registry hive ("regf"; layout per the public "Windows registry file format
/// specification"), read lazily through a range reader so a 100 MB SOFTWARE hive costs a few pages.
/// <code>
/// base block (4096): "regf" … 0x24 root cell offset … | hive bins: "hbin" headers, then cells
/// cell: i32 size (negative = in use) + data; offsets are relative to the first hive bin (byte 4096)
/// nk: 0x14 subkey count 0x1C subkey list 0x24 value count 0x28 value list 0x48 name length 0x4C name
/// vk: 0x02 name length 0x04 data size (bit 31: inline) 0x08 data offset 0x0C type 0x10 flags 0x14 name
/// subkey lists: "lf"/"lh" (offset, hash) pairs, "li" offsets, "ri" offsets of lists
/// </code>
/// </summary>
public sealed class RegistryHive
{
    private const int BinsStart = 4096;
    private const int MaxCell = 1 << 20;
    private const int MaxListEntries = 1 << 16;
    private readonly Func<long, int, CancellationToken, Task<byte[]>> _read;
    private readonly long _length;
    private readonly uint _rootCell;

    private RegistryHive(Func<long, int, CancellationToken, Task<byte[]>> read, long length, uint rootCell)
    {
        _read = read;
        _length = length;
        _rootCell = rootCell;
    }

    /// <param name="read">Reads (offset, length) of the hive file; may return fewer bytes at its end.</param>
    public static async Task<RegistryHive> OpenAsync(Func<long, int, CancellationToken, Task<byte[]>> read, long length, CancellationToken ct = default)
    {
        if (length < BinsStart + 32)
            throw new CorruptImageException("registry hive", 0, $"the hive is {length} bytes, smaller than its base block.");
        var bb = await read(0, 512, ct).ConfigureAwait(false);
        if (bb.Length < 0x28 || !bb.AsSpan(0, 4).SequenceEqual("regf"u8))
            throw new CorruptImageException("registry hive base block", 0, "signature is not \"regf\".");
        return new RegistryHive(read, length, BinaryPrimitives.ReadUInt32LittleEndian(bb.AsSpan(0x24)));
    }

    /// <summary>A REG_SZ/REG_EXPAND_SZ value under a key path ("Microsoft\Windows NT\CurrentVersion"); null when absent.</summary>
    public async Task<string?> GetStringAsync(string keyPath, string valueName, CancellationToken ct = default)
    {
        uint key = _rootCell;
        foreach (var part in keyPath.Split('\\', StringSplitOptions.RemoveEmptyEntries))
        {
            var sub = await FindSubkeyAsync(key, part, ct).ConfigureAwait(false);
            if (sub is null) return null;
            key = sub.Value;
        }
        var nk = await CellAsync(key, "nk", ct).ConfigureAwait(false);
        int count = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(nk.AsSpan(0x24)), MaxListEntries);
        if (count == 0) return null;
        var list = await CellAsync(BinaryPrimitives.ReadUInt32LittleEndian(nk.AsSpan(0x28)), null, ct).ConfigureAwait(false);
        if (list.Length < count * 4) throw Corrupt(key, "value list is shorter than the value count.");
        for (int i = 0; i < count; i++)
        {
            uint vkOffset = BinaryPrimitives.ReadUInt32LittleEndian(list.AsSpan(i * 4));
            var vk = await CellAsync(vkOffset, "vk", ct).ConfigureAwait(false);
            if (vk.Length < 0x14) throw Corrupt(vkOffset, "vk cell is too short.");
            if (!string.Equals(Name(vk, 0x14, BinaryPrimitives.ReadUInt16LittleEndian(vk.AsSpan(2)), (BinaryPrimitives.ReadUInt16LittleEndian(vk.AsSpan(0x10)) & 1) != 0, vkOffset), valueName, StringComparison.OrdinalIgnoreCase))
                continue;
            uint type = BinaryPrimitives.ReadUInt32LittleEndian(vk.AsSpan(0x0C));
            if (type is not (1 or 2)) return null;
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(vk.AsSpan(4));
            byte[] data;
            if ((size & 0x80000000) != 0) data = vk.AsSpan(8, (int)Math.Min(size & 0x7FFFFFFF, 4)).ToArray();
            else
            {
                if (size > 16344) throw Corrupt(vkOffset, $"a {size}-byte string is larger than a product name can be.");
                data = await CellAsync(BinaryPrimitives.ReadUInt32LittleEndian(vk.AsSpan(8)), null, ct).ConfigureAwait(false);
                if (data.Length < size) throw Corrupt(vkOffset, "value data cell is shorter than the value size.");
                data = data[..(int)size];
            }
            return Encoding.Unicode.GetString(data).TrimEnd('\0');
        }
        return null;
    }

    private async Task<uint?> FindSubkeyAsync(uint key, string name, CancellationToken ct)
    {
        var nk = await CellAsync(key, "nk", ct).ConfigureAwait(false);
        if (BinaryPrimitives.ReadUInt32LittleEndian(nk.AsSpan(0x14)) == 0) return null;
        var pending = new Stack<(uint Offset, int Depth)>();
        pending.Push((BinaryPrimitives.ReadUInt32LittleEndian(nk.AsSpan(0x1C)), 0));
        int visited = 0;
        while (pending.Count > 0)
        {
            var (listOffset, depth) = pending.Pop();
            if (depth > 2 || ++visited > 1024) throw Corrupt(listOffset, "subkey index lists nest too deep or too often (a loop?).");
            var list = await CellAsync(listOffset, null, ct).ConfigureAwait(false);
            if (list.Length < 4) throw Corrupt(listOffset, "subkey list is too short.");
            string sig = Encoding.ASCII.GetString(list, 0, 2);
            int count = BinaryPrimitives.ReadUInt16LittleEndian(list.AsSpan(2));
            int stride = sig is "lf" or "lh" ? 8 : sig is "li" or "ri" ? 4 : throw Corrupt(listOffset, $"subkey list signature \"{sig}\" is not lf, lh, li or ri.");
            if (4 + count * stride > list.Length) throw Corrupt(listOffset, $"subkey list count {count} exceeds the cell.");
            for (int i = 0; i < count; i++)
            {
                uint child = BinaryPrimitives.ReadUInt32LittleEndian(list.AsSpan(4 + i * stride));
                if (sig == "ri") { pending.Push((child, depth + 1)); continue; }
                var sub = await CellAsync(child, "nk", ct).ConfigureAwait(false);
                string subName = Name(sub, 0x4C, BinaryPrimitives.ReadUInt16LittleEndian(sub.AsSpan(0x48)), (BinaryPrimitives.ReadUInt16LittleEndian(sub.AsSpan(2)) & 0x20) != 0, child);
                if (string.Equals(subName, name, StringComparison.OrdinalIgnoreCase)) return child;
            }
        }
        return null;
    }

    private string Name(byte[] cell, int at, int length, bool ascii, uint offset)
    {
        if (at + length > cell.Length) throw Corrupt(offset, $"name of {length} bytes runs past the cell.");
        return ascii ? Encoding.Latin1.GetString(cell, at, length) : Encoding.Unicode.GetString(cell, at, length);
    }

    /// <summary>The data of the cell at <paramref name="offset"/> (relative to the first hive bin), checking its signature.</summary>
    private async Task<byte[]> CellAsync(uint offset, string? signature, CancellationToken ct)
    {
        long at = BinsStart + (long)offset;
        if (offset == 0xFFFFFFFF || at + 4 > _length) throw Corrupt(offset, "cell offset lies outside the hive.");
        var head = await _read(at, 4, ct).ConfigureAwait(false);
        if (head.Length < 4) throw Corrupt(offset, "cell header is truncated.");
        int size = -BinaryPrimitives.ReadInt32LittleEndian(head);
        if (size < 8 || size > MaxCell || at + size > _length) throw Corrupt(offset, $"cell size {size} is not an in-use cell inside the hive.");
        var data = await _read(at + 4, size - 4, ct).ConfigureAwait(false);
        if (data.Length < size - 4) throw Corrupt(offset, "cell is truncated.");
        if (signature is not null && (data.Length < 0x50 && signature == "nk" || !data.AsSpan(0, 2).SequenceEqual(Encoding.ASCII.GetBytes(signature))))
            throw Corrupt(offset, $"expected a \"{signature}\" cell.");
        return data;
    }

    private static CorruptImageException Corrupt(uint offset, string problem) =>
        new("registry hive cell", BinsStart + (long)offset, problem);
}
