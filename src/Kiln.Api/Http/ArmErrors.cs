using System.Text.Json.Nodes;
using Kiln.Domain.Arm;
using Microsoft.AspNetCore.Http;

namespace Kiln.Api.Http;

/// <summary>
/// The one place where the Domain/Control error vocabulary becomes HTTP: status per
/// <see cref="KilnErrorKind"/>, body {"error":{code,message,target,details}}.
/// </summary>
public static class ArmErrors
{
    public static int StatusFor(KilnErrorKind kind) => kind switch
    {
        KilnErrorKind.BadRequest or KilnErrorKind.Validation => StatusCodes.Status400BadRequest,
        KilnErrorKind.NotFound => StatusCodes.Status404NotFound,
        KilnErrorKind.Conflict => StatusCodes.Status409Conflict,
        KilnErrorKind.Unauthorized => StatusCodes.Status401Unauthorized,
        KilnErrorKind.PayloadTooLarge => StatusCodes.Status413PayloadTooLarge,
        KilnErrorKind.MethodNotAllowed => StatusCodes.Status405MethodNotAllowed,
        _ => StatusCodes.Status500InternalServerError,
    };

    public static JsonObject Body(string code, string message, string? target, IReadOnlyList<ArmErrorDetail> details)
    {
        var error = new JsonObject { ["code"] = code, ["message"] = message };
        if (target is not null)
            error["target"] = target;
        if (details.Count > 0)
            error["details"] = new JsonArray(details.Select(d => (JsonNode)Detail(d)).ToArray());
        return new JsonObject { ["error"] = error };
    }

    public static JsonObject Detail(ArmErrorDetail d)
    {
        var o = new JsonObject { ["code"] = d.Code, ["message"] = d.Message };
        if (d.Target is not null)
            o["target"] = d.Target;
        return o;
    }

    public static Task WriteAsync(HttpContext http, KilnException e)
    {
        if (e.Kind == KilnErrorKind.Unauthorized)
            http.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
        return ArmResponse.JsonAsync(http, StatusFor(e.Kind), Body(e.Code, e.Message, e.Target, e.Details));
    }
}
