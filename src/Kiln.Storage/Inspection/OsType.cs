using System.Text.Json.Serialization;

namespace Kiln.Storage.Inspection;

[JsonConverter(typeof(JsonStringEnumConverter<OsType>))]
public enum OsType
{
    Unknown,
    Linux,
    Windows,
}
