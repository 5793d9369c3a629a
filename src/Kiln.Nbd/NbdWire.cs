using System.Buffers.Binary;

namespace Kiln.Nbd;

/// <summary>Big-endian reads from the client that turn a short stream into a clear protocol error.</summary>
internal static class NbdWire
{
    /// <summary>Reads exactly <c>buffer.Length</c> bytes; false on a clean end of stream before the first byte.</summary>
    public static async ValueTask<bool> ReadMessageAsync(Stream stream, Memory<byte> buffer, string what, CancellationToken ct)
    {
        int n = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct).ConfigureAwait(false);
        if (n == 0) return false;
        if (n < buffer.Length)
            throw new NbdProtocolException($"{what} truncated: the client closed after {n} of {buffer.Length} bytes");
        return true;
    }

    public static async ValueTask ReadExactAsync(Stream stream, Memory<byte> buffer, string what, CancellationToken ct)
    {
        if (buffer.Length == 0) return;
        if (!await ReadMessageAsync(stream, buffer, what, ct).ConfigureAwait(false))
            throw new NbdProtocolException($"{what} missing: the client closed the connection");
    }

    /// <summary>Blocking <see cref="ReadMessageAsync"/>, for the transmission thread.</summary>
    public static bool ReadMessage(Stream stream, Span<byte> buffer, string what)
    {
        int n = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        if (n == 0) return false;
        if (n < buffer.Length)
            throw new NbdProtocolException($"{what} truncated: the client closed after {n} of {buffer.Length} bytes");
        return true;
    }

    public static void ReadExact(Stream stream, Span<byte> buffer, string what)
    {
        if (buffer.Length == 0) return;
        if (!ReadMessage(stream, buffer, what))
            throw new NbdProtocolException($"{what} missing: the client closed the connection");
    }

    public static byte[] U16(ushort v) { var b = new byte[2]; BinaryPrimitives.WriteUInt16BigEndian(b, v); return b; }
}
