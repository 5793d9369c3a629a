using System.CommandLine;
using Kiln.Storage.Blocks;
using Kiln.Storage.Formats;

namespace Kiln.Cli.Commands;

/// <summary><c>kiln convert SRC DST --format vhd-fixed|vhd-dynamic|raw</c>: any readable image (raw, VHD, qcow2) to a writable format.</summary>
public static class ConvertCommand
{
    public static Command Create()
    {
        var source = new Argument<string>("SRC") { Description = "Source image (raw, VHD or qcow2; the format is probed)." };
        var target = new Argument<string>("DST") { Description = "Target file to create." };
        var format = new Option<string>("--format", "-f")
        {
            Description = "Target format. vhd-fixed is what Azure accepts (size rounded up to a whole MiB).",
            DefaultValueFactory = _ => DiskImage.VhdFixed,
        };
        format.AcceptOnlyFromAmong([.. ImageConverter.WritableFormats]);
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace DST if it exists." };

        var command = new Command("convert", "Convert a disk image, copying only allocated data (targets stay sparse).");
        command.Arguments.Add(source);
        command.Arguments.Add(target);
        command.Options.Add(format);
        command.Options.Add(overwrite);
        command.SetAction(async (parse, ct) =>
        {
            string src = parse.GetValue(source)!, dst = parse.GetValue(target)!, fmt = parse.GetValue(format)!;
            try
            {
                await using (var image = await DiskImage.OpenAsync(src, ct: ct))
                {
                    foreach (var warning in image.Warnings) Console.Error.WriteLine($"kiln: warning: {warning}");
                    var started = System.Diagnostics.Stopwatch.StartNew();
                    long size = await ImageConverter.ConvertAsync(image.Device, dst, fmt, parse.GetValue(overwrite), ct: ct);
                    Console.WriteLine($"{src} ({image.Format}) → {dst} ({fmt}, {size} bytes) in {started.Elapsed.TotalSeconds:F2} s");
                }
                return 0;
            }
            catch (Exception e) when (e is BlockDeviceException or IOException or ArgumentException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"kiln convert: {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
