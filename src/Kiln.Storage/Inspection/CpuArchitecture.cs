using System.Text.Json.Serialization;

namespace Kiln.Storage.Inspection;

/// <summary>The image's CPU architecture, with Azure's spelling (x64, Arm64).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CpuArchitecture>))]
public enum CpuArchitecture
{
    Unknown,
    [JsonStringEnumMemberName("x64")] X64,
    Arm64,
}
