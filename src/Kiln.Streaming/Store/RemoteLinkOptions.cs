namespace Kiln.Streaming.Store;

/// <summary>
/// The network between a host and a region, as <see cref="RemoteRegionStore"/> models it:
/// a response starts arriving <see cref="Latency"/> after its request (requests in flight
/// overlap their latencies, like real round trips), and its bytes then cross one shared link at
/// <see cref="BandwidthBytesPerSecond"/> (transfers queue for the link in request order, like a
/// saturated pipe). So N sequential requests cost N × latency, and B bytes cost at least
/// B ÷ bandwidth however they are split.
/// </summary>
public sealed record RemoteLinkOptions
{
    public TimeSpan Latency { get; init; }

    /// <summary>Bytes per second of the shared link; null means unlimited.</summary>
    public long? BandwidthBytesPerSecond { get; init; }

    public static RemoteLinkOptions Local { get; } = new();

    /// <summary>
    /// Parses the command-line forms: latency "10ms", "0.5s", "250us", "0"; bandwidth "200MB/s",
    /// "1.5GB/s", "100MiB/s", "800Mbit/s", "unlimited" (or null). Throws <see cref="FormatException"/>
    /// naming the bad value and the accepted forms.
    /// </summary>
    public static RemoteLinkOptions Parse(string? latency, string? bandwidth) => new()
    {
        Latency = ParseLatency(latency),
        BandwidthBytesPerSecond = ParseBandwidth(bandwidth),
    };

    public static TimeSpan ParseLatency(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Trim() == "0") return TimeSpan.Zero;
        var t = text.Trim().ToLowerInvariant();
        (string unit, double scale)[] units = [("us", 1e-6), ("ms", 1e-3), ("s", 1)];
        foreach (var (unit, scale) in units)
            if (t.EndsWith(unit, StringComparison.Ordinal) && TryNumber(t[..^unit.Length], out var v))
                return TimeSpan.FromSeconds(v * scale);
        throw new FormatException($"latency '{text}' is not understood; use e.g. 10ms, 0.5s or 250us.");
    }

    public static long? ParseBandwidth(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Trim().Equals("unlimited", StringComparison.OrdinalIgnoreCase)) return null;
        var t = text.Trim();
        if (t.EndsWith("/s", StringComparison.OrdinalIgnoreCase)) t = t[..^2];
        (string unit, double bytes)[] units =
        [
            ("GiB", 1L << 30), ("MiB", 1L << 20), ("KiB", 1L << 10),
            ("Gbit", 1e9 / 8), ("Mbit", 1e6 / 8), ("Kbit", 1e3 / 8),
            ("GB", 1e9), ("MB", 1e6), ("KB", 1e3), ("B", 1),
        ];
        foreach (var (unit, bytes) in units)
            if (t.EndsWith(unit, StringComparison.Ordinal) && TryNumber(t[..^unit.Length], out var v) && v > 0)
                return (long)(v * bytes);
        throw new FormatException($"bandwidth '{text}' is not understood; use e.g. 200MB/s, 1GiB/s, 800Mbit/s or unlimited.");
    }

    private static bool TryNumber(string s, out double value) =>
        double.TryParse(s.Trim(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out value) && value >= 0;
}
