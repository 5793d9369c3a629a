using System.CommandLine;
using System.Text.Json;
using Kiln.Storage.Formats;
using Kiln.Storage.Profiles;
using Kiln.Streaming.Images;
using Kiln.Streaming.Replication;
using Kiln.Streaming.Store;

namespace Kiln.Cli.Commands;

/// <summary><c>kiln image publish|replicate|gc</c>: store image versions as chunks in a region (folder or blob container), copy them between regions, free what no version uses.</summary>
public static class ImageCommand
{
    public static Command Create()
    {
        // A region is a folder, or an Azure Blob Storage container given by URL: with a SAS in the
        // query, or with AZURE_STORAGE_KEY / AZURE_STORAGE_CONNECTION_STRING set (as for az storage).
        var command = new Command("image", "Store image versions in regions and replicate them. A region is a folder or a blob container URL "
            + "(https://ACCOUNT.blob.core.windows.net/CONTAINER with a SAS, or with AZURE_STORAGE_KEY or AZURE_STORAGE_CONNECTION_STRING set).");
        command.Subcommands.Add(CreatePublish());
        command.Subcommands.Add(CreateReplicate());
        command.Subcommands.Add(ImageGcCommand.Create());
        return command;
    }

    private static Command CreatePublish()
    {
        var image = new Argument<FileInfo>("IMAGE") { Description = "Disk image (raw, VHD, qcow2 as supported)." };
        var store = new Option<string>("--store") { Description = "Region to publish into: a folder (created if missing) or a blob container URL (see kiln image --help).", Required = true };
        var name = new Option<string>("--name") { Description = "Version name (immutable once published).", Required = true };
        var profile = new Option<FileInfo?>("--profile") { Description = "Boot profile JSON (kiln optimize): adds a boot pack so streamed boots prefetch their working set." };
        var command = new Command("publish", "Store IMAGE as content-addressed chunks (plus a boot pack with --profile) under a version name.")
        {
            image, store, name, profile,
        };
        command.SetAction(async (parse, ct) =>
        {
            var profileFile = parse.GetValue(profile);
            var bootProfile = profileFile is null ? null : await ReadProfileAsync(profileFile.FullName, ct);
            await using var opened = await DiskImage.OpenAsync(parse.GetValue(image)!.FullName, writable: false, ct);
            var region = RegionStoreLocator.Open(parse.GetValue(store)!, "--store");
            var result = await new ImageStore(region).PublishAsync(opened.Device, parse.GetValue(name)!, bootProfile, ct);
            Console.WriteLine($"published '{parse.GetValue(name)}' to {region}: {result.ChunksTotal} chunks ({result.ZeroChunks} zero, "
                + $"{result.ChunksStored} stored, {result.ChunksReused} already there), {result.BytesStored} bytes written"
                + (result.Manifest.BootPack is { } pack ? $", boot pack {pack.Length} bytes in {pack.SegmentCount} segments" : ", no boot pack"));
            return 0;
        });
        return command;
    }

    private static Command CreateReplicate()
    {
        var from = new Option<string>("--from") { Description = "Source region: a folder or a blob container URL.", Required = true };
        var to = new Option<string>("--to") { Description = "Target region: a folder (created if missing) or a blob container URL.", Required = true };
        var name = new Option<string>("--name") { Description = "Version name.", Required = true };
        var command = new Command("replicate", "Copy a version to another region: only the chunks it lacks, each verified; the manifest last.") { from, to, name };
        command.SetAction(async (parse, ct) =>
        {
            var source = RegionStoreLocator.Open(parse.GetValue(from)!, "--from");
            var target = RegionStoreLocator.Open(parse.GetValue(to)!, "--to");
            var result = await Replicator.ReplicateAsync(parse.GetValue(name)!, source, target, ct);
            Console.WriteLine($"replicated '{parse.GetValue(name)}' {source} → {target}: {result.ChunksCopied} chunks copied, "
                + $"{result.ChunksSkipped} already there, {result.BytesCopied} bytes"
                + (result.PackCopied ? $", boot pack {result.PackBytesCopied} bytes" : ""));
            return 0;
        });
        return command;
    }

    /// <summary>Reads a boot profile written by <c>kiln optimize</c> (or a test's traced boot).</summary>
    public static async Task<BootProfile> ReadProfileAsync(string path, CancellationToken ct)
    {
        await using var stream = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync<BootProfile>(stream, cancellationToken: ct)
            ?? throw new InvalidDataException($"{path}: the boot profile is empty (expected a JSON object with image, boots and extents).");
    }
}
