using System.Text.Json.Nodes;
using Kiln.Api.Tests.Support;
using Kiln.Control.Builds;
using Kiln.Pipeline.Steps.Source;
using Kiln.Storage.Formats;

namespace Kiln.Api.Tests.Builds;

/// <summary>
/// A Kiln server with the real pipeline engine, a group with identity + gallery + definition, a
/// small raw image imported as platform image Canonical:UbuntuServer:18.04-LTS (versions 1.0.0 and
/// 1.0.10), and helpers to grant the role, run a template and wait for its end.
/// </summary>
public sealed class BuildScenario : IAsyncDisposable
{
    public const string Contributor = "b24988ac-6180-42a0-ab88-20f7382dd24c";

    private readonly bool _ownsDir;

    private BuildScenario(TestKiln kiln, Scenario scenario, bool ownsDir)
    {
        Kiln = kiln;
        Scenario = scenario;
        _ownsDir = ownsDir;
    }

    public TestKiln Kiln { get; }
    public Scenario Scenario { get; }
    public string StagingRoot => Path.Combine(Kiln.DataDir, "staging");

    public static async Task<BuildScenario> StartAsync(PipelineBuildEngineOptions? options = null, string? dataDir = null, bool grantRole = true)
    {
        string dir = dataDir ?? TestKiln.NewDataDir();
        var kiln = await TestKiln.StartAsync(dir, engineFactory: plane => new PipelineBuildEngine(plane, dir, options));
        var scenario = await Scenario.CreateAsync(kiln);
        var build = new BuildScenario(kiln, scenario, dataDir is null);
        await build.ImportPlatformImageAsync("1.0.0", seed: 1);
        await build.ImportPlatformImageAsync("1.0.10", seed: 2);
        if (grantRole)
            await build.GrantContributorAsync(kiln.Rg(scenario.Rg));
        return build;
    }

    public async Task ImportPlatformImageAsync(string version, int seed)
    {
        // 8 MiB with 1 MiB of data at 1 MiB, the rest holes: small, sparse, content depends on the seed.
        string file = Path.Combine(Kiln.DataDir, $"src-{version}.raw");
        await using (var device = RawFileDevice.Create(file, 8 << 20))
        {
            var data = new byte[1 << 20];
            new Random(seed).NextBytes(data);
            await device.WriteAsync(1 << 20, data);
        }
        await new PlatformImageCatalog(Path.Combine(Kiln.DataDir, "platform-images"))
            .ImportAsync("Canonical", "UbuntuServer", "18.04-LTS", version, file, CancellationToken.None);
        File.Delete(file);
    }

    public async Task GrantContributorAsync(string scope)
    {
        var (status, body, _) = await Kiln.PutAsync($"{scope}/providers/Microsoft.Authorization/roleAssignments/{Guid.NewGuid()}?api-version=2022-04-01",
            new JsonObject
            {
                ["properties"] = new JsonObject
                {
                    ["roleDefinitionId"] = $"/subscriptions/{Kiln.Sub}/providers/Microsoft.Authorization/roleDefinitions/{Contributor}",
                    ["principalId"] = Scenario.IdentityPrincipalId,
                },
            });
        Assert.True(status == 201, body?.ToJsonString());
    }

    /// <summary>A template with no customizers, optimize Disabled, distributing to the definition in westus2 + eastus.</summary>
    public JsonObject Template(params JsonObject[] extraDistributors)
    {
        var body = Bodies.Template(Scenario.IdentityId, Scenario.DefinitionId);
        var props = body["properties"]!.AsObject();
        props.Remove("customize");
        props["optimize"] = new JsonObject { ["vmBoot"] = new JsonObject { ["state"] = "Disabled" } };
        props["source"]!.AsObject().Remove("exactVersion");
        var distribute = props["distribute"]!.AsArray();
        distribute[0]!["targetRegions"] = JsonNode.Parse("""
            [{"name":"westus2","replicaCount":1,"storageAccountType":"Standard_LRS"},
             {"name":"eastus","replicaCount":2,"storageAccountType":"Standard_ZRS"}]
            """);
        foreach (var extra in extraDistributors)
            distribute.Add(extra);
        return body;
    }

    public async Task<string> PutTemplateAsync(JsonObject body, string name = "t1")
    {
        string id = Scenario.TemplateId(Kiln, name);
        var (status, response, put) = await Kiln.PutAsync(id + Bodies.V, body);
        Assert.True(status is 200 or 201, response?.ToJsonString());
        if (status == 201 && put.Headers.Contains("Azure-AsyncOperation"))
            await Kiln.WaitForOperationAsync(put);
        return id;
    }

    public async Task StartRunAsync(string templateId, string action = "run")
    {
        var (status, body, _) = await Kiln.SendAsync(HttpMethod.Post, $"{templateId}/{action}{Bodies.V}");
        Assert.True(status == 202, $"{action}: {status} {body?.ToJsonString()}");
    }

    /// <summary>Polls the template until lastRunStatus.runState is terminal (bounded: 5 minutes).</summary>
    public async Task<JsonNode> WaitForRunEndAsync(string templateId)
    {
        for (int i = 0; i < 3000; i++)
        {
            var (_, body, _) = await Kiln.GetAsync(templateId + Bodies.V);
            string? state = body?["properties"]?["lastRunStatus"]?["runState"]?.GetValue<string>();
            if (state is "Succeeded" or "PartiallySucceeded" or "Failed" or "Canceled")
                return body!;
            await Task.Delay(100);
        }
        throw new TimeoutException($"The run of {templateId} did not end within 5 minutes.");
    }

    public bool StagingIsEmpty => !Directory.Exists(StagingRoot) || Directory.GetFileSystemEntries(StagingRoot).Length == 0;

    public async Task<List<string>> VersionsAsync()
    {
        var (_, body, _) = await Kiln.GetAsync(Scenario.DefinitionId + "/versions" + Bodies.ComputeV);
        return body!["value"]!.AsArray().Select(v => v!["name"]!.GetValue<string>()).ToList();
    }

    /// <summary>Restarts the server over the same data folder (same store, same engine options).</summary>
    public static async Task<TestKiln> RestartAsync(string dataDir, PipelineBuildEngineOptions? options = null) =>
        await TestKiln.StartAsync(dataDir, engineFactory: plane => new PipelineBuildEngine(plane, dataDir, options));

    public async ValueTask DisposeAsync()
    {
        await Kiln.DisposeAsync();
        if (_ownsDir && Directory.Exists(Kiln.DataDir))
            Directory.Delete(Kiln.DataDir, recursive: true);
    }
}
