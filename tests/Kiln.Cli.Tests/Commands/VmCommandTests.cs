using System.CommandLine;
using Kiln.Cli.Commands;
using Kiln.Pipeline.Steps.Distribute;
using Kiln.Streaming.Store;

namespace Kiln.Cli.Tests.Commands;

/// <summary>
/// `kiln vm run`: where the disk streams from (a store, or a region of kiln serve's data folder) and
/// which version (a manifest name, or a gallery version id). No VM boots here: each case stops at
/// the first thing it cannot find, and the message says which and where.
/// </summary>
public sealed class VmCommandTests : IDisposable
{
    private const string VersionId = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Compute/galleries/g/images/d/versions/1.0.0";
    private readonly string _dir = Directory.CreateTempSubdirectory("kiln-cli-vm-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Task<int> RunAsync(string[] args, StringWriter? error = null) =>
        new RootCommand { VmCommand.Create() }.Parse(["vm", "run", .. args])
            .InvokeAsync(new InvocationConfiguration { Output = new StringWriter(), Error = error ?? new StringWriter(), EnableDefaultExceptionHandler = false });

    [Theory]
    [InlineData(new[] { "--store", "/x" }, "--manifest NAME")]                                   // no version
    [InlineData(new[] { "--store", "/x", "--manifest", "a", "--version", "b" }, "not both")]     // two versions
    [InlineData(new[] { "--manifest", "a" }, "--region NAME")]                                    // nowhere to stream from
    public async Task WhatToBootAndFromWhere_AreBothRequired(string[] args, string expected)
    {
        var error = new StringWriter();
        Assert.NotEqual(0, await RunAsync(args, error));
        Assert.Contains(expected, error.ToString());
    }

    [Fact]
    public async Task ARegionTheDataFolderLacks_IsNamedWithTheRegionsItHas()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "regions", "westus2"));
        var e = await Assert.ThrowsAsync<ArgumentException>(() => RunAsync(["--data", _dir, "--region", "eastus", "--manifest", "v1"]));
        Assert.Contains("'eastus'", e.Message);
        Assert.Contains("westus2", e.Message);
    }

    [Fact]
    public async Task AHostileRegionName_IsRefusedBeforeAnyPathIsBuilt()
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => RunAsync(["--data", _dir, "--region", "../etc", "--manifest", "v1"]));
        Assert.Contains("letters and digits", e.Message);
    }

    [Fact]
    public async Task AGalleryVersionId_FindsTheManifestThePipelineNamedAfterIt()
    {
        // The region exists but holds no such version: the error names the manifest the id maps to.
        Directory.CreateDirectory(Path.Combine(_dir, "regions", "eastus"));
        var e = await Assert.ThrowsAsync<RegionObjectNotFoundException>(() => RunAsync(["--data", _dir, "--region", "EastUS", "--version", VersionId]));
        Assert.Equal("eastus", e.Region);
        Assert.Contains(ArtifactLayout.ManifestName(VersionId), e.Key);
        Assert.Contains("replicated to this region", e.Message);
    }
}
