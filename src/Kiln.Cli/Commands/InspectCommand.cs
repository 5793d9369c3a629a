using System.CommandLine;
using Kiln.Storage.Blocks;
using Kiln.Storage.Formats;
using Kiln.Storage.Inspection;

namespace Kiln.Cli.Commands;

/// <summary>`kiln inspect IMAGE [--json]`: the facts of a disk image, as a table or as JSON.</summary>
public static class InspectCommand
{
    /// <summary>Exit code for an image that cannot be read (missing, truncated, corrupt).</summary>
    public const int UnreadableImage = 2;

    public static Command Create()
    {
        var image = new Argument<string>("image") { Description = "Disk image file (raw, VHD or qcow2; the format is probed)." };
        var json = new Option<bool>("--json") { Description = "Print the facts as JSON (field names as in the Azure-facing contract)." };
        var command = new Command("inspect", "Report what a disk image is: partitions, generation, architecture, OS, generalized or not, boot-optimization eligibility.")
        {
            image,
            json,
        };
        command.SetAction(async (parse, ct) =>
        {
            string path = parse.GetValue(image)!;
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            ImageFacts facts;
            try
            {
                await using var opened = await DiskImage.OpenAsync(path, writable: false, ct).ConfigureAwait(false);
                facts = await ImageInspector.InspectAsync(opened, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
            {
                // BlockDeviceException/CorruptImageException are IOExceptions: their message names the structure and offset.
                string kind = ex is CorruptImageException ? "corrupt image" : "cannot read image";
                await error.WriteLineAsync($"kiln inspect: {kind}: {path}: {ex.Message}").ConfigureAwait(false);
                return UnreadableImage;
            }
            await output.WriteLineAsync(parse.GetValue(json) ? facts.ToJson() : InspectTable.Format(path, facts)).ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
