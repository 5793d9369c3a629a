using System.Net;

namespace Kiln.Nbd;

/// <summary>Where and how an <see cref="NbdServer"/> listens.</summary>
public sealed record NbdServerOptions
{
    /// <summary>Listen on this Unix socket (created on start, deleted on dispose); null to listen on TCP.</summary>
    public string? UnixSocketPath { get; init; }

    /// <summary>TCP address when <see cref="UnixSocketPath"/> is null; loopback by default.</summary>
    public IPAddress TcpAddress { get; init; } = IPAddress.Loopback;

    /// <summary>TCP port; 0 picks a free one (read it back from <see cref="NbdServer.Endpoint"/>).</summary>
    public int TcpPort { get; init; }

    /// <summary>Receives one line per connection event and per protocol violation.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>Largest READ/WRITE payload accepted (also advertised as the maximum block size).</summary>
    public int MaxRequestBytes { get; init; } = 32 << 20;

    /// <summary>Largest option payload accepted during the handshake.</summary>
    public int MaxOptionBytes { get; init; } = 4096;

    /// <summary>A client that has not chosen an export by then is disconnected (a silent client must not hold a slot forever).</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Connections beyond this many are closed at once with a log line.</summary>
    public int MaxConnections { get; init; } = 128;

    /// <summary>Requests one connection may have in flight at once (bounds memory: each holds up to <see cref="MaxRequestBytes"/>).</summary>
    public int MaxInFlightPerConnection { get; init; } = 16;
}
