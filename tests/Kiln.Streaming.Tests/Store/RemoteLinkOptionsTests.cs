using Kiln.Streaming.Store;

namespace Kiln.Streaming.Tests.Store;

public class RemoteLinkOptionsTests
{
    [Theory]
    [InlineData("10ms", 0.010)]
    [InlineData("0.5s", 0.5)]
    [InlineData("250us", 0.00025)]
    [InlineData("0", 0)]
    [InlineData(null, 0)]
    public void Latency_Parses(string? text, double seconds)
        => Assert.Equal(seconds, RemoteLinkOptions.ParseLatency(text).TotalSeconds, 9);

    [Theory]
    [InlineData("200MB/s", 200_000_000L)]
    [InlineData("1GiB/s", 1L << 30)]
    [InlineData("800Mbit/s", 100_000_000L)]
    [InlineData("unlimited", null)]
    public void Bandwidth_Parses(string text, long? bytesPerSecond)
        => Assert.Equal(bytesPerSecond, RemoteLinkOptions.ParseBandwidth(text));

    [Theory]
    [InlineData("10", null)]
    [InlineData("fast", null)]
    [InlineData(null, "200 parsecs")]
    [InlineData(null, "-5MB/s")]
    public void Nonsense_IsRefused(string? latency, string? bandwidth)
        => Assert.Throws<FormatException>(() => RemoteLinkOptions.Parse(latency, bandwidth));
}
