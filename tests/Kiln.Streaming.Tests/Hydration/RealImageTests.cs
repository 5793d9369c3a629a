using System.Diagnostics;
using Kiln.Storage.Formats;
using Kiln.Streaming.Hydration;
using Kiln.Streaming.Images;
using Kiln.Streaming.Replication;
using Kiln.Streaming.Store;

namespace Kiln.Streaming.Tests.Hydration;

/// <summary>The whole path on an image made by the real tools: mkfs.ext4 → publish → replicate → hydrate.</summary>
public class RealImageTests
{
    [Fact]
    public async Task Ext4Image_PublishedReplicatedAndStreamed_ReadsBackByteForByte()
    {
        using var dir = new TempDir();
        var path = dir["disk.raw"];
        using (var f = File.Create(path)) f.SetLength(48L << 20);
        var payload = dir["payload.bin"];
        await File.WriteAllBytesAsync(payload, TestImages.Random(3 << 20, seed: 13));
        Run("mkfs.ext4", "-q", "-F", "-E", "lazy_itable_init=0,lazy_journal_init=0", path);
        Run("debugfs", "-w", "-R", $"write {payload} payload.bin", path);
        var image = await File.ReadAllBytesAsync(path);

        var west = new LocalFolderRegionStore(dir["west"], "west");
        var east = new RemoteRegionStore(new LocalFolderRegionStore(dir["east"], "east"), new RemoteLinkOptions { Latency = TimeSpan.FromMilliseconds(1) });
        PublishResult published;
        await using (var source = RawFileDevice.Open(path))
            published = await new ImageStore(west).PublishAsync(source, "ext4-1", TestImages.Profile(image.Length, (0, 1 << 20)));
        var replicated = await Replicator.ReplicateAsync("ext4-1", west, east);

        Assert.True(published.ZeroChunks > 20, $"only {published.ZeroChunks} of {published.ChunksTotal} chunks were found empty");
        Assert.Equal(published.ChunksStored, replicated.ChunksCopied);
        await using var device = await HydratingDevice.OpenAsync(east, "ext4-1", dir["cache.img"]);
        device.StartPrefetch();
        Assert.Equal(image, await TestImages.ReadAllAsync(device, 0, image.Length));
        await device.PrefetchCompletion;
        Assert.True(device.GetStats().DemandRequests <= published.ChunksTotal - published.ZeroChunks);
    }

    private static void Run(string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEnd();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{tool} failed ({p.ExitCode}): {stderr}");
    }
}
