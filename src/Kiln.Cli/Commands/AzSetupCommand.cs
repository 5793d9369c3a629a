using System.CommandLine;
using Kiln.Api.Hosting;

namespace Kiln.Cli.Commands;

/// <summary>`kiln az-setup`: a private az config folder logged in to a running `kiln serve`; prints export lines.</summary>
public static class AzSetupCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Data folder of the running `kiln serve`.", DefaultValueFactory = _ => ".kiln" };
        var command = new Command("az-setup",
            "Prepare DIR/az (cloud registration, service-principal login, offline env vars) for the az CLI and print `export …` lines. " +
            "Use: eval \"$(./kiln az-setup --data DIR)\"") { data };
        command.SetAction(async (parse, ct) =>
        {
            string dir = Path.GetFullPath(parse.GetValue(data)!);
            var credentials = KilnCredentials.TryRead(dir);
            if (credentials is null)
            {
                Console.Error.WriteLine($"kiln: {Path.Combine(dir, KilnCredentials.FileName)} not found; start `kiln serve --data {dir}` first.");
                return 1;
            }
            var env = await AzCliSetup.PrepareAsync(credentials, Path.Combine(dir, "az"), ct);
            Console.Write(AzCliSetup.ExportLines(env));
            Console.Error.WriteLine($"kiln: az is logged in to {credentials.ArmEndpoint} (subscription {credentials.SubscriptionId}).");
            return 0;
        });
        return command;
    }
}
