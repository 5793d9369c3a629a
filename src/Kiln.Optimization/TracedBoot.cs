using System.Text.RegularExpressions;
using Kiln.Machines;
using Kiln.Nbd;
using Kiln.Optimization.Profiles;
using Kiln.Storage.Formats;
using Kiln.Storage.Stack;

namespace Kiln.Optimization;

/// <summary>One boot of the image through a fresh overlay, traced until the boot completes.</summary>
internal sealed record TracedBoot(BootCompletionReason Reason, double Seconds, IReadOnlyList<TracedRead> Reads)
{
    public static async Task<TracedBoot> RunAsync(OpenedImage image, MachineGeneration generation, Regex readyPattern,
        BootOptimizerOptions options, int boot, string work, CancellationToken cancellationToken)
    {
        var bootDir = Directory.CreateDirectory(Path.Combine(work, $"boot-{boot}")).FullName;
        // Guest writes (journal replay, logs, machine-id) go to a sparse file, thrown away with the folder.
        var overlayFile = RawFileDevice.Create(Path.Combine(bootDir, "overlay.raw"), image.Device.Length);
        await using var stack = BlockStack.Over(image.Device, ownsDevice: false)
            .ReadOnly()
            .Trace(out var trace)
            .Overlay(overlayFile)
            .Build();
        await using var server = new NbdServer(stack, new NbdServerOptions { UnixSocketPath = Path.Combine(bootDir, "nbd.sock"), Log = options.Log });
        await server.StartAsync(cancellationToken).ConfigureAwait(false);

        var spec = new VmSpec
        {
            // Our overlay already keeps the image unchanged; QEMU's snapshot=on would hide the guest's writes from it.
            Disk = DiskSource.Nbd(server.NbdUri, discardWrites: false),
            Generation = generation,
            // Gen1 like Azure: SeaBIOS + IDE. Gen2: OVMF; IDE on q35 is AHCI, which every Linux and Windows drives.
            Bus = DiskBus.Ide,
            Name = "kiln-optimize-" + Guid.NewGuid().ToString("N")[..12],
            MemoryMiB = options.MemoryMiB,
            Cpus = options.Cpus,
            Accelerator = options.Accelerator,
        };
        trace.Restart(); // the clock of the trace starts with the VM
        await using var machine = await QemuMachine.StartAsync(spec, new QemuMachineOptions
        {
            TempRoot = bootDir,
            ConsoleLogPath = options.ConsoleLogDirectory is { } logs
                ? Path.Combine(Directory.CreateDirectory(logs).FullName, $"boot-{boot}.console.log")
                : null,
        }, cancellationToken).ConfigureAwait(false);
        options.BootStarted?.Invoke(new OptimizerBootStarted(boot, spec.Name, work));
        var completion = new BootCompletion
        {
            ReadyPattern = readyPattern,
            Timeout = options.BootTimeout,
            ReadCounter = () => trace.Count,
            QuiescencePeriod = options.QuiescencePeriod,
        };
        var result = await machine.WaitForBootAsync(completion, cancellationToken).ConfigureAwait(false);
        // The trace ends where the boot completed: what the guest reads afterwards is not boot.
        var reads = trace.Snapshot();
        var lastRead = trace.LastReadAt;
        await machine.StopAsync().ConfigureAwait(false);

        switch (result.Reason)
        {
            case BootCompletionReason.Timeout:
                throw new BootOptimizationException(
                    $"boot {boot}: not complete after {options.BootTimeout.TotalSeconds:0} s (no console line matched /{readyPattern}/, no power-off, " +
                    $"disk never quiet for {options.QuiescencePeriod.TotalSeconds:0} s); raise --timeout or set --ready-pattern. {ConsoleTail(machine)}");
            case BootCompletionReason.Crashed:
                throw new BootOptimizationException(
                    $"boot {boot}: the VM crashed or rebooted before completing (QEMU exit code {result.ExitCode}). {machine.StandardError.Trim()} {ConsoleTail(machine)}");
        }

        double seconds = result.Reason == BootCompletionReason.Quiescent && lastRead is { } at
            ? (at - trace.Started).TotalSeconds // quiet since the last read: that read ended the boot
            : result.SecondsToReady ?? 0;
        return new TracedBoot(result.Reason, seconds,
            reads.Select(r => new TracedRead(r.Time.TotalSeconds, r.Offset, r.Length)).ToArray());
    }

    private static string ConsoleTail(QemuMachine machine)
    {
        var lines = machine.ConsoleLines;
        return lines.Count == 0
            ? "The console stayed silent."
            : "Console ends: " + string.Join(" | ", lines.Skip(Math.Max(0, lines.Count - 5)).Select(l => l.Text));
    }
}
