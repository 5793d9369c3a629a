using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Kiln.Pipeline.Tests;

/// <summary>
/// A one-file HTTP/1.0 server on the host's 127.0.0.1 (an ephemeral port): what a customizer
/// script in the appliance reaches through slirp as http://10.0.2.2:PORT/. It answers every
/// GET with <see cref="Body"/> and records the request lines it saw.
/// </summary>
internal sealed class LoopbackHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<string> _requests = [];
    private readonly Task _serving;

    public LoopbackHttpServer(string body)
    {
        Body = body;
        _listener.Start();
        _serving = ServeAsync(_stop.Token);
    }

    public string Body { get; }
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
    public IReadOnlyList<string> Requests { get { lock (_requests) return [.. _requests]; } }

    private async Task ServeAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(ct); }
            catch (OperationCanceledException) { return; }
            using (client)
            try
            {
                var stream = client.GetStream();
                using var reader = new StreamReader(stream, Encoding.ASCII, leaveOpen: true);
                var requestLine = await reader.ReadLineAsync(ct) ?? "";
                while (await reader.ReadLineAsync(ct) is { Length: > 0 }) { } // the headers
                lock (_requests) _requests.Add(requestLine);
                var body = Encoding.UTF8.GetBytes(Body);
                var head = Encoding.ASCII.GetBytes($"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
                await stream.WriteAsync(head, ct);
                await stream.WriteAsync(body, ct);
            }
            catch (IOException)
            {
                // The client went away mid-request: its script reports that; keep serving.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try { await _serving; }
        catch (OperationCanceledException) { }
        catch (ObjectDisposedException) { } // the listener stopped under a pending accept
        _stop.Dispose();
    }
}
