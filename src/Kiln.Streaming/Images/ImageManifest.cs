using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Kiln.Storage.Blocks;
using Kiln.Streaming.Store;

namespace Kiln.Streaming.Images;

/// <summary>
/// One image version in a region store (manifests/&lt;name&gt;.json): the image is cut into
/// fixed-size chunks; chunk i covers [i × chunkSize, (i+1) × chunkSize) and is the object
/// chunks/ab/&lt;sha256&gt;, or null when it is all zeros (not stored). Two versions share every
/// chunk they have in common, so a version that changes 1 % of the blocks adds ~1 % of the bytes.
/// The manifest is written last: a manifest's presence means every object it names is there.
/// </summary>
public sealed record ImageManifest
{
    public const int CurrentFormatVersion = 1;

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    [JsonPropertyName("formatVersion")] public int FormatVersion { get; init; } = CurrentFormatVersion;
    [JsonPropertyName("imageSize")] public long ImageSize { get; init; }
    [JsonPropertyName("chunkSize")] public int ChunkSize { get; init; }

    /// <summary>sha256 hex per chunk, null for an all-zero chunk.</summary>
    [JsonPropertyName("chunks")] public required IReadOnlyList<string?> Chunks { get; init; }

    [JsonPropertyName("bootPack")] public BootPackIndex? BootPack { get; init; }

    [JsonIgnore] public int ChunkCount => Chunks.Count;

