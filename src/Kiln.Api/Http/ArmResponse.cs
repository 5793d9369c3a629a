using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Kiln.Api.Http;

/// <summary>Writes JSON bodies and the long-running-operation headers ARM clients poll with.</summary>
public static class ArmResponse
{
    /// <summary>Small on purpose: azure-core waits 30 s between polls without it (az-cli-local.md §3.6).</summary>
    public const int RetryAfterMs = 200;

    public static async Task JsonAsync(HttpContext http, int status, JsonNode? body)
    {
        http.Response.StatusCode = status;
        if (body is null)
            return;
        http.Response.ContentType = "application/json; charset=utf-8";
        if (HttpMethods.IsHead(http.Request.Method))
            return;
        await http.Response.WriteAsync(body.ToJsonString(), Encoding.UTF8, http.RequestAborted);
    }

    public static void AddLroHeaders(HttpContext http, string operationStatusUrl, string operationResultUrl)
    {
        http.Response.Headers["Azure-AsyncOperation"] = operationStatusUrl;
        http.Response.Headers.Location = operationResultUrl;
        http.Response.Headers.RetryAfter = "1";
        http.Response.Headers["retry-after-ms"] = RetryAfterMs.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public static JsonObject List(IEnumerable<JsonNode> items) => new() { ["value"] = new JsonArray(items.Select(i => i.DeepClone()).ToArray()) };
}
