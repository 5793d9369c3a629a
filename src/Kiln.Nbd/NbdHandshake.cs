using System.Buffers.Binary;
using System.Text;

namespace Kiln.Nbd;

/// <summary>
/// The fixed newstyle handshake (proto.md, "Fixed newstyle negotiation") up to the choice of
/// an export:
/// <code>
///   S: "NBDMAGIC" "IHAVEOPT" u16 handshake-flags      C: u32 client-flags
///   C: "IHAVEOPT" u32 option u32 length data           (repeated)
///   S: u64 0x3e889045565a9 u32 option u32 reply-type u32 length data
/// </code>
/// Structured replies are refused (NBD_REP_ERR_UNSUP): clients such as QEMU then fall back
/// to simple replies, which is all this server sends. The reads and writes block: the connection
/// has a thread of its own (see <see cref="NbdTransmission"/>), and the caller bounds the handshake's
/// time by shutting the socket.
/// </summary>
internal sealed class NbdHandshake(Stream stream, NbdExportTable exports, NbdServerOptions options, Action<string> log)
{
    private const int MaxOptions = 1024; // a client haggling longer than this is not a real client

    /// <summary>The export chosen with NBD_OPT_GO or NBD_OPT_EXPORT_NAME; null when the client aborted.</summary>
    public NbdExport? Run()
    {
        var hello = new byte[18];
        BinaryPrimitives.WriteUInt64BigEndian(hello, NbdProtocol.NbdMagic);
        BinaryPrimitives.WriteUInt64BigEndian(hello.AsSpan(8), NbdProtocol.IHaveOpt);
        BinaryPrimitives.WriteUInt16BigEndian(hello.AsSpan(16), NbdProtocol.FlagFixedNewstyle | NbdProtocol.FlagNoZeroes);
        stream.Write(hello);

        var flagsBuf = new byte[4];
        NbdWire.ReadExact(stream, flagsBuf, "client flags");
        uint clientFlags = BinaryPrimitives.ReadUInt32BigEndian(flagsBuf);
        const uint known = NbdProtocol.ClientFlagFixedNewstyle | NbdProtocol.ClientFlagNoZeroes;
        if ((clientFlags & ~known) != 0)
            throw new NbdProtocolException($"client flags 0x{clientFlags:X8} carry unknown bits (proto.md: the server must close)");
        bool noZeroes = (clientFlags & NbdProtocol.ClientFlagNoZeroes) != 0;

        var header = new byte[16];
        for (int count = 0; count < MaxOptions; count++)
        {
            NbdWire.ReadExact(stream, header, "option header");
            ulong magic = BinaryPrimitives.ReadUInt64BigEndian(header);
            if (magic != NbdProtocol.IHaveOpt)
                throw new NbdProtocolException($"option header magic is 0x{magic:X16}, expected IHAVEOPT (0x{NbdProtocol.IHaveOpt:X16})");
            uint option = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(8));
            uint length = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(12));
            if (length > options.MaxOptionBytes)
                throw new NbdProtocolException($"option {option} length {length} exceeds the limit of {options.MaxOptionBytes} bytes");
            var data = new byte[length];
            NbdWire.ReadExact(stream, data, $"option {option} data");

