using System.Text.Json.Nodes;

namespace Kiln.Domain.Templates;

/// <summary>
/// Validates an image template PUT body the way AIB does before accepting it, returning every
/// problem (not just the first) with its JSON path, so a 400 <c>ValidationFailed</c> can list
/// them all. Pure: no I/O, never throws on malformed input.
/// </summary>
public static class ImageTemplateValidator
{
    /// <summary>
    /// All problems of <paramref name="resourceBody"/> (the whole body: location, tags,
    /// identity, properties) under <paramref name="apiVersion"/>; empty when valid. Read-only
    /// fields (see <see cref="ImageTemplateReadOnlyFields"/>) are ignored. Unknown api-versions
    /// are the caller's concern; they get the rules of the newest known version before them.
    /// </summary>
    public static IReadOnlyList<ValidationError> Validate(JsonObject resourceBody, string apiVersion)
    {
        ArgumentNullException.ThrowIfNull(resourceBody);
        var ctx = new RuleContext(ImageTemplateApiVersions.LevelOf(apiVersion));
        var shapeError = CheckShape(resourceBody);
        if (shapeError is not null)
        {
            ctx.Fail(shapeError.Value.Code, "", shapeError.Value.Message);
            return ctx.Errors;
        }
        EnvelopeRules.Check(ctx, resourceBody);
        var properties = ctx.Object(resourceBody, "properties", "", required: true,
            hint: "send the template under \"properties\" (source, customize, distribute, ...)");
        if (properties is not null)
            PropertiesRules.Check(ctx, properties);
        return ctx.Errors;
    }

    /// <summary>
    /// All problems of a PATCH body (<c>tags</c>, <c>identity</c>; with 2024-02-01 also
    /// <c>properties.distribute</c> and <c>properties.vmProfile</c>); empty when valid. Identity
    /// type 'None' is allowed here (it removes the identity). The caller merges the patch into
    /// the stored template; re-running <see cref="Validate"/> on the result checks cross-field rules.
    /// </summary>
    public static IReadOnlyList<ValidationError> ValidateUpdate(JsonObject patchBody, string apiVersion)
    {
        ArgumentNullException.ThrowIfNull(patchBody);
        var ctx = new RuleContext(ImageTemplateApiVersions.LevelOf(apiVersion));
        var shapeError = CheckShape(patchBody);
        if (shapeError is not null)
        {
            ctx.Fail(shapeError.Value.Code, "", shapeError.Value.Message);
            return ctx.Errors;
        }
        UpdateRules.Check(ctx, patchBody);
        return ctx.Errors;
    }

    // Far above any real template (a few hundred nodes, depth < 10).
    private const int MaxNodes = 100_000;
    private const int MaxDepth = 64;

    /// <summary>
    /// Walks the whole body once, bounded, before any rule runs. A JsonObject parsed from text
    /// with a duplicate property name only throws when first enumerated; doing that here turns
    /// it into one clear error instead of an exception in the middle of the rules.
    /// </summary>
    private static (string Code, string Message)? CheckShape(JsonNode root)
    {
        var stack = new Stack<(JsonNode Node, int Depth)>();
        stack.Push((root, 0));
        var count = 0;
        try
        {
            while (stack.Count > 0)
            {
                var (node, depth) = stack.Pop();
                if (++count > MaxNodes)
                    return (ValidationCodes.TooLarge, $"The request body has more than {MaxNodes} JSON values: an image template is far smaller.");
                if (depth > MaxDepth)
                    return (ValidationCodes.TooLarge, $"The request body nests deeper than {MaxDepth} levels: an image template is far flatter.");
                if (node is JsonObject obj)
                {
                    foreach (var (_, child) in obj)
                        if (child is not null)
                            stack.Push((child, depth + 1));
                }
                else if (node is JsonArray arr)
                {
                    foreach (var child in arr)
                        if (child is not null)
                            stack.Push((child, depth + 1));
                }
            }
        }
        catch (ArgumentException e)
        {
            return (ValidationCodes.InvalidValue, $"The request body could not be read ({e.Message}): send each property name once per object.");
        }
        return null;
    }

    /// <summary>
    /// The extra requirements for attaching a SourceImage trigger (DOCT "Image template
    /// requirements"): source is a platform image with version 'latest' or a gallery version
    /// ending in /versions/latest; gallery distributions are auto-versioned (no version in
    /// galleryImageId); source and distribute image definitions differ. Empty when it may be used.
    /// </summary>
    public static IReadOnlyList<ValidationError> ValidateForTrigger(ImageTemplate template)
    {
        ArgumentNullException.ThrowIfNull(template);
        return TriggerRules.Check(template);
    }
}
