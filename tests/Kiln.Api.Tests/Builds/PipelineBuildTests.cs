using System.Text.Json.Nodes;
using Kiln.Api.Tests.Support;
using Kiln.Control.Builds;
using Kiln.Pipeline.Steps.Distribute;
using Kiln.Streaming.Store;
using Microsoft.Extensions.Time.Testing;

namespace Kiln.Api.Tests.Builds;

/// <summary>Runs through the HTTP API with the real pipeline engine (no VM: empty customize, optimize Disabled).</summary>
public sealed class PipelineBuildTests
{
    [Fact]
    public async Task Run_distributes_a_replicated_version_records_outputs_and_cleans_staging()
    {
        await using var build = await BuildScenario.StartAsync();
        string templateId = await build.PutTemplateAsync(build.Template());
        await build.StartRunAsync(templateId);
        var template = await build.WaitForRunEndAsync(templateId);
        var status = template["properties"]!["lastRunStatus"]!;
        Assert.True(status["runState"]!.GetValue<string>() == "Succeeded", status.ToJsonString());
        Assert.Equal("1.0.10", template["properties"]!["source"]!["exactVersion"]!.GetValue<string>());
        string staging = template["properties"]!["exactStagingResourceGroup"]!.GetValue<string>();
        Assert.StartsWith($"/subscriptions/{build.Kiln.Sub}/resourceGroups/IT_rg1_t1_", staging);
        Assert.True(build.StagingIsEmpty);

        string versionId = build.Scenario.DefinitionId + "/versions/1.0.0";
        var (code, version, _) = await build.Kiln.GetAsync(versionId + Bodies.ComputeV);
        Assert.Equal(200, code);
        var regions = version!["properties"]!["replicationStatus"]!["summary"]!.AsArray().Select(r => r!["region"]!.GetValue<string>()).ToList();
        Assert.Equal(["westus2", "eastus"], regions);
        var eastus = version["properties"]!["publishingProfile"]!["targetRegions"]!.AsArray().Single(r => r!["name"]!.GetValue<string>() == "eastus")!;
        Assert.Equal(2, eastus["regionalReplicaCount"]!.GetValue<int>());
        Assert.Equal("Standard_ZRS", eastus["storageAccountType"]!.GetValue<string>());

        // The data is in both region stores, under the manifest named after the version id.
        var layout = new ArtifactLayout(build.Kiln.DataDir);
        foreach (var region in new[] { "westus2", "eastus" })
            Assert.True(await layout.Region(region).ExistsAsync(RegionKeys.Manifest(ArtifactLayout.ManifestName(versionId))), region);

        var (outCode, output, _) = await build.Kiln.GetAsync(templateId + "/runOutputs/out1" + Bodies.V);
        Assert.Equal(200, outCode);
        Assert.Equal(versionId, output!["properties"]!["artifactId"]!.GetValue<string>(), ignoreCase: true);

        string log = File.ReadAllText(BuildPaths.LatestLog(new BuildPaths(build.Kiln.DataDir).TemplateLogFolder(
            Kiln.Domain.Arm.ResourceId.TryParse(templateId, out var tid) ? tid : throw new InvalidOperationException()))!);
        Assert.Contains("[Distributing] distribute[0] SharedImage: finished", log);
        Assert.Contains("replicated to eastus", log);
        Assert.Contains("staging deleted", log);

        // A second run bumps the patch above the highest existing version.
        await build.StartRunAsync(templateId);
        var second = await build.WaitForRunEndAsync(templateId);
        Assert.Equal("Succeeded", second["properties"]!["lastRunStatus"]!["runState"]!.GetValue<string>());
        Assert.Equal(["1.0.0", "1.0.1"], (await build.VersionsAsync()).Order());

        // The two versions hold the same image, so they share every chunk: deleting one frees its
        // manifests only, and the other still has everything it names.
        Assert.Equal(202, (await build.Kiln.SendAsync(HttpMethod.Delete, versionId + Bodies.ComputeV)).Status);
        string sibling = ArtifactLayout.ManifestName(build.Scenario.DefinitionId + "/versions/1.0.1");
        foreach (var region in new[] { "westus2", "eastus" })
        {
            var store = layout.Region(region);
            Assert.False(await store.ExistsAsync(RegionKeys.Manifest(ArtifactLayout.ManifestName(versionId))), region);
            var manifest = await Kiln.Streaming.Images.ImageManifest.ReadAsync(store, sibling);
            foreach (var hash in manifest.Chunks.OfType<string>())
                Assert.Equal(hash, Kiln.Streaming.Images.ChunkHash.Of(await store.GetAsync(RegionKeys.Chunk(hash))));
        }
    }

