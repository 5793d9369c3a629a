using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kiln.Control.Persistence;

/// <summary>How records are written to the store's JSON columns (enums by name, so rows stay readable).</summary>
internal static class StoreJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Read<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new InvalidDataException($"Stored {typeof(T).Name} row is null JSON.");
}
