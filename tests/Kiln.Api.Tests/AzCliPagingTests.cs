using System.Diagnostics;
using System.Text.Json.Nodes;
using Kiln.Api.Hosting;
using Kiln.Api.Tests.Support;
using static Kiln.Api.Tests.Support.Bodies;

namespace Kiln.Api.Tests;

/// <summary>
/// The real az CLI (Debian 2.45) follows Kiln's nextLinks: with a page size of 2, each list of 5 (3 templates)
/// comes back whole, so az re-sent the nextLink as given (host, api-version, $skiptoken). One server, one az
/// login, one call per list: az costs a second or two per call.
/// </summary>
public class AzCliPagingTests
{
    [Fact]
    public async Task AzListsFollowNextLinksToTheEnd()
    {
        Assert.True(File.Exists("/usr/bin/az"), "az is missing: run scripts/test-setup.d/azure-cli.sh (./test.sh does) to install Debian's azure-cli.");
        await using var kiln = await TestKiln.StartAsync(listPageSize: 2);
        var s = await Scenario.CreateAsync(kiln, "rg1");
        for (int i = 2; i <= 5; i++)
        {
            Assert.Equal(201, (await kiln.PutAsync(kiln.Rg($"rg{i}") + RgV, Group())).Status);
            Assert.Equal(201, (await kiln.PutAsync($"{kiln.Rg("rg1")}/providers/Microsoft.Compute/galleries/gallery{i}{ComputeV}",
                new JsonObject { ["location"] = "westus2" })).Status);
            Assert.Equal(201, (await kiln.PutAsync($"{kiln.Rg("rg1")}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id{i}{IdentityV}",
                Group())).Status);
            var definition = ImageDefinition();
            definition["properties"]!["identifier"]!["sku"] = $"sku{i}";
            Assert.Equal(201, (await kiln.PutAsync($"{s.GalleryId}/images/def{i}{ComputeV}", definition)).Status);
        }
        for (int i = 1; i <= 3; i++)
        {
            var put = await kiln.PutAsync(s.TemplateId(kiln, $"t{i}") + V, Template(s.IdentityId, s.DefinitionId));
            Assert.True(put.Status == 201, put.Body?.ToJsonString());
            Assert.Equal("Succeeded", (await kiln.WaitForOperationAsync(put.Response))["status"]!.GetValue<string>());
        }
        var env = await AzCliSetup.PrepareAsync(kiln.Server.Credentials, Path.Combine(kiln.DataDir, "az"), CancellationToken.None);

        string[] five(string prefix) => Enumerable.Range(1, 5).Select(i => prefix + i).ToArray();
        Assert.Equal(five("rg"), await NamesAsync(env, "group", "list"));
        Assert.Equal(five("gallery"), await NamesAsync(env, "sig", "list")); // subscription scope
        Assert.Equal(five("def"), await NamesAsync(env, "sig", "image-definition", "list", "-g", "rg1", "-r", "gallery1"));
        Assert.Equal(five("id"), await NamesAsync(env, "identity", "list", "-g", "rg1"));
        Assert.Equal(["t1", "t2", "t3"], await NamesAsync(env, "image", "builder", "list", "-g", "rg1")); // api-version 2022-02-14
    }

    /// <summary>Runs az with JSON output and returns the "name" of every listed item in the order az printed them (the server's key order).</summary>
    private static async Task<string[]> NamesAsync(IReadOnlyDictionary<string, string> env, params string[] args)
    {
        var psi = new ProcessStartInfo("az", [.. args, "-o", "json"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (k, v) in env)
            psi.Environment[k] = v;
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"az {string.Join(' ', args)} ran over 2 minutes and was killed.");
        }
        string outText = await stdout, errText = await stderr;
        Assert.True(process.ExitCode == 0, $"az {string.Join(' ', args)} exited {process.ExitCode}:\n{errText}");
        return JsonNode.Parse(outText)!.AsArray().Select(i => i!["name"]!.GetValue<string>()).ToArray();
    }
}
