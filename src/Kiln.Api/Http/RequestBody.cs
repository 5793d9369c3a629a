using System.Text.Json;
using System.Text.Json.Nodes;
using Kiln.Domain.Arm;
using Microsoft.AspNetCore.Http;

namespace Kiln.Api.Http;

/// <summary>Reads a request body as hostile input: bounded size, valid JSON, an object at the top.</summary>
public static class RequestBody
{
    public const int MaxBytes = 1024 * 1024;

    public static async Task<JsonObject> ReadObjectAsync(HttpContext http)
    {
        var bytes = await ReadBytesAsync(http);
        if (bytes.Length == 0)
            throw KilnException.BadRequest("InvalidRequestContent", "The request body is empty; a JSON object is required.");
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(bytes, new JsonNodeOptions { PropertyNameCaseInsensitive = false },
                new JsonDocumentOptions { MaxDepth = 64, AllowDuplicateProperties = false });
        }
        catch (JsonException e)
        {
            throw KilnException.BadRequest("InvalidRequestContent",
                $"The request content is not valid JSON: {e.Message} (line {e.LineNumber}, byte {e.BytePositionInLine}).");
        }
        if (node is not JsonObject obj)
            throw KilnException.BadRequest("InvalidRequestContent",
                $"The request content must be a JSON object, got {node?.GetValueKind().ToString() ?? "null"}.");
        return obj;
    }

    /// <summary>The body when one was sent (POST actions accept none), else null.</summary>
    public static async Task<byte[]> ReadBytesAsync(HttpContext http)
    {
        if (http.Request.ContentLength > MaxBytes)
            throw TooLarge(http.Request.ContentLength.Value);
        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        while (true)
        {
            int n = await http.Request.Body.ReadAsync(chunk, http.RequestAborted);
            if (n == 0)
                break;
            if (buffer.Length + n > MaxBytes)
                throw TooLarge(buffer.Length + n);
            buffer.Write(chunk, 0, n);
        }
        return buffer.ToArray();
    }

    private static KilnException TooLarge(long size) => new(KilnErrorKind.PayloadTooLarge, "RequestEntityTooLarge",
        $"The request body is {size} bytes or more; the limit is {MaxBytes} bytes (1 MiB).");
}
