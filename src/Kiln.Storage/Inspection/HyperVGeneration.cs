using System.Text.Json.Serialization;

namespace Kiln.Storage.Inspection;

/// <summary>Azure's hyperVGeneration: V1 boots through BIOS, V2 through UEFI (GPT + EFI system partition with a loader).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<HyperVGeneration>))]
public enum HyperVGeneration
{
    V1,
    V2,
}
