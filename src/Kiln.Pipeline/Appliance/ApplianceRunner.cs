using System.Globalization;
using System.Text.RegularExpressions;
using Kiln.Machines;
using Kiln.Guest;

namespace Kiln.Pipeline.Appliance;

/// <summary>
/// Runs an <see cref="ApplianceJob"/> against a staged image in one appliance VM boot:
/// <code>
///   host: find the root partition → build initramfs + job disk → start QEMU (TCG, slirp network unless off)
///   guest: mount root → chroot → step 0 … step N (stop at the first failure) → clean up → poweroff
///   host: follow the console (log lines as they come) → QEMU exits → results
/// </code>
/// Scripts only ever run inside the guest. The work folder and the QEMU process are gone when
/// this returns or throws, whatever happened (failure, timeout, cancellation).
/// </summary>
public static class ApplianceRunner
{
    /// <summary>Never matches: the appliance is done when QEMU exits (a kill could lose qcow2 metadata still cached in QEMU).</summary>
    private static readonly Regex NeverReady = new("(?!)", RegexOptions.CultureInvariant);

    public static Task<ApplianceResult> RunAsync(string stagedImagePath, ApplianceJob job, Action<string> log, CancellationToken ct) =>
        RunAsync(stagedImagePath, job, new ApplianceOptions(), log, ct);

    public static async Task<ApplianceResult> RunAsync(string stagedImagePath, ApplianceJob job, ApplianceOptions options, Action<string> log, CancellationToken ct)
    {
        if (job.Steps.Count == 0)
            throw new ArgumentException("An appliance job needs at least one step.", nameof(job));
        var root = await ImageRootLocator.FindAsync(stagedImagePath, ct);
        var kernel = options.KernelDirectory is { } dir ? new KernelCache(dir) : await KernelCache.EnsureAsync(ct);
        var work = Path.Combine(options.WorkRoot ?? Path.GetTempPath(), "kiln-appliance-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(work);
        try
        {
            var initrd = Path.Combine(work, "appliance-initrd.img");
            var jobDisk = Path.Combine(work, "job.ext4");
            await ApplianceInitramfs.BuildAsync(kernel, initrd, ct);
            await JobDiskBuilder.BuildAsync(job, work, jobDisk, ct);
            var spec = ApplianceVmSpec.Build(stagedImagePath, root, kernel.KernelImagePath, initrd, jobDisk, options.MemoryMiB, options.Network);
            log(string.Create(CultureInfo.InvariantCulture,
                $"appliance: booting to run {job.Steps.Count} step(s) on partition {root.PartitionNumber} of the staged image ({root.QemuFormat}), network {(options.Network ? "on (slirp)" : "off")}"));

            var started = options.TimeProvider.GetTimestamp();
            var parser = new ApplianceConsoleParser(job.Steps.Select(s => s.Name).ToArray());
            await using var machine = await QemuMachine.StartAsync(spec, new QemuMachineOptions { TempRoot = work, TimeProvider = options.TimeProvider }, ct);
            var fed = 0;
            void Feed()
            {
                var lines = machine.ConsoleLines;
                for (; fed < lines.Count; fed++)
                    if (parser.Accept(lines[fed]) is { } line) log(line);
            }

            var wait = machine.WaitForBootAsync(new BootCompletion { ReadyPattern = NeverReady, Timeout = options.Timeout }, ct);
            while (!wait.IsCompleted)
            {
                // Follow the console so customization.log shows script output while it runs.
                await Task.WhenAny(wait, Task.Delay(TimeSpan.FromMilliseconds(250), options.TimeProvider, CancellationToken.None));
                Feed();
            }
            var boot = await wait;
            Feed();
            var completed = parser.Done && boot.Reason == BootCompletionReason.PoweredOff;
            if (!completed)
            {
                var why = boot.Reason switch
                {
                    BootCompletionReason.Timeout => string.Create(CultureInfo.InvariantCulture, $"did not finish within {options.Timeout.TotalMinutes:0.#} minutes and was stopped"),
                    _ when parser.ApplianceError is { } error => $"could not run the job: {error}",
                    _ => $"ended without finishing the job ({boot.Reason}{(boot.ExitCode is { } code ? $", QEMU exit code {code}" : "")})",
                };
                log($"appliance: {why}");
                if (machine.StandardError is { Length: > 0 } stderr)
                    log("appliance: qemu: " + stderr.Trim().ReplaceLineEndings(" | "));
            }
            return new ApplianceResult(parser.Results(), completed, parser.ConsoleTail, options.TimeProvider.GetElapsedTime(started).TotalSeconds);
        }
        finally
        {
            if (Directory.Exists(work))
                Directory.Delete(work, recursive: true);
        }
    }
}
