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
        try
        {
            EnvelopeRules.Check(ctx, resourceBody);
            var properties = ctx.Object(resourceBody, "properties", "", required: true,
                hint: "send the template under \"properties\" (source, customize, distribute, ...)");
            if (properties is not null)
                PropertiesRules.Check(ctx, properties);
        }
        catch (ArgumentException e)
        {
            // A JsonObject parsed from text with duplicate property names throws when first
            // enumerated; that is a bad request, not a server fault.
            ctx.Fail(ValidationCodes.InvalidValue, "", $"The request body could not be read ({e.Message}): send each property name once.");
        }
        catch (InvalidOperationException e)
        {
            ctx.Fail(ValidationCodes.InvalidValue, "", $"The request body could not be read ({e.Message}).");
        }
        return ctx.Errors;
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
