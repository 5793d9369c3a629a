using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Kiln.Control.Persistence;
using Kiln.Domain.Arm;
using Microsoft.AspNetCore.Http.Features;

namespace Kiln.Api.Http;

/// <summary>
/// ARM list paging: a list answers at most <see cref="ArmContext.PageSize"/> items in "value" and, while more
/// remain, a "nextLink" that repeats the request (same host, path and query, api-version included) with a
/// <c>$skiptoken</c>. The token is the last key served (keyset, so items added or removed between pages never
/// shift the rest) plus a check value binding it to this list's type and scope: a token edited by hand, cut
/// short or taken from another list is refused with 400 instead of silently starting somewhere else.
/// No secret is needed: a forged token can only name a position inside a list the caller may read anyway.
/// </summary>
public static class ArmPaging
{
    public const int DefaultPageSize = 100;
    public const string SkipToken = "$skiptoken";
    private const int CheckBytes = 8;

    /// <summary>Writes one page of <paramref name="type"/> under <paramref name="scopeKey"/>; <paramref name="keep"/> filters rows (pages stay full).</summary>
    public static async Task WriteAsync(ArmContext ctx, string type, string scopeKey, Func<StoredResource, bool>? keep = null)
    {
        string? after = ReadToken(ctx, type, scopeKey);
        var items = new List<JsonNode>();
        string? next = null;
        // A filter may drop rows, so read on until the page is full or the scope ends; each read asks for what is still missing.
        while (true)
        {
            var page = await ctx.Store.ListPageAsync(type, scopeKey, after, ctx.PageSize - items.Count, ctx.Aborted);
            items.AddRange(page.Items.Where(i => keep is null || keep(i)).Select(i => (JsonNode)i.Body));
            after = page.NextAfterKey;
            if (after is null)
                break;
            if (items.Count == ctx.PageSize)
            {
                next = after;
                break;
            }
        }
        var body = ArmResponse.List(items);
        if (next is not null)
            body["nextLink"] = NextLink(ctx, Token(type, scopeKey, next));
        await ArmResponse.JsonAsync(ctx.Http, 200, body);
    }

    public static string Token(string type, string scopeKey, string afterKey)
    {
        byte[] key = Encoding.UTF8.GetBytes(afterKey);
        return Base64Url.EncodeToString([.. key, .. Check(type, scopeKey, afterKey)]);
    }

    /// <summary>The cursor in the request's $skiptoken (null without one); 400 naming the parameter when it is not one of ours.</summary>
    private static string? ReadToken(ArmContext ctx, string type, string scopeKey)
    {
        var values = ctx.Http.Request.Query[SkipToken];
        if (values.Count == 0)
            return null;
        string text = values.Count == 1 ? values[0] ?? "" : "";
        byte[]? raw = null;
        if (text.Length > 0 && Base64Url.IsValid(text))
            raw = Base64Url.DecodeFromChars(text);
        if (raw is { Length: > CheckBytes })
        {
            string afterKey;
            try
            {
                afterKey = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(raw, 0, raw.Length - CheckBytes);
            }
            catch (DecoderFallbackException)
            {
                afterKey = "";
            }
            if (afterKey.StartsWith(scopeKey + "/", StringComparison.Ordinal) &&
                CryptographicOperations.FixedTimeEquals(raw.AsSpan(raw.Length - CheckBytes), Check(type, scopeKey, afterKey)))
                return afterKey;
        }
        throw KilnException.BadRequest("InvalidSkipToken",
            $"The query parameter '{SkipToken}' has a value that is not a continuation token of this list. Use the nextLink of the " +
            $"previous page as it was returned, or list again without '{SkipToken}' to start from the first page.", SkipToken);
    }

    private static byte[] Check(string type, string scopeKey, string afterKey) =>
        SHA256.HashData(Encoding.UTF8.GetBytes($"kiln-list-v1\n{type.ToLowerInvariant()}\n{scopeKey}\n{afterKey}"))[..CheckBytes];

    /// <summary>The request as the client sent it (raw path and query, so '//' and encodings survive) with the new token.</summary>
    private static string NextLink(ArmContext ctx, string token)
    {
        string raw = ctx.Http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? ctx.Http.Request.Path + ctx.Http.Request.QueryString;
        int q = raw.IndexOf('?');
        string path = q < 0 ? raw : raw[..q];
        var query = (q < 0 ? "" : raw[(q + 1)..]).Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Where(p => !Uri.UnescapeDataString(p.Split('=')[0]).Equals(SkipToken, StringComparison.OrdinalIgnoreCase))
            .Append($"{SkipToken}={token}");
        return $"{ctx.BaseUri}{path}?{string.Join('&', query)}";
    }
}
