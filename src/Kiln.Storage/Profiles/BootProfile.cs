using System.Text.Json.Serialization;

namespace Kiln.Storage.Profiles;

/// <summary>
/// What one or more traced boots of an image read: the union of their reads, merged, in
/// first-touch order. Written by `kiln optimize`, stored with an image version, and used to lay
/// out and prefetch the boot pack. JSON field names are part of the contract (issue 3).
/// </summary>
public sealed record BootProfile
{
    public const int CurrentFormatVersion = 1;

    [JsonPropertyName("formatVersion")] public int FormatVersion { get; init; } = CurrentFormatVersion;
    [JsonPropertyName("image")] public required BootProfileImage Image { get; init; }
    [JsonPropertyName("boots")] public required IReadOnlyList<BootProfileBoot> Boots { get; init; }
    [JsonPropertyName("workingSetBytes")] public long WorkingSetBytes { get; init; }

    /// <summary>[offset, length] pairs in first-touch order; no two overlap.</summary>
    [JsonPropertyName("extents")] public required IReadOnlyList<long[]> Extents { get; init; }
}

public sealed record BootProfileImage
{
    [JsonPropertyName("sizeBytes")] public long SizeBytes { get; init; }
    [JsonPropertyName("format")] public string? Format { get; init; }
    /// <summary>Identifies the exact content the profile was recorded on (see the optimizer for how it is computed).</summary>
    [JsonPropertyName("contentId")] public required string ContentId { get; init; }
}

public sealed record BootProfileBoot
{
    [JsonPropertyName("seconds")] public double Seconds { get; init; }
    [JsonPropertyName("reads")] public long Reads { get; init; }
    [JsonPropertyName("bytesRead")] public long BytesRead { get; init; }
}
