using System.Diagnostics;
using System.Text.Json.Nodes;
using Kiln.Api.Tests.Support;
using Kiln.Pipeline.Steps.Distribute;
using Kiln.Pipeline.Steps.Source;
using Kiln.Streaming.Images;
using Kiln.TestImages;

namespace Kiln.Api.Tests.Builds;

/// <summary>
/// The whole flow through the HTTP API with real VMs (two TCG boots: the customization appliance and
/// the optimizer's first boot): a generated Gen1 Linux image imported as a platform image, a Shell
/// customizer, optimize.vmBoot Enabled, distributed to two regions.
/// </summary>
public sealed class OptimizedBuildTests
{
    [Fact]
    public async Task Template_to_replicated_optimized_version_then_a_failing_script_fails_the_next_run()
    {
        await using var build = await BuildScenario.StartAsync();
        string image = Path.Combine(build.Kiln.DataDir, "gen1.raw");
        await TestImageFactory.BuildAsync(new TestImageSpec
        {
            Variant = TestImageVariant.Gen1, WorkingSetFiles = 4, WorkingSetMegabytes = 1, RootPartitionMegabytes = 64,
        }, image, CancellationToken.None);
        await new PlatformImageCatalog(Path.Combine(build.Kiln.DataDir, "platform-images"))
            .ImportAsync("Kiln", "TestLinux", "gen1", "1.0.0", image, CancellationToken.None);

        var body = build.Template();
        var props = body["properties"]!.AsObject();
        props["source"] = new JsonObject { ["type"] = "PlatformImage", ["publisher"] = "Kiln", ["offer"] = "TestLinux", ["sku"] = "gen1", ["version"] = "latest" };
        props["customize"] = JsonNode.Parse("""[{"type":"Shell","name":"hello","inline":["sudo sh -c 'echo baked > /etc/kiln-hello'"]}]""");
        props["optimize"] = new JsonObject { ["vmBoot"] = new JsonObject { ["state"] = "Enabled" } };
        string templateId = await build.PutTemplateAsync(body);
        await build.StartRunAsync(templateId);
        var status = (await build.WaitForRunEndAsync(templateId))["properties"]!["lastRunStatus"]!;
        Assert.True(status["runState"]!.GetValue<string>() == "Succeeded", status.ToJsonString());
        Assert.Contains("optimization took", status["message"]!.GetValue<string>());

        string versionId = build.Scenario.DefinitionId + "/versions/1.0.0";
        var (_, version, _) = await build.Kiln.GetAsync(versionId + Bodies.ComputeV);
        Assert.True(version!["properties"]!["kiln"]!["vmBootOptimized"]!.GetValue<bool>());
        var layout = new ArtifactLayout(build.Kiln.DataDir);
        foreach (var region in new[] { "westus2", "eastus" })
        {
            var manifest = await new ImageStore(layout.Region(region)).ReadManifestAsync(ArtifactLayout.ManifestName(versionId));
            Assert.NotNull(manifest.BootPack);
        }
        Assert.True(build.StagingIsEmpty);
        Assert.Empty(QemuProcessesUnder(build.Kiln.DataDir));

        // A failing script fails the run with the tail of its output; nothing new is distributed.
        props["customize"] = JsonNode.Parse("""[{"type":"Shell","name":"broken","inline":["echo about-to-fail","exit 7"]}]""");
        props["optimize"] = new JsonObject { ["vmBoot"] = new JsonObject { ["state"] = "Disabled" } };
        string second = await build.PutTemplateAsync(body, "t2");
        await build.StartRunAsync(second);
        var failed = (await build.WaitForRunEndAsync(second))["properties"]!["lastRunStatus"]!;
        Assert.Equal("Failed", failed["runState"]!.GetValue<string>());
        Assert.Contains("about-to-fail", failed["message"]!.GetValue<string>());
        Assert.Equal(["1.0.0"], await build.VersionsAsync());
        Assert.True(build.StagingIsEmpty);
        Assert.Empty(QemuProcessesUnder(build.Kiln.DataDir));
    }

    private static List<int> QemuProcessesUnder(string dir) =>
        Process.GetProcesses()
            .Where(p => p.ProcessName.StartsWith("qemu", StringComparison.Ordinal))
            .Where(p =>
            {
                try { return File.ReadAllText($"/proc/{p.Id}/cmdline").Contains(dir, StringComparison.Ordinal); }
                catch (IOException) { return false; }
            })
            .Select(p => p.Id).ToList();
}
