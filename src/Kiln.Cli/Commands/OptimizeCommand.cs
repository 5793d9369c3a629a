using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Kiln.Machines;
using Kiln.Optimization;
using Kiln.Storage.Blocks;
using Kiln.Storage.Profiles;

namespace Kiln.Cli.Commands;

/// <summary>
/// `kiln optimize IMAGE --out PROFILE.json`: boots the image under QEMU through the tracing NBD
/// export and writes its boot profile. Exit codes: 0 written, 1 the boot failed, 2 the image
/// cannot be read, 3 the image is not eligible (the reasons follow, one per line), 130
/// canceled (Ctrl-C/SIGTERM; QEMU stopped, temp files removed).
/// </summary>
public static class OptimizeCommand
{
    public const int BootFailed = 1, UnreadableImage = 2, NotEligible = 3, Canceled = 130;

    public static readonly JsonSerializerOptions ProfileJson = new() { WriteIndented = false };

    public static Command Create()
    {
        var image = new Argument<string>("IMAGE") { Description = "OS disk image (raw, VHD fixed/dynamic, qcow2; the format is probed). Never modified." };
        var output = new Option<string>("--out") { Description = "Where to write the boot profile (JSON).", Required = true };
        var boots = new Option<int>("--boots") { Description = "Traced boots to merge (boots are not deterministic).", DefaultValueFactory = _ => 2 };
        var ready = new Option<string?>("--ready-pattern")
        {
            Description = $"Regular expression for the console line that means booted (default: {BootCompletion.DefaultReadyPattern}).",
        };
        var timeout = new Option<double>("--timeout") { Description = "Hard limit per boot, in seconds.", DefaultValueFactory = _ => 600 };
        var quiescence = new Option<double>("--quiescence")
        {
            Description = "Also call the boot complete when the guest has not read the disk for this many seconds.",
            DefaultValueFactory = _ => 120,
        };
        var consoleLogs = new Option<string?>("--console-logs") { Description = "Keep each boot's serial console (boot-N.console.log) in this folder." };
        var kvm = new Option<bool>("--kvm") { Description = "Run the VMs under KVM instead of TCG (only where KVM really runs guests)." };
        var quiet = new Option<bool>("--quiet") { Description = "Print only the summary." };
        var command = new Command("optimize", "Record a boot profile: boot the image under QEMU, trace its disk reads until it has booted.")
        {
            image, output, boots, ready, timeout, quiescence, consoleLogs, kvm, quiet,
        };
        boots.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 16) r.AddError("--boots must be 1..16."); });
        timeout.Validators.Add(r => { if (r.GetValueOrDefault<double>() <= 0) r.AddError("--timeout must be a positive number of seconds."); });
        quiescence.Validators.Add(r => { if (r.GetValueOrDefault<double>() <= 0) r.AddError("--quiescence must be a positive number of seconds."); });
        ready.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string?>() is not { } re) return;
            try { _ = new System.Text.RegularExpressions.Regex(re); }
            catch (ArgumentException e) { r.AddError($"--ready-pattern is not a valid regular expression: {e.Message}"); }
        });
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(image)!;
            var outPath = parse.GetValue(output)!;
            var options = new BootOptimizerOptions
            {
                Boots = parse.GetValue(boots),
                ReadyPattern = parse.GetValue(ready),
                BootTimeout = TimeSpan.FromSeconds(parse.GetValue(timeout)),
                QuiescencePeriod = TimeSpan.FromSeconds(parse.GetValue(quiescence)),
                ConsoleLogDirectory = parse.GetValue(consoleLogs),
                Accelerator = parse.GetValue(kvm) ? Accelerator.Kvm : Accelerator.Tcg,
                Log = parse.GetValue(quiet) ? null : line => Console.Error.WriteLine($"kiln optimize: {line}"),
            };
            // Ctrl-C and SIGTERM cancel the run, which stops QEMU and removes the socket and temp files
            // before exiting, instead of the runtime killing the process with its children left behind.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
            void Stop(PosixSignalContext context)
            {
                context.Cancel = true;
                stop.Cancel();
            }

            BootOptimizationResult result;
            try
            {
                result = await BootOptimizer.OptimizeAsync(path, options, stop.Token);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                await Console.Error.WriteLineAsync("kiln optimize: canceled; the VM was stopped and its temp files removed.");
                return Canceled;
            }
            catch (ImageNotEligibleException e)
            {
                await Console.Error.WriteLineAsync($"kiln optimize: {path} is not eligible for boot optimization:");
                foreach (var reason in e.Reasons) await Console.Error.WriteLineAsync($"  - {reason}");
                return NotEligible;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
            {
                // BlockDeviceException/CorruptImageException are IOExceptions whose message names the structure and offset.
                string kind = e is CorruptImageException ? "corrupt image" : "cannot read image";
                await Console.Error.WriteLineAsync($"kiln optimize: {kind}: {path}: {e.Message}");
                return UnreadableImage;
            }
            catch (Exception e) when (e is BootOptimizationException or MachineException)
            {
                await Console.Error.WriteLineAsync($"kiln optimize: {e.Message}");
                return BootFailed;
            }

            var full = Path.GetFullPath(outPath);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            await File.WriteAllTextAsync(full, JsonSerializer.Serialize(result.Profile, ProfileJson), ct);
            Console.WriteLine(Summary(result.Profile, full));
            return 0;
        });
        return command;
    }

    public static string Summary(BootProfile profile, string outPath)
    {
        var inv = CultureInfo.InvariantCulture;
        var seconds = string.Join(", ", profile.Boots.Select(b => b.Seconds.ToString("0.0", inv) + " s"));
        return string.Create(inv, $"""
            profile:     {outPath}
            boots:       {profile.Boots.Count} ({seconds})
            requests:    {string.Join(", ", profile.Boots.Select(b => b.Reads))} reads ({string.Join(", ", profile.Boots.Select(b => (b.BytesRead / 1048576.0).ToString("0.0", inv)))} MiB)
            working set: {profile.WorkingSetBytes / 1048576.0:0.0} MiB in {profile.Extents.Count} extents
            image:       {profile.Image.Format}, {profile.Image.SizeBytes} bytes, {profile.Image.ContentId}
            """);
    }
}
