using System.CommandLine;
using Kiln.Api;
using Kiln.Control.Builds;
using Kiln.Control.Operations;
using Kiln.Control.Persistence;
using Kiln.Pipeline.Appliance;

namespace Kiln.Cli.Commands;

/// <summary>`kiln serve`: the ARM-compatible control plane on https://127.0.0.1:PORT until Ctrl-C.</summary>
public static class ServeCommand
{
    /// <summary>Fallback for --database, so a connection string with a password need not sit on the command line.</summary>
    public const string DatabaseVariable = "KILN_DATABASE";

    /// <summary>Security switch: slirp lets scripts reach the host's loopback services via 10.0.2.2.</summary>
    private static readonly Option<bool> NoApplianceNetwork = new("--no-appliance-network")
    {
        Description = "Give customizer scripts no network (default: NAT through this host, which also reaches its 127.0.0.1 services as 10.0.2.2).",
    };

    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Data folder (database, certificate, credentials.json).", DefaultValueFactory = _ => ".kiln" };
        var port = new Option<int>("--port") { Description = "HTTPS port on 127.0.0.1.", DefaultValueFactory = _ => 8443 };
        var database = new Option<string?>("--database")
        {
            Description = "Npgsql connection string of a PostgreSQL database for the state (default: SQLite in --data; env KILN_DATABASE).",
        };
        var pageSize = new Option<int>("--page-size")
        {
            Description = "Most items one ARM list page returns; clients follow nextLink for the rest.",
            DefaultValueFactory = _ => Kiln.Api.Http.ArmPaging.DefaultPageSize,
        };
        pageSize.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 1000) r.AddError("--page-size must be 1..1000."); });
        var retentionDays = new Option<double>("--operation-retention-days")
        {
            Description = "Days a finished async operation stays pollable before it is deleted (running ones are kept).",
            DefaultValueFactory = _ => OperationRetention.Default.Age.TotalDays,
        };
        retentionDays.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double>() is < 0 or > 3650 or double.NaN)
                r.AddError("--operation-retention-days must be 0..3650 (0 deletes finished operations at the next hourly pass).");
        });
        var command = new Command("serve", "Run Kiln's Azure-compatible control plane (ARM + token endpoint) on 127.0.0.1.")
        {
            data, port, database, pageSize, retentionDays, NoApplianceNetwork,
        };
        command.SetAction(async (parse, ct) =>
        {
            KilnServer server;
            var (connection, source) = ResolveDatabase(parse.GetValue(database), Environment.GetEnvironmentVariable(DatabaseVariable));
            try
            {
                server = await KilnServer.StartAsync(new KilnApiOptions
                {
                    DataDirectory = parse.GetValue(data)!,
                    Database = connection,
                    Port = parse.GetValue(port),
                    ListPageSize = parse.GetValue(pageSize),
                    OperationRetention = OperationRetention.Default with { Age = TimeSpan.FromDays(parse.GetValue(retentionDays)) },
                    // Runs build for real: source → customize → optimize → distribute under the data folder.
                    BuildEngineFactory = plane => new PipelineBuildEngine(plane, Path.GetFullPath(parse.GetValue(data)!), EngineOptions(parse)),
                }, ct);
            }
            catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
            {
                Console.Error.WriteLine($"kiln: port {parse.GetValue(port)} on 127.0.0.1 is in use; stop the other server or pick another with --port.");
                return 1;
            }
            catch (ResourceStoreUnavailableException e)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"kiln: {source}: {e.Message}");
                return 1;
            }
            await using var running = server;
            Console.WriteLine($"kiln: serving {server.Credentials.ArmEndpoint}");
            Console.WriteLine($"kiln: credentials in {Path.Combine(server.DataDirectory, "credentials.json")}; trust {server.Credentials.CaCertPath}");
            Console.WriteLine($"kiln: for the az CLI run: ./kiln az-setup --data {parse.GetValue(data)}");
            // The host's console lifetime turns SIGTERM/Ctrl-C into a shutdown; so does the command's token.
            await server.WaitForShutdownAsync(ct);
            Console.WriteLine("kiln: stopped");
            return 0;
        });
        return command;
    }

    /// <summary>The build engine's options from a parsed `serve` command line.</summary>
    public static PipelineBuildEngineOptions EngineOptions(ParseResult parse) =>
        new() { Appliance = new ApplianceOptions { Network = !parse.GetValue(NoApplianceNetwork) } };

    /// <summary>
    /// The PostgreSQL connection string and where it came from (for the error line): --database wins over
    /// KILN_DATABASE; blank in both means SQLite (null).
    /// </summary>
    public static (string? ConnectionString, string Source) ResolveDatabase(string? option, string? environment) =>
        !string.IsNullOrWhiteSpace(option) ? (option, "--database")
        : !string.IsNullOrWhiteSpace(environment) ? (environment, DatabaseVariable)
        : (null, "--database");
}
