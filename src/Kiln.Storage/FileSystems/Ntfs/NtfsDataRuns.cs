using Kiln.Storage.Blocks;

namespace Kiln.Storage.FileSystems.Ntfs;

/// <summary>
/// Decodes a mapping pairs array ("data runs"): each run starts with a header byte whose low
/// nibble is the size of the length field and high nibble the size of the (signed, relative to
/// the previous run's LCN) offset field; an offset size of 0 means sparse; a 0 header ends the list.
/// </summary>
internal static class NtfsDataRuns
{
    private const int MaxRuns = 1 << 20;

    public static List<NtfsDataRun> Decode(ReadOnlySpan<byte> data, long startVcn, long clusterCount, long errorOffset)
    {
        const string name = "NTFS data runs";
        var runs = new List<NtfsDataRun>();
        long vcn = startVcn, lcn = 0;
        int pos = 0;
        while (pos < data.Length && data[pos] != 0)
        {
            int lenSize = data[pos] & 0x0F, offSize = data[pos] >> 4;
            if (lenSize is 0 or > 8 || offSize > 8 || pos + 1 + lenSize + offSize > data.Length)
                throw new CorruptImageException(name, errorOffset + pos, $"run header 0x{data[pos]:X2} has field sizes {lenSize}/{offSize} that do not fit the attribute.");
            long length = ReadSigned(data.Slice(pos + 1, lenSize), signed: false);
            // 2^48 clusters is beyond any volume; the bound also keeps VCN sums from overflowing.
            if (length <= 0 || length > 1L << 48 || vcn > (1L << 50))
                throw new CorruptImageException(name, errorOffset + pos, $"run length {length} at VCN {vcn} is not a plausible cluster count.");
            long run = -1;
            if (offSize > 0)
            {
                long delta = ReadSigned(data.Slice(pos + 1 + lenSize, offSize), signed: true);
                if (delta > clusterCount || delta < -clusterCount)
                    throw new CorruptImageException(name, errorOffset + pos, $"run offset {delta} jumps outside the volume ({clusterCount} clusters).");
                lcn += delta;
                if (lcn < 0 || lcn > clusterCount || length > clusterCount - lcn)
                    throw new CorruptImageException(name, errorOffset + pos, $"run of {length} clusters at LCN {lcn} lies outside the volume ({clusterCount} clusters).");
                run = lcn;
            }
            if (runs.Count >= MaxRuns)
                throw new CorruptImageException(name, errorOffset + pos, $"more than {MaxRuns} runs.");
            runs.Add(new NtfsDataRun(vcn, run, length));
            vcn += length;
            pos += 1 + lenSize + offSize;
        }
        return runs;
    }

    private static long ReadSigned(ReadOnlySpan<byte> b, bool signed)
    {
        long v = 0;
        for (int i = b.Length - 1; i >= 0; i--) v = (v << 8) | b[i];
        if (signed && b.Length < 8 && (b[^1] & 0x80) != 0) v -= 1L << (8 * b.Length);
        return v;
    }
}
