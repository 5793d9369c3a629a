using System.Text.Json.Nodes;
using Kiln.Api.Http;
using Kiln.Domain.Operations;

namespace Kiln.Api.Resources;

/// <summary>URLs and bodies of async operations (Azure-AsyncOperation status and Location result).</summary>
public static class Lro
{
    private static string Base(ArmContext ctx, OperationRecord op) =>
        $"{ctx.BaseUri}/subscriptions/{op.Subscription}/providers/{op.Namespace}/locations/{op.Location}";

    public static string StatusUrl(ArmContext ctx, OperationRecord op) =>
        $"{Base(ctx, op)}/operationStatuses/{op.Id}?api-version={Uri.EscapeDataString(ctx.ApiVersion ?? "2022-07-01")}";

    public static string ResultUrl(ArmContext ctx, OperationRecord op) =>
        $"{Base(ctx, op)}/operationResults/{op.Id}?api-version={Uri.EscapeDataString(ctx.ApiVersion ?? "2022-07-01")}";

    public static void AddHeaders(ArmContext ctx, OperationRecord op) =>
        ArmResponse.AddLroHeaders(ctx.Http, StatusUrl(ctx, op), ResultUrl(ctx, op));

    public static JsonObject StatusBody(ArmContext ctx, OperationRecord op)
    {
        var body = new JsonObject
        {
            ["id"] = $"/subscriptions/{op.Subscription}/providers/{op.Namespace}/locations/{op.Location}/operationStatuses/{op.Id}",
            ["name"] = op.Id,
            ["resourceId"] = op.ResourceId,
            ["status"] = op.Status.ToString(),
            ["startTime"] = op.StartTime.ToString("O"),
        };
        if (op.EndTime is { } end)
            body["endTime"] = end.ToString("O");
        if (op.Error is { } error)
            body["error"] = ArmErrors.Detail(error);
        return body;
    }
}
