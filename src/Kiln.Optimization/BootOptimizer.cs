using System.Text.RegularExpressions;
using Kiln.Machines;
using Kiln.Optimization.Profiles;
using Kiln.Storage.Formats;
using Kiln.Storage.Inspection;
using Kiln.Storage.Profiles;

namespace Kiln.Optimization;

/// <summary>
/// Records a boot profile: inspects the image, refuses what Azure refuses, then boots it N times
/// under QEMU through Kiln's own tracing NBD export and merges the traces.
/// <code>
///   image file ─ read-only ─ boot-trace ─ copy-on-write overlay ─ NBD (unix socket) ─ QEMU
///                            (image reads)  (fresh per boot: guest
///                                            writes land here)
/// </code>
/// The image file is opened read-only and never written. Everything a run creates (QEMU, the
/// socket, the overlay file, the VM's folder) lives under one private temp folder that is removed
/// on every path: success, failure, timeout and cancellation.
/// </summary>
public static class BootOptimizer
{
    public static async Task<BootOptimizationResult> OptimizeAsync(string imagePath, BootOptimizerOptions? options, CancellationToken cancellationToken)
    {
        options ??= new BootOptimizerOptions();
        options.Validate();
        var log = options.Log ?? (_ => { });
        var readyPattern = new Regex(options.ReadyPattern ?? BootCompletion.DefaultReadyPattern, RegexOptions.CultureInvariant);

        await using var image = await DiskImage.OpenAsync(imagePath, writable: false, cancellationToken).ConfigureAwait(false);
        var facts = await ImageInspector.InspectAsync(image, cancellationToken).ConfigureAwait(false);
        if (!facts.VmBootOptimization.Eligible)
            throw new ImageNotEligibleException(imagePath, facts.VmBootOptimization.Reasons);
        var contentId = await ImageContentId.ComputeAsync(image, cancellationToken).ConfigureAwait(false);
        var generation = facts.HyperVGeneration == HyperVGeneration.V2 ? MachineGeneration.Gen2 : MachineGeneration.Gen1;
        log($"{imagePath}: {image.Format}, {facts.VirtualSizeBytes} bytes, {facts.OsType} {facts.Distro}, {generation}; {options.Boots} traced boot(s)");

        var work = options.TempRoot is null
            ? Directory.CreateTempSubdirectory("kiln-optimize-").FullName // 0700 on Unix
            : CreatePrivateDirectory(Path.Combine(Directory.CreateDirectory(options.TempRoot).FullName, "kiln-optimize-" + Guid.NewGuid().ToString("N")[..12]));
        try
        {
            var traces = new List<IReadOnlyList<TracedRead>>();
            var summaries = new List<BootProfileBoot>();
            for (int boot = 1; boot <= options.Boots; boot++)
            {
                var traced = await TracedBoot.RunAsync(image, generation, readyPattern, options, boot, work, cancellationToken).ConfigureAwait(false);
                traces.Add(traced.Reads);
                summaries.Add(new BootProfileBoot { Seconds = Math.Round(traced.Seconds, 3), Reads = traced.Reads.Count, BytesRead = traced.Reads.Sum(r => r.Length) });
                log($"boot {boot}/{options.Boots}: {traced.Reason} after {traced.Seconds:0.0} s, {traced.Reads.Count} reads, {summaries[^1].BytesRead} bytes");
            }
            var profile = BootProfileBuilder.Build(traces, summaries,
                new BootProfileImage { SizeBytes = facts.VirtualSizeBytes, Format = image.Format, ContentId = contentId }, options.Alignment);
            return new BootOptimizationResult(profile, facts, generation);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>0700: the NBD socket inside serves the guest's disk to whoever can connect to it.</summary>
    private static string CreatePrivateDirectory(string path) =>
        (OperatingSystem.IsWindows()
            ? Directory.CreateDirectory(path)
            : Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute)).FullName;
}