            switch (option)
            {
                case NbdProtocol.OptExportName:
                {
                    string name = Encoding.UTF8.GetString(data);
                    // No error reply exists for EXPORT_NAME: the spec says to close.
                    var export = exports.Find(name)
                        ?? throw new NbdProtocolException($"NBD_OPT_EXPORT_NAME asked for unknown export '{name}'");
                    var reply = new byte[noZeroes ? 10 : 134];
                    BinaryPrimitives.WriteUInt64BigEndian(reply, (ulong)export.Device.Length);
                    BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(8), TransmissionFlags(export));
                    stream.Write(reply);
                    return export;
                }
                case NbdProtocol.OptAbort:
                    Reply(option, NbdProtocol.RepAck, []);
                    return null;
                case NbdProtocol.OptList:
                    if (length != 0)
                    {
                        Error(option, NbdProtocol.RepErrInvalid, "NBD_OPT_LIST takes no data");
                        break;
                    }
                    foreach (var e in exports.All)
                    {
                        var name = Encoding.UTF8.GetBytes(e.Name);
                        var body = new byte[4 + name.Length];
                        BinaryPrimitives.WriteUInt32BigEndian(body, (uint)name.Length);
                        name.CopyTo(body, 4);
                        Reply(option, NbdProtocol.RepServer, body);
                    }
                    Reply(option, NbdProtocol.RepAck, []);
                    break;
                case NbdProtocol.OptInfo:
                case NbdProtocol.OptGo:
                {
                    var chosen = Info(option, data);
                    if (chosen is not null && option == NbdProtocol.OptGo) return chosen;
                    break;
                }
                case NbdProtocol.OptStructuredReply:
                    Error(option, NbdProtocol.RepErrUnsup, "structured replies are not supported; simple replies only");
                    break;
                case NbdProtocol.OptStartTls:
                    Error(option, NbdProtocol.RepErrUnsup, "TLS is not supported");
                    break;
                default:
                    Error(option, NbdProtocol.RepErrUnsup, $"option {option} is not supported");
                    break;
            }
        }
        throw new NbdProtocolException($"more than {MaxOptions} options without choosing an export");
    }

    /// <summary>NBD_OPT_INFO / NBD_OPT_GO: u32 name length, name, u16 count, count × u16 info type.</summary>
    private NbdExport? Info(uint option, byte[] data)
    {
        if (data.Length < 6)
        {
            Error(option, NbdProtocol.RepErrInvalid, $"option data is {data.Length} bytes, at least 6 expected");
            return null;
        }
        uint nameLength = BinaryPrimitives.ReadUInt32BigEndian(data);
        if (nameLength > data.Length - 6)
        {
            Error(option, NbdProtocol.RepErrInvalid, $"export name length {nameLength} overruns the option data ({data.Length} bytes)");
            return null;
        }
        string name = Encoding.UTF8.GetString(data, 4, (int)nameLength);
        int at = 4 + (int)nameLength;
        int requests = BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(at));
        if (at + 2 + 2 * requests != data.Length)
        {
            Error(option, NbdProtocol.RepErrInvalid, $"{requests} information requests do not match the option length {data.Length}");
            return null;
        }
        var wanted = new HashSet<ushort>();
        for (int i = 0; i < requests; i++) wanted.Add(BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(at + 2 + 2 * i)));

        var export = exports.Find(name);
        if (export is null)
        {
            Error(option, NbdProtocol.RepErrUnknown, $"no export named '{name}'");
            return null;
        }

        var info = new byte[12];
        BinaryPrimitives.WriteUInt16BigEndian(info, NbdProtocol.InfoExport);
        BinaryPrimitives.WriteUInt64BigEndian(info.AsSpan(2), (ulong)export.Device.Length);
        BinaryPrimitives.WriteUInt16BigEndian(info.AsSpan(10), TransmissionFlags(export));
        Reply(option, NbdProtocol.RepInfo, info);

        if (wanted.Contains(NbdProtocol.InfoName))
            Reply(option, NbdProtocol.RepInfo, [.. NbdWire.U16(NbdProtocol.InfoName), .. Encoding.UTF8.GetBytes(export.Name)]);
        if (wanted.Contains(NbdProtocol.InfoDescription) && export.Description is { } description)
            Reply(option, NbdProtocol.RepInfo, [.. NbdWire.U16(NbdProtocol.InfoDescription), .. Encoding.UTF8.GetBytes(description)]);

        // Sent even when not asked for (allowed): any alignment works, 4 KiB is best, MaxRequestBytes is the cap.
        var sizes = new byte[14];
        BinaryPrimitives.WriteUInt16BigEndian(sizes, NbdProtocol.InfoBlockSize);
        BinaryPrimitives.WriteUInt32BigEndian(sizes.AsSpan(2), 1);
        BinaryPrimitives.WriteUInt32BigEndian(sizes.AsSpan(6), PreferredBlockSize(export));
        BinaryPrimitives.WriteUInt32BigEndian(sizes.AsSpan(10), (uint)options.MaxRequestBytes);
        Reply(option, NbdProtocol.RepInfo, sizes);

        Reply(option, NbdProtocol.RepAck, []);
        return export;
    }

    private uint PreferredBlockSize(NbdExport export)
    {
        int bs = export.Device.BlockSize;
        uint preferred = bs > 4096 && (bs & (bs - 1)) == 0 ? (uint)bs : 4096;
        return Math.Min(preferred, (uint)options.MaxRequestBytes);
    }

    internal static ushort TransmissionFlags(NbdExport export)
    {
        ushort flags = NbdProtocol.TxHasFlags | NbdProtocol.TxSendFlush | NbdProtocol.TxCanMultiConn;
        if (export.IsReadOnly) flags |= NbdProtocol.TxReadOnly;
        else flags |= NbdProtocol.TxSendFua | NbdProtocol.TxSendTrim | NbdProtocol.TxSendWriteZeroes;
        return flags;
    }

    private void Error(uint option, uint error, string message)
    {
        log($"option {option} refused (0x{error:X8}): {message}");
        Reply(option, error, Encoding.UTF8.GetBytes(message));
    }

    private void Reply(uint option, uint type, byte[] data)
    {
        var reply = new byte[20 + data.Length];
        BinaryPrimitives.WriteUInt64BigEndian(reply, NbdProtocol.OptionReplyMagic);
        BinaryPrimitives.WriteUInt32BigEndian(reply.AsSpan(8), option);
        BinaryPrimitives.WriteUInt32BigEndian(reply.AsSpan(12), type);
        BinaryPrimitives.WriteUInt32BigEndian(reply.AsSpan(16), (uint)data.Length);
        data.CopyTo(reply, 20);
        stream.Write(reply);
    }
}
