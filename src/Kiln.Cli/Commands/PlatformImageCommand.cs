using System.CommandLine;
using Kiln.Control.Builds;
using Kiln.Pipeline.Steps.Source;

namespace Kiln.Cli.Commands;

/// <summary>
/// <c>kiln platform-image import --publisher P --offer O --sku S --version V FILE [--data DIR]</c>: files an
/// image in the local platform-image catalog that templates with source type PlatformImage build from.
/// </summary>
public static class PlatformImageCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Data folder of the Kiln server.", DefaultValueFactory = _ => ".kiln" };
        var publisher = new Option<string>("--publisher") { Description = "Publisher, e.g. Canonical.", Required = true };
        var offer = new Option<string>("--offer") { Description = "Offer, e.g. 0001-com-ubuntu-server-jammy.", Required = true };
        var sku = new Option<string>("--sku") { Description = "SKU, e.g. 22_04-lts-gen2.", Required = true };
        var version = new Option<string>("--version") { Description = "Version, e.g. 1.0.0 (templates may ask for 'latest').", Required = true };
        var file = new Argument<string>("FILE") { Description = "Disk image (raw, VHD or qcow2); stored as sparse raw." };
        var import = new Command("import", "Import a disk image into the local platform-image catalog.") { data, publisher, offer, sku, version };
        import.Arguments.Add(file);
        import.SetAction(async (parse, ct) =>
        {
            var catalog = new PlatformImageCatalog(new BuildPaths(Path.GetFullPath(parse.GetValue(data)!)).PlatformImages);
            try
            {
                string stored = await catalog.ImportAsync(parse.GetValue(publisher)!, parse.GetValue(offer)!, parse.GetValue(sku)!,
                    parse.GetValue(version)!, parse.GetValue(file)!, ct);
                Console.WriteLine($"kiln: imported {parse.GetValue(publisher)}:{parse.GetValue(offer)}:{parse.GetValue(sku)}:{parse.GetValue(version)} → {stored}");
                return 0;
            }
            catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException or Kiln.Storage.Blocks.CorruptImageException)
            {
                Console.Error.WriteLine($"kiln: platform-image import: {e.Message}");
                return 1;
            }
        });
        return new Command("platform-image", "The local platform-image catalog (what PlatformImage sources resolve to).") { import };
    }
}
