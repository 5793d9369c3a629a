using System.Globalization;
using System.Text.RegularExpressions;

namespace Kiln.Vms;

/// <summary>
/// The reads nbdkit's log filter recorded, in the order they completed. Its file has a start line
/// and a completion line per request, each with a local-time timestamp (microseconds):
/// <code>
///   2026-12-04 16:28:17.605086 connection=1 Read id=1 offset=0x0 count=0x200 ...
///   2026-12-04 16:28:17.605741 connection=1 ...Read id=1 return=0
/// </code>
/// A read counts when its completion line says return=0; ids are per connection. Lines are
/// written as requests happen, so the log survives an nbdkit that dies before writing its stats.
/// </summary>
public static partial class NbdkitLog
{
    public static IReadOnlyList<NbdkitLogRead> Parse(IEnumerable<string> lines)
    {
        var started = new Dictionary<(int Connection, long Id), long>();
        var reads = new List<NbdkitLogRead>();
        foreach (var line in lines)
        {
            var m = ReadLine().Match(line);
            if (!m.Success) continue;
            var key = (int.Parse(m.Groups["conn"].Value, CultureInfo.InvariantCulture), long.Parse(m.Groups["id"].Value, CultureInfo.InvariantCulture));
            if (m.Groups["count"].Success)
            {
                started[key] = long.Parse(m.Groups["count"].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            }
            else if (started.Remove(key, out var count) && m.Groups["ret"].Value == "0")
            {
                var time = DateTime.ParseExact(m.Groups["time"].Value, "yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal);
                reads.Add(new NbdkitLogRead(time, count));
            }
        }
        return reads;
    }

    /// <summary>Reads <paramref name="path"/>; a missing file (nbdkit never started logging) is no reads.</summary>
    public static IReadOnlyList<NbdkitLogRead> Read(string path) => File.Exists(path) ? Parse(File.ReadLines(path)) : [];

    [GeneratedRegex(@"^(?<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}) connection=(?<conn>\d+) (?:Read id=(?<id>\d+) offset=0x[0-9a-fA-F]+ count=0x(?<count>[0-9a-fA-F]+)|\.\.\.Read id=(?<id>\d+) return=(?<ret>-?\d+))",
        RegexOptions.CultureInvariant)]
    private static partial Regex ReadLine();
}
