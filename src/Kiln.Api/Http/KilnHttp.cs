using Kiln.Api.Auth;
using Kiln.Api.Graph;
using Kiln.Control;
using Kiln.Domain.Arm;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Kiln.Api.Http;

/// <summary>
/// The single request handler: request ids, dot-segment refusal, authentication, dispatch to
/// auth / Graph / ARM, and the one catch that turns every failure into an ARM error (a bug
/// answers 500 InternalServerError and the server keeps going).
/// </summary>
public sealed class KilnHttp(ControlPlane plane, TokenIssuer issuer, Action<string> log, int listPageSize)
{
    public async Task HandleAsync(HttpContext http)
    {
        string requestId = Guid.NewGuid().ToString("D");
        http.Response.Headers["x-ms-request-id"] = requestId;
        http.Response.Headers["x-ms-correlation-request-id"] =
            http.Request.Headers["x-ms-correlation-request-id"].FirstOrDefault() ?? requestId;
        if (http.Request.Headers["x-ms-client-request-id"].FirstOrDefault() is { } clientRequestId)
            http.Response.Headers["x-ms-client-request-id"] = clientRequestId;
        try
        {
            RefuseDotSegments(http);
            var segments = (http.Request.Path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
            string first = segments.Length > 0 ? segments[0].ToLowerInvariant() : "";
            switch (first)
            {
                case "adfs":
                    await AuthEndpoints.HandleAsync(http, plane, issuer, segments);
                    return;
                case "metadata" when segments.Length == 2 && segments[1] == "endpoints":
                    await AuthEndpoints.MetadataAsync(http);
                    return;
                case "graph":
                    await GraphEndpoints.HandleAsync(await AuthenticateAsync(http), segments);
                    return;
                case "subscriptions" or "tenants" or "providers":
                    await ArmDispatcher.DispatchAsync(await AuthenticateAsync(http), segments);
                    return;
                default:
                    throw KilnException.NotFound("InvalidRequestUri", $"Kiln does not serve '{http.Request.Path}'.");
            }
        }
        catch (KilnException e) when (!http.Response.HasStarted)
        {
            await ArmErrors.WriteAsync(http, e);
        }
        catch (BadHttpRequestException e) when (!http.Response.HasStarted)
        {
            await ArmErrors.WriteAsync(http, e.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? new KilnException(KilnErrorKind.PayloadTooLarge, "RequestEntityTooLarge", e.Message)
                : KilnException.BadRequest("InvalidRequestContent", e.Message));
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // the client went away; nothing to answer
        }
        catch (Exception e) when (!http.Response.HasStarted)
        {
            log($"request {requestId} {http.Request.Method} {http.Request.Path} failed: {e}");
            http.Response.Clear();
            await ArmErrors.WriteAsync(http, new KilnException(KilnErrorKind.Internal, "InternalServerError",
                $"Kiln failed to handle the request (x-ms-request-id {requestId}); the server log has the details."));
        }
    }

    private async Task<ArmContext> AuthenticateAsync(HttpContext http)
    {
        string header = http.Request.Headers.Authorization.FirstOrDefault() ?? "";
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            throw new KilnException(KilnErrorKind.Unauthorized, "AuthenticationFailed",
                "Authentication failed. The 'Authorization' header is missing a Bearer token; get one from the /adfs/oauth2/token endpoint.");
        string objectId = issuer.Validate(header["Bearer ".Length..].Trim());
        var principal = await plane.Store.GetPrincipalAsync(objectId, http.RequestAborted)
            ?? throw new KilnException(KilnErrorKind.Unauthorized, "InvalidAuthenticationToken", "The token's principal no longer exists.");
        return new ArmContext(http, plane, principal, TimeSpan.FromMilliseconds(ArmResponse.RetryAfterMs), listPageSize);
    }

    /// <summary>Names like "..": Kestrel would fold them away, so refuse them before they change what the path means.</summary>
    private static void RefuseDotSegments(HttpContext http)
    {
        string raw = http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? "";
        int q = raw.IndexOf('?');
        if (q >= 0)
            raw = raw[..q];
        foreach (var segment in raw.Split('/'))
        {
            string decoded = Uri.UnescapeDataString(segment);
            if (decoded is "." or ".." || decoded.Contains("../", StringComparison.Ordinal) || decoded.Contains("..\\", StringComparison.Ordinal))
                throw KilnException.BadRequest("InvalidResourceName",
                    $"The path segment '{segment}' is not allowed: names must not be '.', '..' or contain '../'.", "name");
        }
    }
}
