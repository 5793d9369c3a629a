using System.Text.Json.Serialization;

namespace Kiln.Storage.Inspection;

/// <summary>Azure's osState: Generalized images get a fresh identity on first boot; Specialized ones keep theirs.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OsState>))]
public enum OsState
{
    Unknown,
    Generalized,
    Specialized,
}
