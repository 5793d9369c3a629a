using Kiln.Machines;
using Kiln.Nbd;
using Kiln.Storage.Blocks;

namespace Kiln.Vms;

/// <summary>
/// Boots a VM whose disk is any <see cref="IBlockDevice"/> (normally a copy-on-write overlay
/// over the real disk), exported over NBD on a Unix socket in the work folder:
/// <code>
///   device ──NbdServer (unix socket)──► QEMU (SeaBIOS + IDE for Gen1, OVMF for Gen2) ──► ready line
/// </code>
/// or whose disk is already a <see cref="DiskSource"/> (a file, another NBD server). The server
/// and the VM are gone when this returns, on every path (ready, timeout, crash, cancel).
/// </summary>
public static class DeviceBoot
{
    /// <summary>How many console lines a boot keeps for its error message.</summary>
    public const int ConsoleTailLines = 20;

    public static async Task<DeviceBootResult> RunAsync(IBlockDevice device, DeviceBootOptions options, CancellationToken ct = default)
    {
        Directory.CreateDirectory(options.WorkDirectory);
        var socket = Path.Combine(options.WorkDirectory, "disk.sock");
        await using var server = new NbdServer(device, new NbdServerOptions { UnixSocketPath = socket });
        await server.StartAsync(ct);
        // A read-only device cannot take IDE's writes: then QEMU keeps them in its own throw-away overlay.
        return await RunAsync(DiskSource.Nbd(server.NbdUri, discardWrites: !device.CanWrite), options, ct);
    }

    public static async Task<DeviceBootResult> RunAsync(DiskSource disk, DeviceBootOptions options, CancellationToken ct = default)
    {
        Directory.CreateDirectory(options.WorkDirectory);
        var spec = new VmSpec { Disk = disk, Generation = options.Generation, MemoryMiB = options.MemoryMiB, Bus = options.Bus };
        var startedAt = DateTimeOffset.UtcNow;
        options.OnStarted?.Invoke();
        await using var machine = await QemuMachine.StartAsync(spec, new QemuMachineOptions { TempRoot = Path.Combine(options.WorkDirectory, "vm") }, ct);
        var result = await machine.WaitForBootAsync(options.Completion, ct);
        options.OnCompleted?.Invoke(result);
        await machine.StopAsync();
        var tail = machine.ConsoleLines.TakeLast(ConsoleTailLines).Select(l => l.Text).ToArray();
        return new DeviceBootResult(result, machine.Spec.Name, startedAt, tail, machine.StandardError);
    }
}
