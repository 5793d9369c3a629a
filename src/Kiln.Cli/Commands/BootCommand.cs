using System.CommandLine;
using System.Globalization;
using Kiln.Machines;

namespace Kiln.Cli.Commands;

/// <summary>
/// <c>kiln boot IMAGE</c>: boots a disk image once under QEMU and reports when (and why) the
/// boot counted as complete. Ctrl-C kills the VM and removes its temp files.
/// </summary>
public static class BootCommand
{
    public static Command Create()
    {
        var image = new Argument<string>("IMAGE") { Description = "Disk image (raw, .qcow2, .vhd) or NBD address (nbd:…)." };
        var generation = new Option<string>("--generation")
        {
            Description = "gen1 (BIOS/SeaBIOS) or gen2 (UEFI/OVMF).",
            DefaultValueFactory = _ => "gen1",
        };
        generation.AcceptOnlyFromAmong("gen1", "gen2");
        var readyPattern = new Option<string>("--ready-pattern")
        {
            Description = "Regex of the console line that means 'booted'.",
            DefaultValueFactory = _ => BootCompletion.DefaultReadyPattern,
        };
        var timeout = new Option<int>("--timeout") { Description = "Hard timeout in seconds.", DefaultValueFactory = _ => 300 };
        var memory = new Option<int>("--memory") { Description = "Memory in MiB.", DefaultValueFactory = _ => 512 };
        var cpus = new Option<int>("--cpus") { Description = "Virtual CPUs.", DefaultValueFactory = _ => 1 };
        var console = new Option<string?>("--console-log") { Description = "Keep the timestamped console log at this path." };

        var command = new Command("boot", "Boot a disk image under QEMU until it is ready, powers off or times out.")
        {
            image, generation, readyPattern, timeout, memory, cpus, console,
        };
        command.SetAction(async (parse, ct) =>
        {
            var location = parse.GetValue(image)!;
            var disk = location.StartsWith("nbd", StringComparison.Ordinal)
                ? DiskSource.Nbd(location)
                : DiskSource.File(location, Path.GetExtension(location).ToLowerInvariant() switch
                {
                    ".qcow2" => "qcow2",
                    ".vhd" => "vpc",
                    _ => "raw",
                });
            var spec = new VmSpec
            {
                Disk = disk,
                Generation = parse.GetValue(generation) == "gen2" ? MachineGeneration.Gen2 : MachineGeneration.Gen1,
                Accelerator = await KvmProbe.ChooseAsync(ct),
                MemoryMiB = parse.GetValue(memory),
                Cpus = parse.GetValue(cpus),
            };
            var logPath = parse.GetValue(console);
            await using var machine = await QemuMachine.StartAsync(spec,
                new QemuMachineOptions { ConsoleLogPath = logPath is null ? null : Path.GetFullPath(logPath) }, ct);
            var result = await machine.WaitForBootAsync(
                BootCompletion.WithPattern(parse.GetValue(readyPattern)!) with { Timeout = TimeSpan.FromSeconds(parse.GetValue(timeout)) }, ct);

            foreach (var line in machine.ConsoleLines.TakeLast(5))
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  [{line.Seconds,8:F3}] {line.Text}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{result.Reason} after {result.SecondsToReady?.ToString("F1", CultureInfo.InvariantCulture) ?? "-"} s ({spec.Accelerator}, {spec.Generation})"));
            if (result.Reason is BootCompletionReason.Crashed && machine.StandardError.Length > 0)
                Console.Error.WriteLine(machine.StandardError.Trim());
            return result.Reason is BootCompletionReason.ReadyPattern or BootCompletionReason.PoweredOff or BootCompletionReason.Quiescent ? 0 : 1;
        });
        return command;
    }
}
