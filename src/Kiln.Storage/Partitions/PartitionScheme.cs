using System.Text.Json.Serialization;

namespace Kiln.Storage.Partitions;

/// <summary>How a disk is divided; the JSON names are the ones `kiln inspect` reports.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PartitionScheme>))]
public enum PartitionScheme
{
    [JsonStringEnumMemberName("None")] None,
    [JsonStringEnumMemberName("MBR")] Mbr,
    [JsonStringEnumMemberName("GPT")] Gpt,
}
