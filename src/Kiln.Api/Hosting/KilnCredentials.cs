using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kiln.Api.Hosting;

/// <summary>DIR/credentials.json: what a client needs to log in to this Kiln (written by `kiln serve`).</summary>
public sealed record KilnCredentials(
    [property: JsonPropertyName("tenantId")] string TenantId,
    [property: JsonPropertyName("subscriptionId")] string SubscriptionId,
    [property: JsonPropertyName("clientId")] string ClientId,
    [property: JsonPropertyName("clientSecret")] string ClientSecret,
    [property: JsonPropertyName("armEndpoint")] string ArmEndpoint,
    [property: JsonPropertyName("caCertPath")] string CaCertPath)
{
    public const string FileName = "credentials.json";

    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    public static KilnCredentials? TryRead(string dataDir)
    {
        string path = Path.Combine(dataDir, FileName);
        if (!File.Exists(path))
            return null;
        return JsonSerializer.Deserialize<KilnCredentials>(File.ReadAllText(path))
            ?? throw new InvalidDataException($"{path} holds JSON null; delete the data folder to start over.");
    }

    public void Write(string dataDir)
    {
        string path = Path.Combine(dataDir, FileName);
        File.WriteAllText(path, JsonSerializer.Serialize(this, Options));
        PrivateFile.Restrict(path);
    }
}
