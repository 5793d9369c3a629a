using System.Text;
using Kiln.Domain.Templates;
using Kiln.Pipeline.Appliance;

namespace Kiln.Pipeline.Steps.Customizers.File;

/// <summary>
/// Turns a File customizer into an appliance step: the source is fetched and checked on the
/// host, carried in on the job disk, and copied to the destination inside the chroot (so the
/// destination's symlinks resolve within the image, never into the appliance). Parent folders
/// are created.
/// </summary>
public static class FileStepBuilder
{
    public static async Task<ApplianceStep> BuildAsync(FileCustomizer file, string name, int stepIndex, string workDirectory, SourceFetcher fetcher, CancellationToken ct)
    {
        var destination = CheckDestination(file.Destination, name);
        var local = Path.Combine(workDirectory, "source");
        await fetcher.FetchAsync(file.SourceUri, file.Sha256Checksum, local, $"{name}: sourceUri", ct);
        return new ApplianceStep(name, Encoding.UTF8.GetBytes(CopyScript(destination, stepIndex)), ScriptInterpreter.ShellStopOnError, local);
    }

    /// <summary>The in-chroot copy (pure, tested): mkdir -p of the parent, then cp of the payload.</summary>
    public static string CopyScript(string destination, int stepIndex)
    {
        var parent = destination[..Math.Max(1, destination.LastIndexOf('/'))];
        return $"""
            mkdir -p {ApplianceJobLayout.ShellQuote(parent)}
            cp {ApplianceJobLayout.PayloadPathInChroot(stepIndex)} {ApplianceJobLayout.ShellQuote(destination)}
            echo copied to {ApplianceJobLayout.ShellQuote(destination)}

            """.ReplaceLineEndings("\n");
    }

    /// <summary>An absolute path naming a file (not "/" nor ending in '/'), without NUL or line breaks.</summary>
    public static string CheckDestination(string destination, string name)
    {
        if (string.IsNullOrWhiteSpace(destination) || !destination.StartsWith('/'))
            throw new ArgumentException($"{name}: destination '{destination}' must be an absolute path in the image (e.g. /tmp/index.html).");
        if (destination.EndsWith('/'))
            throw new ArgumentException($"{name}: destination '{destination}' names a folder; give the file name too (e.g. {destination}file.txt).");
        if (destination.Contains('\0') || destination.Contains('\n') || destination.Contains('\r'))
            throw new ArgumentException($"{name}: destination contains a NUL or line break.");
        return destination;
    }
}
