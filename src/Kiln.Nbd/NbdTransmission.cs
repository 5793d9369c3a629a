using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;
using Kiln.Storage.Blocks;

namespace Kiln.Nbd;

/// <summary>
/// The transmission phase (proto.md, "Transmission"): requests are read in order, handled
/// concurrently (up to <see cref="NbdServerOptions.MaxInFlightPerConnection"/>), and answered
/// with simple replies written whole under a lock, so replies never interleave.
/// <code>
///   C: u32 0x25609513  u16 flags  u16 type  u64 cookie  u64 offset  u32 length  [write data]
///   S: u32 0x67446698  u32 error  u64 cookie  [read data when error = 0]
/// </code>
/// A broken header ends the connection; a bad request inside a good header gets an error reply.
/// <para>
/// The connection has a thread of its own, and its socket stays in blocking mode: requests are read
/// with plain blocking reads, and a request whose device call completes at once (a local file, a
/// hydrated cache) is answered on that same thread, as nbdkit does. Awaiting each header instead
/// cost a hop from the socket engine's epoll thread to a pool thread per request, and .NET's
/// "blocking" reads on a socket once used asynchronously wait for that same epoll thread (spinning
/// with sched_yield first). A Gen1 boot makes ~30,000 requests (BIOS reads 512 bytes at a time);
/// under TCG, where QEMU keeps a core busy, those hops made it boot 3–4 s slower than from the file.
/// Requests that really wait (a remote fetch) go on asynchronously while the next header is read,
/// and their replies are written from wherever they complete, one at a time under a lock.
/// </para>
/// </summary>
internal sealed class NbdTransmission(NetworkStream stream, NbdExport export, NbdServerOptions options, Action<string> log)
{
    private readonly Lock _sendLock = new();
    private readonly SemaphoreSlim _inFlight = new(options.MaxInFlightPerConnection, options.MaxInFlightPerConnection);
    private readonly IBlockDevice _device = export.Device;
    private readonly bool _readOnly = export.IsReadOnly;

    /// <summary>Serves requests until NBD_CMD_DISC, the client's close or <paramref name="ct"/>; blocks the calling (the connection's) thread.</summary>
    public void Run(CancellationToken ct)
    {
        using var sendFailed = CancellationTokenSource.CreateLinkedTokenSource(ct);
        // A blocking read does not watch a token: shutting the socket's receive side ends it.
        using var unblock = sendFailed.Token.Register(ShutdownReceive);
        var header = new byte[NbdProtocol.RequestHeaderSize];
        try
        {
            while (true)
            {
                if (!NbdWire.ReadMessage(stream, header, "request header"))
                {
                    sendFailed.Token.ThrowIfCancellationRequested();
                    log("client closed the connection without NBD_CMD_DISC");
                    return;
                }
                uint magic = BinaryPrimitives.ReadUInt32BigEndian(header);
                if (magic != NbdProtocol.RequestMagic)
                    throw new NbdProtocolException($"request magic is 0x{magic:X8}, expected 0x{NbdProtocol.RequestMagic:X8}");
                var request = new Request(
                    Flags: BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(4)),
                    Type: BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(6)),
                    Cookie: BinaryPrimitives.ReadUInt64BigEndian(header.AsSpan(8)),
                    Offset: BinaryPrimitives.ReadUInt64BigEndian(header.AsSpan(16)),
                    Length: BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(24)));

                if (request.Type == NbdProtocol.CmdDisc) return;

                byte[]? payload = null;
                if (request.Type == NbdProtocol.CmdWrite)
                {
                    // The payload must be consumed to find the next header; a length we will not buffer cannot be skipped safely.
                    if (request.Length > options.MaxRequestBytes)
                        throw new NbdProtocolException($"NBD_CMD_WRITE length {request.Length} exceeds the maximum of {options.MaxRequestBytes} bytes");
                    payload = ArrayPool<byte>.Shared.Rent((int)request.Length);
                    NbdWire.ReadExact(stream, payload.AsSpan(0, (int)request.Length), "NBD_CMD_WRITE data");
                }

