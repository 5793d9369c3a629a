using System.Text.Json.Nodes;
using Kiln.Api.Http;
using Kiln.Control;
using Microsoft.AspNetCore.Http;

namespace Kiln.Api.Auth;

/// <summary>
/// The ADFS-style authority az's MSAL talks to (no instance discovery on an /adfs authority, see
/// az-cli-local.md §2.2): /adfs/.well-known/openid-configuration, /adfs/oauth2/token (client
/// credentials), /adfs/discovery/keys; plus /metadata/endpoints for `az cloud register`.
/// OAuth errors use OAuth's shape ({error, error_description}), which MSAL expects.
/// </summary>
public static class AuthEndpoints
{
    public static async Task HandleAsync(HttpContext http, ControlPlane plane, TokenIssuer issuer, string[] s)
    {
        string baseUri = $"{http.Request.Scheme}://{http.Request.Host}";
        if (s.Length == 3 && s[1] == ".well-known" && s[2] == "openid-configuration" && HttpMethods.IsGet(http.Request.Method))
        {
            string tenant = await plane.Directory.TenantIdAsync(http.RequestAborted);
            await ArmResponse.JsonAsync(http, 200, new JsonObject
            {
                ["issuer"] = TokenIssuer.Issuer(tenant),
                ["authorization_endpoint"] = $"{baseUri}/adfs/oauth2/authorize",
                ["token_endpoint"] = $"{baseUri}/adfs/oauth2/token",
                ["jwks_uri"] = $"{baseUri}/adfs/discovery/keys",
                ["token_endpoint_auth_methods_supported"] = new JsonArray("client_secret_post"),
                ["grant_types_supported"] = new JsonArray("client_credentials"),
                ["response_types_supported"] = new JsonArray("token"),
                ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
                ["subject_types_supported"] = new JsonArray("pairwise"),
            });
            return;
        }
        if (s.Length == 3 && s[1] == "discovery" && s[2] == "keys")
        {
            await ArmResponse.JsonAsync(http, 200, issuer.Jwks());
            return;
        }
        if (s.Length == 3 && s[1] == "oauth2" && s[2] == "token" && HttpMethods.IsPost(http.Request.Method))
        {
            await TokenAsync(http, plane, issuer);
            return;
        }
        await OAuthErrorAsync(http, 404, "invalid_request", $"'{http.Request.Path}' is not an endpoint of this authority.");
    }

    private static async Task TokenAsync(HttpContext http, ControlPlane plane, TokenIssuer issuer)
    {
        if (!http.Request.HasFormContentType || http.Request.ContentLength > RequestBody.MaxBytes)
        {
            await OAuthErrorAsync(http, 400, "invalid_request", "The token request must be an application/x-www-form-urlencoded body under 1 MiB.");
            return;
        }
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        if (form["grant_type"] != "client_credentials")
        {
            await OAuthErrorAsync(http, 400, "unsupported_grant_type", "Only grant_type=client_credentials is supported.");
            return;
        }
        string clientId = form["client_id"].ToString();
        string secret = form["client_secret"].ToString();
        var principal = clientId.Length is > 0 and <= 64 && secret.Length is > 0 and <= 256
            ? await plane.Directory.AuthenticateAsync(clientId, secret, http.RequestAborted)
            : null;
        if (principal is null)
        {
            await OAuthErrorAsync(http, 401, "invalid_client", "AADSTS7000215: Invalid client secret or unknown client id.");
            return;
        }
        string scope = form["scope"].ToString();
        if (scope.Length == 0)
            scope = form["resource"].ToString();
        string audience = scope.EndsWith("/.default", StringComparison.Ordinal) ? scope[..^"/.default".Length] : scope;
        await ArmResponse.JsonAsync(http, 200, new JsonObject
        {
            ["token_type"] = "Bearer",
            ["access_token"] = issuer.Issue(principal, audience),
            ["expires_in"] = (int)TokenIssuer.Lifetime.TotalSeconds,
            ["ext_expires_in"] = (int)TokenIssuer.Lifetime.TotalSeconds,
            ["resource"] = audience,
        });
    }

    /// <summary>GET /metadata/endpoints: what `az cloud register --endpoint-resource-manager` discovers.</summary>
    public static Task MetadataAsync(HttpContext http)
    {
        string b = $"{http.Request.Scheme}://{http.Request.Host}";
        return ArmResponse.JsonAsync(http, 200, new JsonObject
        {
            ["galleryEndpoint"] = $"{b}/gallery/",
            ["graphEndpoint"] = $"{b}/graph/",
            ["portalEndpoint"] = $"{b}/portal/",
            ["authentication"] = new JsonObject
            {
                ["loginEndpoint"] = $"{b}/adfs",
                ["audiences"] = new JsonArray($"{b}/"),
            },
        });
    }

    private static Task OAuthErrorAsync(HttpContext http, int status, string error, string description) =>
        ArmResponse.JsonAsync(http, status, new JsonObject { ["error"] = error, ["error_description"] = description });
}
