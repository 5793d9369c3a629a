namespace Kiln.Storage.Blocks;

/// <summary>
/// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as GPT (UEFI spec 5.3.2) uses it.
/// Written here because System.IO.Hashing is a package, not part of the BCL.
/// </summary>
public static class Crc32
{
    private static readonly uint[] Table = BuildTable();

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int k = 0; k < 8; k++)
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[i] = c;
        }
        return table;
    }

    public static uint Compute(ReadOnlySpan<byte> data) => Finish(Append(Start, data));

    /// <summary>Initial running value for <see cref="Append"/>.</summary>
    public const uint Start = 0xFFFFFFFFu;

    /// <summary>Folds more bytes into a running value (for data read in pieces).</summary>
    public static uint Append(uint running, ReadOnlySpan<byte> data)
    {
        uint c = running;
        foreach (byte b in data)
            c = Table[(c ^ b) & 0xFF] ^ (c >> 8);
        return c;
    }

    public static uint Finish(uint running) => running ^ 0xFFFFFFFFu;
}
