using System.Buffers.Binary;
using System.Text;

namespace Kiln.Storage.Tests.Fixtures;

/// <summary>
/// Writes a small registry hive (regf base block + one hive bin) from the public format
/// specification, bottom-up: values and leaf keys first, so parents can point at them.
/// </summary>
public sealed class HiveBuilder
{
    private readonly List<byte> _cells = [];

    private uint Cell(byte[] data)
    {
        uint offset = (uint)(32 + _cells.Count);
        int size = (4 + data.Length + 7) & ~7;
        var cell = new byte[size];
        BinaryPrimitives.WriteInt32LittleEndian(cell, -size);
        data.CopyTo(cell, 4);
        _cells.AddRange(cell);
        return offset;
    }

    public uint StringValue(string name, string value)
    {
        var data = Encoding.Unicode.GetBytes(value + "\0");
        uint dataCell = Cell(data);
        var vk = new byte[0x14 + name.Length];
        "vk"u8.CopyTo(vk);
        BinaryPrimitives.WriteUInt16LittleEndian(vk.AsSpan(2), (ushort)name.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(vk.AsSpan(4), (uint)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(vk.AsSpan(8), dataCell);
        BinaryPrimitives.WriteUInt32LittleEndian(vk.AsSpan(0x0C), 1); // REG_SZ
        BinaryPrimitives.WriteUInt16LittleEndian(vk.AsSpan(0x10), 1); // ASCII name
        Encoding.ASCII.GetBytes(name).CopyTo(vk, 0x14);
        return Cell(vk);
    }

    /// <param name="listKind">lf | lh | li | ri (ri wraps an li holding the subkeys).</param>
    public uint Key(string name, uint[] subkeys, uint[] values, string listKind = "lf")
    {
        uint subList = 0xFFFFFFFF, valueList = 0xFFFFFFFF;
        if (subkeys.Length > 0)
        {
            subList = listKind == "ri" ? Cell(List("ri", [List0("li", subkeys)])) : Cell(List(listKind, subkeys));
        }
        if (values.Length > 0)
        {
            var v = new byte[values.Length * 4];
            for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteUInt32LittleEndian(v.AsSpan(i * 4), values[i]);
            valueList = Cell(v);
        }
        var nk = new byte[0x4C + name.Length];
        "nk"u8.CopyTo(nk);
        BinaryPrimitives.WriteUInt16LittleEndian(nk.AsSpan(2), 0x20);
        BinaryPrimitives.WriteUInt32LittleEndian(nk.AsSpan(0x14), (uint)subkeys.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(nk.AsSpan(0x1C), subList);
        BinaryPrimitives.WriteUInt32LittleEndian(nk.AsSpan(0x24), (uint)values.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(nk.AsSpan(0x28), valueList);
        BinaryPrimitives.WriteUInt16LittleEndian(nk.AsSpan(0x48), (ushort)name.Length);
        Encoding.ASCII.GetBytes(name).CopyTo(nk, 0x4C);
        return Cell(nk);
    }

    private uint List0(string kind, uint[] items) => Cell(List(kind, items));

    private static byte[] List(string kind, uint[] items)
    {
        int stride = kind is "lf" or "lh" ? 8 : 4;
        var l = new byte[4 + items.Length * stride];
        Encoding.ASCII.GetBytes(kind).CopyTo(l, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(l.AsSpan(2), (ushort)items.Length);
        for (int i = 0; i < items.Length; i++) BinaryPrimitives.WriteUInt32LittleEndian(l.AsSpan(4 + i * stride), items[i]);
        return l;
    }

    public byte[] Build(uint rootKey)
    {
        int binSize = (32 + _cells.Count + 4095) & ~4095;
        var hive = new byte[4096 + binSize];
        "regf"u8.CopyTo(hive);
        BinaryPrimitives.WriteUInt32LittleEndian(hive.AsSpan(4), 1);
        BinaryPrimitives.WriteUInt32LittleEndian(hive.AsSpan(8), 1);
        BinaryPrimitives.WriteUInt32LittleEndian(hive.AsSpan(0x14), 1);
        BinaryPrimitives.WriteUInt32LittleEndian(hive.AsSpan(0x18), 5);
        BinaryPrimitives.WriteUInt32LittleEndian(hive.AsSpan(0x20), 1);
        BinaryPrimitives.WriteUInt32LittleEndian(hive.AsSpan(0x24), rootKey);
        BinaryPrimitives.WriteUInt32LittleEndian(hive.AsSpan(0x28), (uint)binSize);
        uint sum = 0;
        for (int i = 0; i < 508; i += 4) sum ^= BinaryPrimitives.ReadUInt32LittleEndian(hive.AsSpan(i));
        BinaryPrimitives.WriteUInt32LittleEndian(hive.AsSpan(508), sum);
        "hbin"u8.CopyTo(hive.AsSpan(4096));
        BinaryPrimitives.WriteUInt32LittleEndian(hive.AsSpan(4096 + 8), (uint)binSize);
        _cells.ToArray().CopyTo(hive, 4096 + 32);
        // The free rest of the bin is one free cell (positive size).
        int rest = binSize - 32 - _cells.Count;
        if (rest >= 8) BinaryPrimitives.WriteInt32LittleEndian(hive.AsSpan(4096 + 32 + _cells.Count), rest);
        return hive;
    }

    /// <summary>A SOFTWARE hive with Microsoft\Windows NT\CurrentVersion ProductName among sibling keys.</summary>
    public static byte[] Software(string productName, string build = "20348", string? displayVersion = null)
    {
        var b = new HiveBuilder();
        uint[] values = displayVersion is null
            ? [b.StringValue("CurrentBuild", build), b.StringValue("ProductName", productName)]
            : [b.StringValue("CurrentBuild", build), b.StringValue("ProductName", productName), b.StringValue("DisplayVersion", displayVersion)];
        uint current = b.Key("CurrentVersion", [], values);
        uint nt = b.Key("Windows NT", [current], [], "lh");
        uint windows = b.Key("Windows", [b.Key("CurrentVersion", [], [b.StringValue("ProductName", "wrong key")])], [], "li");
        uint microsoft = b.Key("Microsoft", [b.Key("Cryptography", [], []), windows, nt], [], "ri");
        uint root = b.Key("ROOT", [b.Key("Classes", [], []), microsoft, b.Key("Policies", [], [])], []);
        return b.Build(root);
    }
}
