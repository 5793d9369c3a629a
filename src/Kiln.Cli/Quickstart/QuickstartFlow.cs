using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Kiln.Api;
using Kiln.Control.Builds;
using Kiln.Machines;
using Kiln.Pipeline.Steps.Distribute;
using Kiln.Pipeline.Steps.Source;
using Kiln.Streaming.Store;
using Kiln.TestImages;
using Kiln.Vms;

namespace Kiln.Cli.Quickstart;

/// <summary>
/// The README's main job: Azure's image-builder how-to, end to end, against a local Kiln.
///
///   test image ─import→ platform catalog
///   providers → group → identity (+Contributor) → gallery → definition → template (optimize on) → run
///   version 1.0.0 in westus2, replicated to eastus ─stream→ VM boot, without and with the boot pack
/// </summary>
public sealed class QuickstartFlow(string dataDir, Action<string> say)
{
    private const string Rg = "myImageBuilderRG", Location = "westus2", SecondRegion = "eastus";
    private const string ImageTemplateV = "?api-version=2022-07-01", ComputeV = "?api-version=2022-03-03";

    public async Task<int> RunAsync(CancellationToken ct)
    {
        var total = Stopwatch.StartNew();
        if (Directory.Exists(dataDir)) Directory.Delete(dataDir, recursive: true);
        Directory.CreateDirectory(dataDir);

        say("1/6 building a Gen2 test image (GPT, UKI, ext4 root with a 32-file boot working set) …");
        string image = Path.Combine(dataDir, "kiln-test-gen2.raw");
        await TestImageFactory.BuildAsync(new TestImageSpec { Variant = TestImageVariant.Gen2 }, image, ct);
        await new PlatformImageCatalog(Path.Combine(dataDir, "platform-images"))
            .ImportAsync("Kiln", "TestLinux", "gen2", "1.0.0", image, ct);
        File.Delete(image);
        say("    imported as platform image Kiln:TestLinux:gen2:1.0.0");

        say($"2/6 starting the control plane on the embedded default (SQLite + folders in {dataDir}) …");
        string data = Path.GetFullPath(dataDir);
        await using var server = await KilnServer.StartAsync(new KilnApiOptions
        {
            DataDirectory = data, Port = 0, Log = _ => { },
            BuildEngineFactory = plane => new PipelineBuildEngine(plane, data),
        }, ct);
        using var arm = await ArmHttpClient.ConnectAsync(server.Credentials, ct);
        string sub = $"/subscriptions/{server.Credentials.SubscriptionId}";
        say($"    {server.Credentials.ArmEndpoint} (credentials in {Path.Combine(dataDir, "credentials.json")})");

        say("3/6 the how-to: providers, group, identity + Contributor, gallery, image definition …");
        foreach (var ns in new[] { "Microsoft.VirtualMachineImages", "Microsoft.Compute", "Microsoft.KeyVault", "Microsoft.Storage", "Microsoft.Network" })
            await arm.PostAsync($"{sub}/providers/{ns}/register?api-version=2021-04-01", ct);
        string rg = $"{sub}/resourceGroups/{Rg}";
        await arm.PutAsync($"{rg}?api-version=2021-04-01", new JsonObject { ["location"] = Location }, ct);
        string identityId = $"{rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/myIdentity";
        var identity = await arm.PutAsync($"{identityId}?api-version=2023-01-31", new JsonObject { ["location"] = Location }, ct);
        await arm.PutAsync($"{rg}/providers/Microsoft.Authorization/roleAssignments/{Guid.NewGuid()}?api-version=2022-04-01", new JsonObject
        {
            ["properties"] = new JsonObject
            {
                ["roleDefinitionId"] = $"{sub}/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c",
                ["principalId"] = identity!["properties"]!["principalId"]!.GetValue<string>(),
            },
        }, ct);
        string galleryId = $"{rg}/providers/Microsoft.Compute/galleries/myGallery";
        await arm.PutAsync(galleryId + ComputeV, new JsonObject { ["location"] = Location }, ct);
        string definitionId = $"{galleryId}/images/myImageDef";
        await arm.PutAsync(definitionId + ComputeV, (JsonObject)JsonNode.Parse("""
            {"location":"westus2","properties":{"osType":"Linux","osState":"Generalized","hyperVGeneration":"V2",
             "identifier":{"publisher":"myIbPublisher","offer":"myOffer","sku":"18.04-LTS"}}}
            """)!, ct);

        say("4/6 image template with optimize.vmBoot Enabled and two Shell customizers; run …");
        string templateId = $"{rg}/providers/Microsoft.VirtualMachineImages/imageTemplates/helloImageTemplate";
        await arm.PutAsync(templateId + ImageTemplateV, Template(identityId, definitionId), ct);
        var build = Stopwatch.StartNew();
        string operation = await arm.StartAsync($"{templateId}/run{ImageTemplateV}", ct);
        string last = "";
        try
        {
            await arm.WaitForOperationAsync(operation, ct, _ =>
            {
                var t = arm.GetAsync(templateId + ImageTemplateV, ct).GetAwaiter().GetResult();
                string sub2 = t?["properties"]?["lastRunStatus"]?["runSubState"]?.GetValue<string>() ?? "";
                if (sub2 != last && sub2.Length > 0) { say($"    {build.Elapsed.TotalSeconds,6:0} s  {sub2}"); last = sub2; }
            });
        }
        catch (InvalidOperationException e)
        {
            say($"    the run failed: {e.Message}");
            say($"    log: ./kiln logs helloImageTemplate -g {Rg} --data {dataDir}");
            return 1;
        }
        var status = (await arm.GetAsync(templateId + ImageTemplateV, ct))!["properties"]!["lastRunStatus"]!;
        say($"    run {status["runState"]} in {build.Elapsed.TotalSeconds:0} s: {status["message"]}");

        string versionId = $"{definitionId}/versions/1.0.0";
        var version = await arm.GetAsync(versionId + ComputeV, ct);
        say($"    version 1.0.0: replication {version?["properties"]?["replicationStatus"]?["aggregatedState"]}");

        say($"5/6 VM from version 1.0.0, disk streamed from {SecondRegion} (10 ms per request, 200 MB/s), boot pack NOT used …");
        var layout = new ArtifactLayout(data);
        var plain = await BootAsync(layout.Region(SecondRegion), ArtifactLayout.ManifestName(versionId), prefetch: false, ct);
        say("6/6 the same, with the boot pack prefetched ahead of the guest …");
        var optimized = await BootAsync(layout.Region(SecondRegion), ArtifactLayout.ManifestName(versionId), prefetch: true, ct);

        say("");
        say($"  streamed, not optimized: {plain.SecondsToReady,7:0.0} s to ready, {plain.RemoteRequests,5} remote requests, {plain.RemoteBytes / 1048576.0,6:0.0} MiB");
        say($"  streamed, optimized:     {optimized.SecondsToReady,7:0.0} s to ready, {optimized.RemoteRequests,5} remote requests, {optimized.RemoteBytes / 1048576.0,6:0.0} MiB");
        say($"quickstart done in {total.Elapsed.TotalMinutes:0.0} min; state kept in {dataDir} (./kiln serve --data {dataDir} serves it again)");
        return 0;
    }

