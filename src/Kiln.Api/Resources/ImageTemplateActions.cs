using Kiln.Api.Http;
using Kiln.Domain.Arm;
using Microsoft.AspNetCore.Http;

namespace Kiln.Api.Resources;

/// <summary>
/// POST …/imageTemplates/{t}/run and /cancel. They only record desired state through
/// Control (ImageTemplateRuns); the run worker acts. Both answer 202 + Azure-AsyncOperation.
/// GET …/imageTemplates/{t}/logs (Kiln's own) answers the newest run's customization.log as text,
/// also while the run writes it; `?offset=N` skips the first N bytes so a client can follow it.
/// </summary>
public static class ImageTemplateActions
{
    public static async Task HandleAsync(ArmContext ctx, ResourceId templateId, string action)
    {
        ApiVersions.Require(ResourceTypes.ImageTemplate, ctx.ApiVersion);
        if (action.Equals("logs", StringComparison.OrdinalIgnoreCase) && HttpMethods.IsGet(ctx.Method))
        {
            await LogsAsync(ctx, templateId);
            return;
        }
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

    private static async Task LogsAsync(ArmContext ctx, ResourceId templateId)
    {
        if (await ctx.Store.GetAsync(templateId.Key, ctx.Aborted) is null)
        {
            await ProviderResourceEndpoints.RequireParentsAsync(ctx, templateId);
            throw ProviderResourceEndpoints.NotFound(templateId);
        }
        string? log = ctx.Plane.DataDirectory is { } dir
            ? Kiln.Control.Builds.BuildPaths.LatestLog(new Kiln.Control.Builds.BuildPaths(dir).TemplateLogFolder(templateId))
            : null;
        if (log is null)
            throw KilnException.NotFound("LogNotFound", $"Image template '{templateId}' has no run log yet; start a run first.");
        long offset = long.TryParse(ctx.Query("offset"), out long o) && o > 0 ? o : 0;
        await using var stream = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(Math.Min(offset, stream.Length), SeekOrigin.Begin);
        ctx.Http.Response.StatusCode = StatusCodes.Status200OK;
        ctx.Http.Response.ContentType = "text/plain; charset=utf-8";
        await stream.CopyToAsync(ctx.Http.Response.Body, ctx.Aborted);
    }
}
