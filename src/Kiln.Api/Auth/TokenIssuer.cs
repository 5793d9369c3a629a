using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Kiln.Api.Hosting;
using Kiln.Domain.Arm;
using Kiln.Domain.Identity;

namespace Kiln.Api.Auth;

/// <summary>
/// Issues and checks RS256 JWT access tokens. The RSA key lives in DIR/token-signing.pem so
/// tokens stay valid across restarts. Claims follow Entra ID's (oid, appid, tid, aud, iss, exp).
/// </summary>
public sealed class TokenIssuer : IDisposable
{
    public const string KeyFile = "token-signing.pem";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    private readonly RSA _key;
    private readonly TimeProvider _clock;

    private TokenIssuer(RSA key, TimeProvider clock)
    {
        _key = key;
        _clock = clock;
        KeyId = Base64Url(SHA256.HashData(key.ExportSubjectPublicKeyInfo()))[..16];
    }

    public string KeyId { get; }

    public static TokenIssuer LoadOrCreate(string dataDir, TimeProvider clock)
    {
        string path = Path.Combine(dataDir, KeyFile);
        var rsa = RSA.Create();
        if (File.Exists(path))
        {
            rsa.ImportFromPem(File.ReadAllText(path));
        }
        else
        {
            rsa.KeySize = 2048;
            File.WriteAllText(path, rsa.ExportPkcs8PrivateKeyPem());
            PrivateFile.Restrict(path);
        }
        return new TokenIssuer(rsa, clock);
    }

    public static string Issuer(string tenantId) => $"https://kiln.local/{tenantId}/";

    public string Issue(Principal principal, string audience)
    {
        var now = _clock.GetUtcNow().ToUnixTimeSeconds();
        var header = new JsonObject { ["alg"] = "RS256", ["typ"] = "JWT", ["kid"] = KeyId };
        var payload = new JsonObject
        {
            ["aud"] = audience,
            ["iss"] = Issuer(principal.TenantId),
            ["iat"] = now,
            ["nbf"] = now - 60,
            ["exp"] = now + (long)Lifetime.TotalSeconds,
            ["oid"] = principal.ObjectId,
            ["sub"] = principal.ObjectId,
            ["appid"] = principal.ClientId,
            ["tid"] = principal.TenantId,
            ["idtyp"] = "app",
        };
        string signingInput = Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." +
                              Base64Url(Encoding.UTF8.GetBytes(payload.ToJsonString()));
        var signature = _key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url(signature);
    }

    /// <summary>The token's object id (principal) when the signature, issuer shape and lifetime check out.</summary>
    public string Validate(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3 || token.Length > 8192)
            throw Invalid("The access token is not a JWT (three base64url parts).");
        byte[] signature;
        JsonObject header, payload;
        try
        {
            header = JsonNode.Parse(FromBase64Url(parts[0])) as JsonObject ?? throw Invalid("The JWT header is not an object.");
            payload = JsonNode.Parse(FromBase64Url(parts[1])) as JsonObject ?? throw Invalid("The JWT payload is not an object.");
            signature = FromBase64Url(parts[2]);
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException)
        {
            throw Invalid($"The access token cannot be decoded: {e.Message}");
        }
        if (header["alg"]?.GetValueKind() != System.Text.Json.JsonValueKind.String || header["alg"]!.GetValue<string>() != "RS256")
            throw Invalid("The access token must be signed with RS256.");
        if (!_key.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
            throw Invalid("The access token's signature is not valid for this Kiln server.");
        long now = _clock.GetUtcNow().ToUnixTimeSeconds();
        if (payload["exp"] is not JsonValue exp || !exp.TryGetValue(out long expires) || expires < now)
            throw Invalid("The access token has expired; request a new one from the token endpoint.");
        if (payload["oid"] is not JsonValue oid || !oid.TryGetValue(out string? objectId) || objectId is null)
            throw Invalid("The access token has no 'oid' claim.");
        return objectId;
    }

    public JsonObject Jwks()
    {
        var p = _key.ExportParameters(false);
        return new JsonObject
        {
            ["keys"] = new JsonArray(new JsonObject
            {
                ["kty"] = "RSA", ["use"] = "sig", ["alg"] = "RS256", ["kid"] = KeyId,
                ["n"] = Base64Url(p.Modulus!), ["e"] = Base64Url(p.Exponent!),
            }),
        };
    }

    private static KilnException Invalid(string message) => new(KilnErrorKind.Unauthorized, "InvalidAuthenticationToken", message);

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string s)
    {
        string b = s.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(b.PadRight(b.Length + (4 - b.Length % 4) % 4, '='));
    }

    public void Dispose() => _key.Dispose();
}