    private static JsonObject Template(string identityId, string definitionId)
    {
        var body = (JsonObject)JsonNode.Parse(TemplateJson(definitionId))!;
        var identities = body["identity"]!["userAssignedIdentities"]!.AsObject();
        identities.Remove("IDENTITY");
        identities[identityId] = new JsonObject();
        return body;
    }

    private static string TemplateJson(string definitionId) => $$$"""
        {
          "location": "{{{Location}}}",
          "identity": {"type": "UserAssigned", "userAssignedIdentities": {"IDENTITY": {}} },
          "properties": {
            "buildTimeoutInMinutes": 60,
            "source": {"type": "PlatformImage", "publisher": "Kiln", "offer": "TestLinux", "sku": "gen2", "version": "latest"},
            "customize": [
              {"type": "Shell", "name": "RunScriptFromSource", "inline": ["sudo mkdir -p /buildArtifacts", "echo 'built by kiln' | sudo tee /buildArtifacts/index.html"]},
              {"type": "Shell", "name": "SetMotd", "inline": ["echo 'Hello from Kiln' | sudo tee /etc/motd"]}
            ],
            "optimize": {"vmBoot": {"state": "Enabled"}},
            "distribute": [{"type": "SharedImage", "galleryImageId": "{{{definitionId}}}", "runOutputName": "aibLinuxSIG",
              "targetRegions": [{"name": "{{{Location}}}", "replicaCount": 1}, {"name": "{{{SecondRegion}}}", "replicaCount": 1}]}]
          }
        }
        """;

    private async Task<StreamedBootResult> BootAsync(IRegionStore region, string manifest, bool prefetch, CancellationToken ct)
    {
        var result = await StreamedVm.BootAsync(new StreamedVmOptions
        {
            Region = region,
            ManifestName = manifest,
            Link = RemoteLinkOptions.Parse("10ms", "200MB/s"),
            Prefetch = prefetch,
            Completion = new BootCompletion { Timeout = TimeSpan.FromMinutes(10) },
        }, ct);
        if (!result.Ready)
            throw new InvalidOperationException("the streamed VM did not boot: " + result.Boot.Describe());
        say($"    ready in {result.SecondsToReady:0.0} s ({result.RemoteRequests} remote requests)");
        return result;
    }
}