    [Fact]
    public async Task Missing_role_fails_at_once_with_AuthorizationFailed_naming_identity_and_scope()
    {
        await using var build = await BuildScenario.StartAsync(grantRole: false);
        // A role on another group does not cover the definition.
        var other = await build.Kiln.PutAsync(build.Kiln.Rg("elsewhere") + Bodies.RgV, Bodies.Group());
        Assert.True(other.Status is 200 or 201);
        await build.GrantContributorAsync(build.Kiln.Rg("elsewhere"));
        string templateId = await build.PutTemplateAsync(build.Template());
        await build.StartRunAsync(templateId);
        var status = (await build.WaitForRunEndAsync(templateId))["properties"]!["lastRunStatus"]!;
        Assert.Equal("Failed", status["runState"]!.GetValue<string>());
        string message = status["message"]!.GetValue<string>();
        Assert.StartsWith("AuthorizationFailed:", message);
        Assert.Contains(build.Scenario.IdentityId, message);
        Assert.Contains(build.Scenario.DefinitionId, message, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(await build.VersionsAsync());
        Assert.True(build.StagingIsEmpty);
    }

    [Fact]
    public async Task A_failed_distribution_leaves_no_version_visible()
    {
        await using var build = await BuildScenario.StartAsync();
        string taken = Path.Combine(build.Kiln.DataDir, "taken.vhd");
        File.WriteAllText(taken, "already here");
        var vhd = new JsonObject { ["type"] = "VHD", ["runOutputName"] = "vhd1", ["uri"] = new Uri(taken).AbsoluteUri };
        string templateId = await build.PutTemplateAsync(build.Template(vhd));
        await build.StartRunAsync(templateId);
        var status = (await build.WaitForRunEndAsync(templateId))["properties"]!["lastRunStatus"]!;
        Assert.Equal("Failed", status["runState"]!.GetValue<string>());
        Assert.Contains("already exists", status["message"]!.GetValue<string>());
        Assert.Empty(await build.VersionsAsync());
        Assert.Equal("already here", File.ReadAllText(taken));
        Assert.True(build.StagingIsEmpty);
        // The gallery distribution before it had stored its chunks in both regions; its cleanup freed them all.
        foreach (var region in new ArtifactLayout(build.Kiln.DataDir).ExistingRegions())
            await foreach (var key in region.ListAsync(""))
                Assert.Fail($"{region.Name}: {key} was left behind by the failed build");
    }

    [Fact]
    public async Task Vhd_and_managed_image_distributions_write_their_artifacts()
    {
        await using var build = await BuildScenario.StartAsync();
        string imageId = build.Kiln.Rg(build.Scenario.Rg) + "/providers/Microsoft.Compute/images/img1";
        var body = build.Template(
            new JsonObject { ["type"] = "VHD", ["runOutputName"] = "vhd1" },
            new JsonObject { ["type"] = "ManagedImage", ["runOutputName"] = "mi1", ["imageId"] = imageId, ["location"] = "westus2" });
        string templateId = await build.PutTemplateAsync(body);
        await build.StartRunAsync(templateId);
        var status = (await build.WaitForRunEndAsync(templateId))["properties"]!["lastRunStatus"]!;
        Assert.True(status["runState"]!.GetValue<string>() == "Succeeded", status.ToJsonString());
        var (_, vhdOut, _) = await build.Kiln.GetAsync(templateId + "/runOutputs/vhd1" + Bodies.V);
        string vhdPath = new Uri(vhdOut!["properties"]!["artifactUri"]!.GetValue<string>()).LocalPath;
        await using (var vhd = await Kiln.Storage.Formats.DiskImage.OpenAsync(vhdPath))
        {
            Assert.Equal(Kiln.Storage.Formats.DiskImage.VhdFixed, vhd.Format);
            Assert.Equal(8L << 20, vhd.Device.Length);
        }
        var (_, miOut, _) = await build.Kiln.GetAsync(templateId + "/runOutputs/mi1" + Bodies.V);
        Assert.Equal(imageId, miOut!["properties"]!["artifactId"]!.GetValue<string>(), ignoreCase: true);
        var (miCode, image, _) = await build.Kiln.GetAsync(imageId + Bodies.ComputeV);
        Assert.Equal(200, miCode);
        string osDisk = new Uri(image!["properties"]!["storageProfile"]!["osDisk"]!["blobUri"]!.GetValue<string>()).LocalPath;
        Assert.Equal(8L << 20, new FileInfo(osDisk).Length);

        // The log endpoint serves the run's customization.log; offset skips what a follower already has.
        using var logResponse = await build.Kiln.Client.GetAsync(templateId + "/logs" + Bodies.V);
        Assert.Equal(200, (int)logResponse.StatusCode);
        Assert.Equal("text/plain", logResponse.Content.Headers.ContentType?.MediaType);
        string log = await logResponse.Content.ReadAsStringAsync();
        Assert.Contains("distribute[2] ManagedImage: created", log);
        string tail = await build.Kiln.Client.GetStringAsync(templateId + "/logs" + Bodies.V + "&offset=" + (log.Length - 20));
        Assert.Equal(log[^20..], tail);
    }

    [Fact]
    public async Task Cancel_mid_build_ends_Canceled_and_cleans_up()
    {
        var blocking = new BlockingStep();
        await using var build = await BuildScenario.StartAsync(new PipelineBuildEngineOptions { AdjustSteps = blocking.InsertInto });
        string templateId = await build.PutTemplateAsync(build.Template());
        await build.StartRunAsync(templateId);
        await blocking.Started.Task.WaitAsync(TimeSpan.FromMinutes(2));
        Assert.False(build.StagingIsEmpty);
        await build.StartRunAsync(templateId, "cancel");
        var status = (await build.WaitForRunEndAsync(templateId))["properties"]!["lastRunStatus"]!;
        Assert.Equal("Canceled", status["runState"]!.GetValue<string>());
        Assert.True(blocking.CleanedUp);
        Assert.True(build.StagingIsEmpty);
        Assert.Empty(await build.VersionsAsync());
    }

    [Fact]
    public async Task Timeout_ends_Failed_with_BuildTimeout_and_cleans_up()
    {
        var blocking = new BlockingStep();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var build = await BuildScenario.StartAsync(new PipelineBuildEngineOptions { AdjustSteps = blocking.InsertInto, Time = time });
        string templateId = await build.PutTemplateAsync(build.Template()); // buildTimeoutInMinutes: 60
        await build.StartRunAsync(templateId);
        await blocking.Started.Task.WaitAsync(TimeSpan.FromMinutes(2));
        time.Advance(TimeSpan.FromMinutes(61));
        var status = (await build.WaitForRunEndAsync(templateId))["properties"]!["lastRunStatus"]!;
        Assert.Equal("Failed", status["runState"]!.GetValue<string>());
        Assert.StartsWith("BuildTimeout:", status["message"]!.GetValue<string>());
        Assert.True(build.StagingIsEmpty);
        Assert.Empty(await build.VersionsAsync());
    }

    [Fact]
    public async Task Server_restart_mid_run_ends_the_run_Failed_and_leaves_no_staging()
    {
        string dir = TestKiln.NewDataDir();
        var blocking = new BlockingStep();
        string templateId;
        await using (var build = await BuildScenario.StartAsync(new PipelineBuildEngineOptions { AdjustSteps = blocking.InsertInto }, dir))
        {
            templateId = await build.PutTemplateAsync(build.Template());
            await build.StartRunAsync(templateId);
            await blocking.Started.Task.WaitAsync(TimeSpan.FromMinutes(2));
            // A crash would leave the staging folder behind; keep a copy of one to prove the next start sweeps it.
            Directory.CreateDirectory(Path.Combine(build.StagingRoot, "IT_rg1_t1_orphan"));
        }
        try
        {
            await using var restarted = await BuildScenario.RestartAsync(dir);
            var (_, template, _) = await restarted.GetAsync(templateId + Bodies.V);
            var status = template!["properties"]!["lastRunStatus"]!;
            Assert.Equal("Failed", status["runState"]!.GetValue<string>());
            Assert.StartsWith("RunInterrupted:", status["message"]!.GetValue<string>());
            Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(dir, "staging")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
