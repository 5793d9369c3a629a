using System.CommandLine;
using System.Reflection;

namespace Kiln.Cli.Commands;

public static class VersionCommand
{
    public static Command Create()
    {
        var command = new Command("version", "Print Kiln's version.");
        command.SetAction(_ =>
        {
            var version = Assembly.GetExecutingAssembly().GetName().Version;
            Console.WriteLine($"kiln {version}");
            return 0;
        });
        return command;
    }
}
