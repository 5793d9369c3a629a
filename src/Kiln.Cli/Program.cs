using System.CommandLine;
using Kiln.Cli;
using Kiln.Cli.Commands;

// Each command lives in Commands/<Name>Command.cs and is registered here explicitly.
var root = new RootCommand("kiln — bakes VM images that boot fast (Azure VM Image Builder compatible).");
root.Subcommands.Add(VersionCommand.Create());
root.Subcommands.Add(QuickstartCommand.Create());
root.Subcommands.Add(TestImageCommand.Create());
root.Subcommands.Add(InspectCommand.Create());
root.Subcommands.Add(OptimizeCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
root.Subcommands.Add(NbdCommand.Create());
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(AzSetupCommand.Create());
root.Subcommands.Add(ConvertCommand.Create());
root.Subcommands.Add(PlatformImageCommand.Create());
root.Subcommands.Add(LogsCommand.Create());
root.Subcommands.Add(BootCommand.Create());
root.Subcommands.Add(ImageCommand.Create());
root.Subcommands.Add(VmCommand.Create());

// Ctrl-C and SIGTERM cancel the running command's token; the default grace of 2 s is too short for
// a command to stop its QEMU or nbdkit and delete its temp folder, after which the runtime would
// exit with them left behind.
try
{
    return await root.Parse(args).InvokeAsync(new InvocationConfiguration
    {
        ProcessTerminationTimeout = TimeSpan.FromSeconds(60),
        EnableDefaultExceptionHandler = false,
    });
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("kiln: cancelled.");
    return 130;
}
catch (Exception e) when (CliErrors.IsUsers(e))
{
    // A bad option value, a missing file, a refused permission: the message says what and the fix;
    // a stack trace would only bury it (KILN_DEBUG=1 shows it).
    Console.Error.WriteLine($"kiln: {e.Message}");
    return 1;
}
