using System.CommandLine;
using Kiln.Cli.Quickstart;

namespace Kiln.Cli.Commands;

/// <summary>`kiln quickstart`: the image-builder how-to end to end on the embedded default, then two streamed boots.</summary>
public static class QuickstartCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Data folder for this walk-through (emptied first).", DefaultValueFactory = _ => ".kiln/quickstart" };
        var command = new Command("quickstart",
            "Walk Azure's image-builder how-to against a local Kiln: import a test image, build an optimized gallery version replicated to a second region, and boot VMs streamed from it without and with the boot pack.")
        { data };
        command.SetAction(async (parse, ct) =>
            await new QuickstartFlow(parse.GetValue(data)!, Console.WriteLine).RunAsync(ct));
        return command;
    }
}
