using System.Text.Json;
using System.Text.Json.Serialization;
using Kiln.Storage.Partitions;

namespace Kiln.Storage.Inspection;

/// <summary>
/// What `kiln inspect` reports about a disk image. The JSON names (camelCase) are a contract:
/// issue 2 fixes them and other tools parse them.
/// </summary>
/// <param name="ArchitectureSource">How the architecture was told, e.g. "PE machine 0x8664 in \EFI\BOOT\BOOTX64.EFI".</param>
public sealed record ImageFacts(
    string Format,
    long VirtualSizeBytes,
    long AllocatedBytes,
    PartitionScheme PartitionScheme,
    IReadOnlyList<PartitionFacts> Partitions,
    HyperVGeneration HyperVGeneration,
    CpuArchitecture Architecture,
    string? ArchitectureSource,
    OsType OsType,
    string? Distro,
    OsState OsState,
    IReadOnlyList<string> OsStateEvidence,
    VmBootOptimizationFacts VmBootOptimization,
    IReadOnlyList<string> Warnings)
{
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static ImageFacts FromJson(string json) =>
        JsonSerializer.Deserialize<ImageFacts>(json, JsonOptions) ?? throw new JsonException("empty image facts document.");
}
