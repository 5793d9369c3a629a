using Kiln.Api.Http;
using Kiln.Domain.Arm;
using Kiln.Domain.Operations;
using Microsoft.AspNetCore.Http;

namespace Kiln.Api.Resources;

/// <summary>GET …/locations/{l}/operationStatuses/{id} (Azure-AsyncOperation) and …/operationResults/{id} (Location).</summary>
public static class OperationEndpoints
{
    public static async Task HandleAsync(ArmContext ctx, string subscription, string kind, string id)
    {
        if (!HttpMethods.IsGet(ctx.Method))
            throw new KilnException(KilnErrorKind.MethodNotAllowed, "MethodNotAllowed", $"Operations only answer GET, not {ctx.Method}.");
        var op = await ctx.Store.GetOperationAsync(id, ctx.Aborted);
        if (op is null || !string.Equals(op.Subscription, subscription, StringComparison.OrdinalIgnoreCase))
            throw KilnException.NotFound("OperationNotFound", $"Operation '{id}' was not found in subscription '{subscription}'.");
        if (kind.Equals("operationStatuses", StringComparison.OrdinalIgnoreCase))
        {
            if (!op.IsTerminal)
                ctx.Http.Response.Headers["retry-after-ms"] = ArmResponse.RetryAfterMs.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await ArmResponse.JsonAsync(ctx.Http, StatusCodes.Status200OK, Lro.StatusBody(ctx, op));
            return;
        }
        switch (op.Status)
        {
            case OperationStatus.InProgress:
                Lro.AddHeaders(ctx, op);
                await ArmResponse.JsonAsync(ctx.Http, StatusCodes.Status202Accepted, null);
                break;
            case OperationStatus.Succeeded:
                await ArmResponse.JsonAsync(ctx.Http, StatusCodes.Status204NoContent, null);
                break;
            default:
                var error = op.Error ?? new ArmErrorDetail(op.Status.ToString(), $"The operation ended {op.Status}.");
                await ArmResponse.JsonAsync(ctx.Http, StatusCodes.Status400BadRequest, ArmErrors.Body(error.Code, error.Message, error.Target, []));
                break;
        }
    }
}
