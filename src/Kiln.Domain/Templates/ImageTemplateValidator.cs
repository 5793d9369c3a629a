// PLACEHOLDER: replaced by the templates branch
using System.Text.Json.Nodes;

namespace Kiln.Domain.Templates;

/// <summary>Minimal stand-in so the control plane builds before the full validator is merged.</summary>
public static class ImageTemplateValidator
{
    public static IReadOnlyList<ValidationError> Validate(JsonObject resourceBody, string apiVersion)
    {
        if (resourceBody["properties"] is not JsonObject)
            return [new ValidationError("InvalidProperty", "'properties' must be an object.", "properties")];
        return [];
    }
}
