namespace Kiln.Nbd;

/// <summary>
/// Constants of the NBD protocol (NetworkBlockDevice/nbd, doc/proto.md). All integers on the
/// wire are big-endian.
/// </summary>
internal static class NbdProtocol
{
    // "Newstyle negotiation": S: NBDMAGIC, IHAVEOPT, u16 handshake flags.
    public const ulong NbdMagic = 0x4e42444d41474943;   // "NBDMAGIC"
    public const ulong IHaveOpt = 0x49484156454F5054;   // "IHAVEOPT"
    public const ulong OptionReplyMagic = 0x3e889045565a9;

    // Handshake flags (server) and client flags.
    public const ushort FlagFixedNewstyle = 1 << 0;
    public const ushort FlagNoZeroes = 1 << 1;
    public const uint ClientFlagFixedNewstyle = 1 << 0;
    public const uint ClientFlagNoZeroes = 1 << 1;

    // Options ("Option types").
    public const uint OptExportName = 1;
    public const uint OptAbort = 2;
    public const uint OptList = 3;
    public const uint OptStartTls = 5;
    public const uint OptInfo = 6;
    public const uint OptGo = 7;
    public const uint OptStructuredReply = 8;

    // Option reply types.
    public const uint RepAck = 1;
    public const uint RepServer = 2;
    public const uint RepInfo = 3;
    public const uint RepFlagError = 1u << 31;
    public const uint RepErrUnsup = RepFlagError | 1;
    public const uint RepErrPolicy = RepFlagError | 2;
    public const uint RepErrInvalid = RepFlagError | 3;
    public const uint RepErrUnknown = RepFlagError | 6;

    // NBD_INFO types for NBD_OPT_INFO / NBD_OPT_GO.
    public const ushort InfoExport = 0;
    public const ushort InfoName = 1;
    public const ushort InfoDescription = 2;
    public const ushort InfoBlockSize = 3;

    // Transmission flags.
    public const ushort TxHasFlags = 1 << 0;
    public const ushort TxReadOnly = 1 << 1;
    public const ushort TxSendFlush = 1 << 2;
    public const ushort TxSendFua = 1 << 3;
    public const ushort TxSendTrim = 1 << 5;
    public const ushort TxSendWriteZeroes = 1 << 6;
    public const ushort TxCanMultiConn = 1 << 8;

    // Requests and simple replies.
    public const uint RequestMagic = 0x25609513;
    public const uint SimpleReplyMagic = 0x67446698;
    public const int RequestHeaderSize = 28;
    public const int SimpleReplyHeaderSize = 16;

    public const ushort CmdRead = 0;
    public const ushort CmdWrite = 1;
    public const ushort CmdDisc = 2;
    public const ushort CmdFlush = 3;
    public const ushort CmdTrim = 4;
    public const ushort CmdWriteZeroes = 6;

    public const ushort CmdFlagFua = 1 << 0;

    // Errors (errno values fixed by the protocol, not the host's).
    public const uint EPerm = 1;
    public const uint EIo = 5;
    public const uint ENoMem = 12;
    public const uint EInval = 22;
    public const uint ENoSpc = 28;
    public const uint EShutdown = 108;
}
