using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Kiln.Storage.Blocks;

namespace Kiln.Nbd;

/// <summary>
/// Serves block devices over NBD (fixed newstyle, simple replies) on a loopback TCP port or a
/// Unix socket. Many connections at once; a client that breaks the protocol loses only its
/// own connection. Disposing stops accepting, closes every connection, waits for them and
/// deletes the socket file. The exported devices are not disposed (their owner does that).
/// <code>
///   await using var server = new NbdServer(device, new NbdServerOptions { UnixSocketPath = path });
///   await server.StartAsync();
///   // qemu -drive file=server.NbdUri,format=raw
/// </code>
/// </summary>
public sealed class NbdServer : IAsyncDisposable
{
    private readonly NbdExportTable _exports;
    private readonly NbdServerOptions _options;
    private readonly Action<string> _log;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<long, (Socket Socket, Task Task)> _connections = new();
    private Socket? _listener;
    private Task? _acceptLoop;
    private long _nextConnectionId;
    private int _disposed;

    /// <summary>Serves one device as the default export named <paramref name="exportName"/>.</summary>
    public NbdServer(IBlockDevice device, NbdServerOptions? options = null, string exportName = "", bool readOnly = false)
        : this([new NbdExport(exportName, device, readOnly)], options) { }

    /// <summary>Serves several exports; the first is the default (what an empty export name gets).</summary>
    public NbdServer(IEnumerable<NbdExport> exports, NbdServerOptions? options = null)
    {
        _exports = new NbdExportTable(exports);
        _options = options ?? new NbdServerOptions();
        if (_options.MaxRequestBytes is < 512 or > (1 << 30)) throw new ArgumentOutOfRangeException(nameof(options), "MaxRequestBytes must be within [512, 1 GiB]");
        if (_options.MaxConnections < 1) throw new ArgumentOutOfRangeException(nameof(options), "MaxConnections must be positive");
        if (_options.HandshakeTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(options), "HandshakeTimeout must be positive");
        if (_options.MaxInFlightPerConnection < 1) throw new ArgumentOutOfRangeException(nameof(options), "MaxInFlightPerConnection must be positive");
        _log = _options.Log ?? (_ => { });
    }

    public IReadOnlyList<NbdExport> Exports => _exports.All;

    /// <summary>The bound TCP endpoint (port resolved) once started; null for a Unix socket.</summary>
    public IPEndPoint? Endpoint { get; private set; }

    /// <summary>The Unix socket path once started; null for TCP.</summary>
    public string? UnixSocketPath { get; private set; }

    /// <summary>Connections open right now.</summary>
    public int ConnectionCount => _connections.Count;

    /// <summary>Connections accepted since start.</summary>
    public long ConnectionsAccepted => Interlocked.Read(ref _nextConnectionId);

    /// <summary>URI of the default export, as QEMU takes it: <c>nbd+unix:///name?socket=/path</c> or <c>nbd://127.0.0.1:port/name</c>.</summary>
    public string NbdUri => GetUri(_exports.Default.Name);