                _inFlight.Wait(sendFailed.Token);
                _ = HandleAsync(request, payload, sendFailed); // runs inline until the device really waits
            }
        }
        catch (IOException) when (sendFailed.IsCancellationRequested)
        {
            throw new OperationCanceledException(sendFailed.Token); // the receive side was shut on purpose
        }
        finally
        {
            // Let requests in flight finish (and reply) before the socket closes.
            for (int i = 0; i < options.MaxInFlightPerConnection; i++)
                _inFlight.Wait(CancellationToken.None);
        }
    }

    private void ShutdownReceive()
    {
        try
        {
            stream.Socket.Shutdown(SocketShutdown.Receive);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already closed: the blocked read has ended or will.
        }
    }

    private readonly record struct Request(ushort Flags, ushort Type, ulong Cookie, ulong Offset, uint Length);

    private async Task HandleAsync(Request request, byte[]? payload, CancellationTokenSource connection)
    {
        byte[]? reply = null;
        int replyLength = NbdProtocol.SimpleReplyHeaderSize;
        try
        {
            uint error;
            try
            {
                (error, reply, replyLength) = await ExecuteAsync(request, payload, connection.Token).ConfigureAwait(false);
            }
            catch (BlockDeviceReadOnlyException ex)
            {
                log($"request {Describe(request)}: {ex.Message}");
                error = NbdProtocol.EPerm;
            }
            catch (OperationCanceledException) when (connection.IsCancellationRequested)
            {
                error = NbdProtocol.EShutdown;
            }
            catch (Exception ex)
            {
                // Any device failure (BlockDeviceException is an IOException, but a faulty filter may
                // throw anything) becomes EIO: the client gets its reply and the connection lives on.
                log($"request {Describe(request)} failed ({ex.GetType().Name}): {ex.Message}");
                error = NbdProtocol.EIo;
            }
            if (error != 0)
            {
                if (reply is not null) ArrayPool<byte>.Shared.Return(reply);
                reply = null;
                replyLength = NbdProtocol.SimpleReplyHeaderSize;
            }
            var buffer = reply ?? new byte[NbdProtocol.SimpleReplyHeaderSize];
            BinaryPrimitives.WriteUInt32BigEndian(buffer, NbdProtocol.SimpleReplyMagic);
            BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(4), error);
            BinaryPrimitives.WriteUInt64BigEndian(buffer.AsSpan(8), request.Cookie);
            Send(buffer.AsSpan(0, replyLength), connection);
        }
        finally
        {
            if (payload is not null) ArrayPool<byte>.Shared.Return(payload);
            if (reply is not null) ArrayPool<byte>.Shared.Return(reply);
            _inFlight.Release();
        }
    }

    /// <returns>The error (0 = success) and, for reads, a pooled buffer holding reply header space + data.</returns>
    private async Task<(uint Error, byte[]? Reply, int ReplyLength)> ExecuteAsync(Request r, byte[]? payload, CancellationToken ct)
    {
        const int H = NbdProtocol.SimpleReplyHeaderSize;
        bool inRange = r.Offset <= (ulong)_device.Length && r.Length <= (ulong)_device.Length - r.Offset;
        long offset = (long)Math.Min(r.Offset, long.MaxValue);
        switch (r.Type)
        {
            case NbdProtocol.CmdRead:
                if (r.Length > options.MaxRequestBytes) return Refuse(r, NbdProtocol.EInval, "longer than the maximum block size");
                if (!inRange) return Refuse(r, NbdProtocol.EInval, "outside the export");
                var reply = ArrayPool<byte>.Shared.Rent(H + (int)r.Length);
                try
                {
                    await _device.ReadAsync(offset, reply.AsMemory(H, (int)r.Length), ct).ConfigureAwait(false);
                }
                catch (Exception)
                {
                    ArrayPool<byte>.Shared.Return(reply); // the caller maps the failure to an error reply
                    throw;
                }
                return (0, reply, H + (int)r.Length);

            case NbdProtocol.CmdWrite:
                if (_readOnly) return Refuse(r, NbdProtocol.EPerm, "the export is read-only");
                if (!inRange) return Refuse(r, NbdProtocol.ENoSpc, "beyond the end of the export");
                await _device.WriteAsync(offset, payload.AsMemory(0, (int)r.Length), ct).ConfigureAwait(false);
                if ((r.Flags & NbdProtocol.CmdFlagFua) != 0) await _device.FlushAsync(ct).ConfigureAwait(false);
                return (0, null, H);

            case NbdProtocol.CmdFlush:
                await _device.FlushAsync(ct).ConfigureAwait(false);
                return (0, null, H);

            case NbdProtocol.CmdTrim:
                if (_readOnly) return Refuse(r, NbdProtocol.EPerm, "the export is read-only");
                if (!inRange) return Refuse(r, NbdProtocol.EInval, "outside the export");
                await _device.TrimAsync(offset, r.Length, ct).ConfigureAwait(false);
                if ((r.Flags & NbdProtocol.CmdFlagFua) != 0) await _device.FlushAsync(ct).ConfigureAwait(false);
                return (0, null, H);

            case NbdProtocol.CmdWriteZeroes:
                if (_readOnly) return Refuse(r, NbdProtocol.EPerm, "the export is read-only");
                if (!inRange) return Refuse(r, NbdProtocol.ENoSpc, "beyond the end of the export");
                await WriteZeroesAsync(offset, r.Length, ct).ConfigureAwait(false);
                if ((r.Flags & NbdProtocol.CmdFlagFua) != 0) await _device.FlushAsync(ct).ConfigureAwait(false);
                return (0, null, H);

            default:
                return Refuse(r, NbdProtocol.EInval, "unknown command");
        }
    }

    private async Task WriteZeroesAsync(long offset, uint length, CancellationToken ct)
    {
        var zeros = new byte[(int)Math.Min(length, 1u << 20)];
        for (long done = 0; done < length; done += zeros.Length)
        {
            int n = (int)Math.Min(zeros.Length, length - done);
            await _device.WriteAsync(offset + done, zeros.AsMemory(0, n), ct).ConfigureAwait(false);
        }
    }

    private (uint, byte[]?, int) Refuse(Request r, uint error, string why)
    {
        log($"request {Describe(r)} refused with errno {error}: {why}");
        return (error, null, NbdProtocol.SimpleReplyHeaderSize);
    }

    private string Describe(Request r) => r.Type switch
    {
        NbdProtocol.CmdRead => "READ",
        NbdProtocol.CmdWrite => "WRITE",
        NbdProtocol.CmdFlush => "FLUSH",
        NbdProtocol.CmdTrim => "TRIM",
        NbdProtocol.CmdWriteZeroes => "WRITE_ZEROES",
        _ => $"type {r.Type}",
    } + $" [{r.Offset}, +{r.Length}) of export '{export.Name}' (size {_device.Length})";

    private void Send(ReadOnlySpan<byte> message, CancellationTokenSource connection)
    {
        if (connection.IsCancellationRequested) return; // the connection is going away; nobody is left to read the reply
        lock (_sendLock)
        {
            try
            {
                stream.Write(message);
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException)
            {
                // The client is gone: stop reading requests too.
                if (!connection.IsCancellationRequested) log($"sending a reply failed, closing: {ex.Message}");
                CancelQuietly(connection);
            }
        }
    }

    private static void CancelQuietly(CancellationTokenSource connection)
    {
        try
        {
            connection.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The read loop has ended and disposed it: nothing left to stop.
        }
    }
}
