using System.CommandLine;
using System.Runtime.InteropServices;
using System.Text.Json;
using Kiln.Nbd;
using Kiln.Storage.Blocks;
using Kiln.Storage.Formats;
using Kiln.Storage.Stack;

namespace Kiln.Cli.Commands;

/// <summary><c>kiln nbd serve IMAGE</c>: exports a disk image over NBD until Ctrl-C, optionally tracing reads.</summary>
public static class NbdCommand
{
    public static Command Create()
    {
        var nbd = new Command("nbd", "Serve disk images over the NBD protocol.");
        nbd.Subcommands.Add(CreateServe());
        return nbd;
    }

    private static Command CreateServe()
    {
        var image = new Argument<FileInfo>("IMAGE") { Description = "Disk image (format probed: raw, VHD, qcow2 as supported)." };
        var socket = new Option<string?>("--socket") { Description = "Listen on this Unix socket path." };
        var port = new Option<int?>("--port") { Description = "Listen on this loopback TCP port (0 = any free port). Default when --socket is not given." };
        var readOnly = new Option<bool>("--read-only") { Description = "Refuse writes." };
        var overlay = new Option<bool>("--overlay") { Description = "Accept writes into a copy-on-write overlay in memory; the image never changes." };
        var export = new Option<string>("--export") { Description = "Export name.", DefaultValueFactory = _ => "" };
        var trace = new Option<FileInfo?>("--trace") { Description = "Record every read that reaches the image and write them to this JSON file on exit." };
        var quiet = new Option<bool>("--quiet") { Description = "Do not log connections." };

        var command = new Command("serve", "Export IMAGE over NBD until Ctrl-C; prints the NBD URI (for qemu -drive file=URI).")
        {
            image, socket, port, readOnly, overlay, export, trace, quiet,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(socket) is not null && result.GetValue(port) is not null)
                result.AddError("--socket and --port are alternatives; give one.");
            if (result.GetValue(readOnly) && result.GetValue(overlay))
                result.AddError("--read-only and --overlay are alternatives: the overlay exists to accept writes.");
        });
        command.SetAction(async (parse, ct) =>
        {
            var imageFile = parse.GetValue(image)!;
            bool ro = parse.GetValue(readOnly), cow = parse.GetValue(overlay);
            var traceFile = parse.GetValue(trace);
            Action<string> log = parse.GetValue(quiet) ? _ => { } : line => Console.Error.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {line}");

            await using var opened = await DiskImage.OpenAsync(imageFile.FullName, writable: !ro && !cow, ct);
            // image → [read-only] → trace → [overlay]: the trace sits on the image so overlay hits are not image reads.
            var builder = BlockStack.Over(opened.Device, ownsDevice: false);
            if (ro || cow) builder.ReadOnly();
            BootTraceFilter? tracer = null;
            if (traceFile is not null) builder.Trace(out tracer);
            if (cow) builder.Overlay();
            var device = builder.Build();
            try
            {
                await ServeAsync(device, opened, parse.GetValue(export)!, ro, cow, options: new NbdServerOptions
                {
                    UnixSocketPath = parse.GetValue(socket) is { } s ? Path.GetFullPath(s) : null,
                    TcpPort = parse.GetValue(port) ?? 0,
                    Log = log,
                }, ct);
            }
            finally
            {
                // The filters do not own the image (ownsDevice: false); `opened` closes it.
                if (!ReferenceEquals(device, opened.Device)) await device.DisposeAsync();
            }
            if (tracer is not null && traceFile is not null)
            {
                await WriteTraceAsync(traceFile.FullName, opened, tracer);
                Console.Error.WriteLine($"trace: {tracer.Count} reads, {tracer.BytesRead} bytes → {traceFile.FullName}");
            }
            return 0;
        });
        return command;
    }

    private static async Task ServeAsync(IBlockDevice device, OpenedImage opened, string exportName, bool ro, bool cow,
        NbdServerOptions options, CancellationToken ct)
    {
        // Ctrl-C and SIGTERM stop serving cleanly (socket deleted, trace written) instead of killing the process.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }

        await using var server = new NbdServer([new NbdExport(exportName, device, ro, $"{opened.Format} image {opened.Path}")], options);
        await server.StartAsync(ct);
        Console.WriteLine(server.NbdUri);
        Console.Error.WriteLine($"serving {opened.Path} ({opened.Format}, {opened.Device.Length} bytes{(ro ? ", read-only" : cow ? ", writes go to an in-memory overlay" : "")}); Ctrl-C to stop");
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("stopping");
        }
    }

    private static async Task WriteTraceAsync(string path, OpenedImage image, BootTraceFilter tracer)
    {
        var reads = tracer.Snapshot();
        var document = new
        {
            image = new { path = image.Path, format = image.Format, sizeBytes = image.Device.Length },
            startedAt = tracer.Started,
            reads = reads.Count,
            bytesRead = tracer.BytesRead,
            // [seconds since start, offset, length] in arrival order.
            entries = reads.Select(r => new object[] { Math.Round(r.Time.TotalSeconds, 6), r.Offset, r.Length }),
        };
        await using var stream = File.Create(path);
        await JsonSerializer.SerializeAsync(stream, document, new JsonSerializerOptions { WriteIndented = false });
    }
}