    public Extent ChunkExtent(int index) =>
        new((long)index * ChunkSize, Math.Min(ChunkSize, ImageSize - (long)index * ChunkSize));

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, JsonOptions);

    /// <summary>sha256 of the serialized manifest: identifies this exact version (e.g. for a cache file).</summary>
    public string ComputeContentId() => Convert.ToHexStringLower(SHA256.HashData(ToJson()));

    /// <summary>Parses and checks a manifest; <paramref name="name"/> is used in error messages.</summary>
    public static ImageManifest Parse(ReadOnlySpan<byte> json, string name)
    {
        ImageManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<ImageManifest>(json, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new ManifestException(name, e.Path ?? "$", $"not valid manifest JSON ({e.Message}).");
        }
        if (manifest is null) throw new ManifestException(name, "$", "empty document.");
        manifest.Validate(name);
        return manifest;
    }

    /// <summary>Largest manifest accepted from a region (about 3.9 million stored chunks: 3.9 TiB of non-zero data in 1 MiB chunks).</summary>
    public const long MaxManifestBytes = 256L << 20;

    /// <summary>Largest image a manifest may describe: bounds what a reader allocates for it (a 16 TiB disk needs a 512 MiB presence bitmap).</summary>
    public const long MaxImageSize = 16L << 40;

    public static async Task<ImageManifest> ReadAsync(IRegionStore store, string name, CancellationToken ct = default)
        => Parse(await ReadBytesAsync(store, name, ct).ConfigureAwait(false), name);

    /// <summary>The manifest object's bytes, refusing absurd sizes before reading them.</summary>
    public static async Task<byte[]> ReadBytesAsync(IRegionStore store, string name, CancellationToken ct = default)
    {
        var key = RegionKeys.Manifest(name);
        if (await store.GetLengthAsync(key, ct).ConfigureAwait(false) is not { } length)
            throw new RegionObjectNotFoundException(store.Name, key);
        if (length > MaxManifestBytes)
            throw new ManifestException(name, "$", $"{length} bytes is larger than any sane manifest ({MaxManifestBytes >> 20} MiB).");
        var json = new byte[length];
        int n = await store.ReadExactlyAsync(key, 0, json, ct).ConfigureAwait(false);
        return n == json.Length ? json : json[..n];
    }

    /// <summary>Checks every field (the manifest may come from an untrusted region).</summary>
    public void Validate(string name)
    {
        if (FormatVersion != CurrentFormatVersion)
            throw new ManifestException(name, "$.formatVersion", $"version {FormatVersion} is not supported (expected {CurrentFormatVersion}).");
        if (ImageSize < 0 || ImageSize > MaxImageSize)
            throw new ManifestException(name, "$.imageSize", $"{ImageSize} is outside [0, {MaxImageSize}] (16 TiB).");
        if (ChunkSize < 4096 || ChunkSize > 64 << 20 || (ChunkSize & (ChunkSize - 1)) != 0)
            throw new ManifestException(name, "$.chunkSize", $"{ChunkSize} is not a power of two between 4 KiB and 64 MiB.");
        long expected = (ImageSize + ChunkSize - 1) / ChunkSize;
        if (Chunks is null || Chunks.Count != expected)
            throw new ManifestException(name, "$.chunks", $"{Chunks?.Count ?? 0} entries, but an image of {ImageSize} bytes in {ChunkSize}-byte chunks has {expected}.");
        for (int i = 0; i < Chunks.Count; i++)
            if (Chunks[i] is { } h && !RegionKeys.IsSha256Hex(h))
                throw new ManifestException(name, $"$.chunks[{i}]", $"'{h}' is not a lowercase sha256 hex string.");
        if (BootPack is { } pack) ValidatePack(name, pack);
    }

    private void ValidatePack(string name, BootPackIndex pack)
    {
        if (!RegionKeys.IsSha256Hex(pack.Id))
            throw new ManifestException(name, "$.bootPack.id", $"'{pack.Id}' is not a lowercase sha256 hex string.");
        if (pack.Alignment < 512 || (pack.Alignment & (pack.Alignment - 1)) != 0)
            throw new ManifestException(name, "$.bootPack.alignment", $"{pack.Alignment} is not a power of two ≥ 512.");
        if (pack.SegmentSize < pack.Alignment || pack.SegmentSize % pack.Alignment != 0 || pack.SegmentSize > 256 << 20)
            throw new ManifestException(name, "$.bootPack.segmentSize", $"{pack.SegmentSize} is not a multiple of the alignment ({pack.Alignment}) up to 256 MiB.");
        if (pack.Length < 0 || pack.Length > ImageSize)
            throw new ManifestException(name, "$.bootPack.length", $"{pack.Length} is outside [0, image size {ImageSize}].");
        if (pack.SegmentHashes is null || pack.SegmentHashes.Count != pack.SegmentCount)
            throw new ManifestException(name, "$.bootPack.segmentHashes", $"{pack.SegmentHashes?.Count ?? 0} hashes for {pack.SegmentCount} segments.");
        for (int i = 0; i < pack.SegmentHashes.Count; i++)
            if (!RegionKeys.IsSha256Hex(pack.SegmentHashes[i]))
                throw new ManifestException(name, $"$.bootPack.segmentHashes[{i}]", "not a lowercase sha256 hex string.");
        if (pack.Extents is null) throw new ManifestException(name, "$.bootPack.extents", "missing.");
        long packPos = 0;
        for (int i = 0; i < pack.Extents.Count; i++)
        {
            var path = $"$.bootPack.extents[{i}]";
            var e = pack.Extents[i];
            if (e is null || e.Length != 3) throw new ManifestException(name, path, "expected [packOffset, imageOffset, length].");
            long packOffset = e[0], imageOffset = e[1], length = e[2];
            if (packOffset != packPos)
                throw new ManifestException(name, path, $"pack offset {packOffset} should be {packPos} (extents are back to back).");
            if (length <= 0 || imageOffset < 0 || imageOffset > ImageSize - length)
                throw new ManifestException(name, path, $"image range [{imageOffset}, +{length}) is empty or outside the image ({ImageSize} bytes).");
            bool alignedEnd = (imageOffset + length) % pack.Alignment == 0 || imageOffset + length == ImageSize;
            if (imageOffset % pack.Alignment != 0 || !alignedEnd)
                throw new ManifestException(name, path, $"image range [{imageOffset}, +{length}) is not aligned to {pack.Alignment}.");
            packPos += length;
        }
        if (packPos != pack.Length)
            throw new ManifestException(name, "$.bootPack.length", $"{pack.Length}, but the extents add up to {packPos}.");
    }
}
