namespace Kiln.Nbd.Tests;

internal static class TestData
{
    /// <summary>Deterministic non-repeating-looking bytes, so misplaced data is caught.</summary>
    public static byte[] Pattern(int length, int seed = 1)
    {
        var b = new byte[length];
        new Random(seed).NextBytes(b);
        return b;
    }
}
