using System.Globalization;
using System.Text.RegularExpressions;

namespace Kiln.Vms;

/// <summary>The read counts nbdkit's stats filter writes on exit ("read: 136 ops, 0.000230 s, 3.16 MiB, …"); bytes are as precise as its rounded units.</summary>
public sealed partial record NbdkitStats(long ReadRequests, long ReadBytes)
{
    public static NbdkitStats? Parse(string text)
    {
        var m = ReadLine().Match(text);
        if (!m.Success) return text.Contains("total:", StringComparison.Ordinal) ? new NbdkitStats(0, 0) : null; // no read line: nothing was read
        long ops = long.Parse(m.Groups["ops"].Value, CultureInfo.InvariantCulture);
        double size = double.Parse(m.Groups["size"].Value, CultureInfo.InvariantCulture);
        long scale = m.Groups["unit"].Value switch
        {
            "KiB" => 1L << 10,
            "MiB" => 1L << 20,
            "GiB" => 1L << 30,
            "TiB" => 1L << 40,
            _ => 1, // "bytes"
        };
        return new NbdkitStats(ops, (long)Math.Round(size * scale));
    }

    [GeneratedRegex(@"^read: (?<ops>\d+) ops, [\d.]+ s, (?<size>[\d.]+) (?<unit>bytes|KiB|MiB|GiB|TiB)", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex ReadLine();
}
