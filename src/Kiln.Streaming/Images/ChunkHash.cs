using System.Security.Cryptography;

namespace Kiln.Streaming.Images;

/// <summary>How Kiln names content: lowercase hex sha256.</summary>
public static class ChunkHash
{
    public static string Of(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));

    public static bool Matches(ReadOnlySpan<byte> data, string expectedHex) =>
        string.Equals(Of(data), expectedHex, StringComparison.Ordinal);

    public static bool IsAllZero(ReadOnlySpan<byte> data) => data.IndexOfAnyExcept((byte)0) < 0;
}
