using Kiln.Api.Http;
using Kiln.Domain.Arm;
using Microsoft.AspNetCore.Http;

namespace Kiln.Api.Resources;

/// <summary>
/// POST …/imageTemplates/{t}/run and /cancel. They only record desired state through
/// Control (ImageTemplateRuns); the run worker acts. Both answer 202 + Azure-AsyncOperation.
/// </summary>
public static class ImageTemplateActions
{
    public static async Task HandleAsync(ArmContext ctx, ResourceId templateId, string action)
    {
        ApiVersions.Require(ResourceTypes.ImageTemplate, ctx.ApiVersion);
        if (!HttpMethods.IsPost(ctx.Method))
            throw new KilnException(KilnErrorKind.MethodNotAllowed, "MethodNotAllowed", $"'{action}' is an action: use POST, not {ctx.Method}.");
        bool run = action.Equals("run", StringComparison.OrdinalIgnoreCase);
        if (!run && !action.Equals("cancel", StringComparison.OrdinalIgnoreCase))
            throw KilnException.BadRequest("InvalidAction", $"Image templates have the actions 'run' and 'cancel', not '{action}'.", "action");
        await RequestBody.ReadBytesAsync(ctx.Http); // no body is expected; bounded read so a huge one is refused
        var template = await ctx.Store.GetAsync(templateId.Key, ctx.Aborted);
        if (template is null)
        {
            await ProviderResourceEndpoints.RequireParentsAsync(ctx, templateId);
            throw ProviderResourceEndpoints.NotFound(templateId);
        }
        var op = run
            ? await ctx.Plane.Runs.RequestRunAsync(template, ctx.Aborted)
            : await ctx.Plane.Runs.RequestCancelAsync(template, ctx.Aborted);
        Lro.AddHeaders(ctx, op);
        await ArmResponse.JsonAsync(ctx.Http, StatusCodes.Status202Accepted, null);
    }
}
