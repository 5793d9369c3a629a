using System.Text.Json.Serialization;

namespace Kiln.Streaming.Images;

/// <summary>
/// Where a version's boot pack is and what it holds. The pack is one object: the boot profile's
/// extents (rounded out to <see cref="Alignment"/>, overlaps removed) copied back to back in
/// first-touch order:
/// <code>
///   image:  |....[A]........[C]..[B]......|      profile order: A, B, C
///   pack:   [A][B][C]                            extents: [0, offA, lenA], [lenA, offB, lenB], …
///           |&lt;-- segment 0 --&gt;|&lt;-- segment 1 …    one sha256 per segment (segmentHashes)
/// </code>
/// A reader streams the pack from the start in segment-sized range requests and verifies each
/// segment before using it.
/// </summary>
public sealed record BootPackIndex
{
    /// <summary>sha256 (hex) of the whole pack; the object is packs/&lt;id&gt;.pack.</summary>
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("length")] public long Length { get; init; }

    /// <summary>Every extent's image offset and length are multiples of this (except at the image end).</summary>
    [JsonPropertyName("alignment")] public int Alignment { get; init; }
    [JsonPropertyName("segmentSize")] public int SegmentSize { get; init; }
    [JsonPropertyName("segmentHashes")] public required IReadOnlyList<string> SegmentHashes { get; init; }

    /// <summary>[packOffset, imageOffset, length] triples in pack order (= first-touch order), contiguous in the pack.</summary>
    [JsonPropertyName("extents")] public required IReadOnlyList<long[]> Extents { get; init; }

    /// <summary>The boot profile's content id, for tracing a pack back to the traced image.</summary>
    [JsonPropertyName("profileContentId")] public string? ProfileContentId { get; init; }

    [JsonIgnore] public int SegmentCount => (int)((Length + SegmentSize - 1) / SegmentSize);

    public long SegmentLength(int segment) => Math.Min(SegmentSize, Length - (long)segment * SegmentSize);
}