    public string GetUri(string exportName)
    {
        var name = Uri.EscapeDataString(exportName);
        if (UnixSocketPath is { } path) return $"nbd+unix:///{name}?socket={path}";
        if (Endpoint is { } ep)
        {
            var host = ep.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{ep.Address}]" : ep.Address.ToString();
            return name.Length == 0 ? $"nbd://{host}:{ep.Port}" : $"nbd://{host}:{ep.Port}/{name}";
        }
        throw new InvalidOperationException("the NBD server has not been started");
    }

    public Task StartAsync(CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        if (_listener is not null) throw new InvalidOperationException("the NBD server is already started");
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        Socket listener;
        if (_options.UnixSocketPath is { } path)
        {
            RemoveStaleSocket(path);
            listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            listener.Bind(new UnixDomainSocketEndPoint(path));
            UnixSocketPath = path;
        }
        else
        {
            listener = new Socket(_options.TcpAddress.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(_options.TcpAddress, _options.TcpPort));
            Endpoint = (IPEndPoint)listener.LocalEndPoint!;
        }
        listener.Listen(64);
        _listener = listener;
        _log($"NBD server listening on {NbdUri} ({_exports.All.Count} export(s))");
        _acceptLoop = Task.Run(AcceptLoopAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    private static void RemoveStaleSocket(string path)
    {
        if (!File.Exists(path)) return;
        // A live server answers; a leftover from a crash does not and may be replaced.
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
        }
        catch (SocketException)
        {
            File.Delete(path);
            return;
        }
        throw new IOException($"Unix socket '{path}' is in use by another server; choose another path.");
    }

    private async Task AcceptLoopAsync()
    {
        var ct = _stopping.Token;
        while (!ct.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener!.AcceptAsync(ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                if (ct.IsCancellationRequested) return;
                _log($"accept failed: {ex.Message}");
                continue;
            }
            long id = Interlocked.Increment(ref _nextConnectionId);
            if (_connections.Count >= _options.MaxConnections)
            {
                _log($"nbd connection {id}: refused, already {_connections.Count} connections (MaxConnections)");
                client.Dispose();
                continue;
            }
            if (client.AddressFamily != AddressFamily.Unix) client.NoDelay = true;
            // A thread per connection with blocking I/O (why: NbdTransmission); registered before it starts,
            // so its own removal at the end always finds it.
            var task = new Task(() => Serve(id, client, ct), TaskCreationOptions.LongRunning);
            _connections[id] = (client, task);
            task.Start(TaskScheduler.Default);
        }
    }

    private void Serve(long id, Socket socket, CancellationToken ct)
    {
        void Log(string line) => _log($"nbd connection {id}: {line}");
        try
        {
            socket.Blocking = true; // never used asynchronously, so reads and writes are the kernel's own
            using var stream = new NetworkStream(socket, ownsSocket: false);
            var export = Handshake(socket, stream, Log, ct);
            if (export is null)
            {
                Log("client aborted the handshake");
                return;
            }
            Log($"serving export '{export.Name}' ({export.Device.Length} bytes{(export.IsReadOnly ? ", read-only" : "")})");
            new NbdTransmission(stream, export, _options, Log).Run(ct);
            Log("disconnected");
        }
        catch (Exception ex) when (ct.IsCancellationRequested && ex is NbdProtocolException or IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            Log("closed: server shutting down");
        }
        catch (NbdProtocolException ex)
        {
            Log($"protocol error, closing: {ex.Message}");
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            Log($"connection lost: {ex.Message}");
        }
        finally
        {
            socket.Dispose();
            _connections.TryRemove(id, out _);
        }
    }

    /// <summary>
    /// The handshake, bounded by <see cref="NbdServerOptions.HandshakeTimeout"/> and by the server's
    /// stop: either shuts the socket, which ends the blocking read it waits in.
    /// </summary>
    private NbdExport? Handshake(Socket socket, NetworkStream stream, Action<string> log, CancellationToken ct)
    {
        const int Running = 0, Done = 1, Stopped = 2;
        int phase = Running;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var stop = limit.Token.Register(() =>
        {
            if (Interlocked.CompareExchange(ref phase, Stopped, Running) == Running) ShutdownQuietly(socket);
        });
        limit.CancelAfter(_options.HandshakeTimeout);
        NbdExport? export;
        try
        {
            export = new NbdHandshake(stream, _exports, _options, log).Run();
        }
        catch (Exception ex) when (Volatile.Read(ref phase) == Stopped && !ct.IsCancellationRequested
                                   && ex is NbdProtocolException or IOException or SocketException or ObjectDisposedException)
        {
            throw new NbdProtocolException($"no export chosen within the handshake timeout ({_options.HandshakeTimeout.TotalSeconds:0.#} s)");
        }
        // Finished just as the limit struck: the socket is shut, so the connection cannot go on.
        if (Interlocked.CompareExchange(ref phase, Done, Running) != Running)
            throw ct.IsCancellationRequested
                ? new OperationCanceledException(ct)
                : new NbdProtocolException($"no export chosen within the handshake timeout ({_options.HandshakeTimeout.TotalSeconds:0.#} s)");
        return export;
    }

    private static void ShutdownQuietly(Socket socket)
    {
        try { socket.Shutdown(SocketShutdown.Both); }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException) { /* already closed by its peer */ }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener?.Dispose();
        if (_acceptLoop is not null) await _acceptLoop.ConfigureAwait(false);
        foreach (var (socket, _) in _connections.Values) ShutdownQuietly(socket);
        await Task.WhenAll(_connections.Values.Select(c => c.Task)).ConfigureAwait(false);
        if (UnixSocketPath is { } path && File.Exists(path)) File.Delete(path);
        _stopping.Dispose();
        _log("NBD server stopped");
    }
}
