namespace Kiln.Domain.Templates;

/// <summary>
/// What a SourceImage trigger needs from a template (DOCT "Image template requirements"), on
/// the typed model because triggers attach to stored, already valid templates.
/// </summary>
internal static class TriggerRules
{
    public static IReadOnlyList<ValidationError> Check(ImageTemplate template)
    {
        var errors = new List<ValidationError>();
        void Fail(string target, string text) => errors.Add(new ValidationError(ValidationCodes.TriggerRequirement, target + " " + text, target));

        switch (template.Source)
        {
            case PlatformImageSource p when !p.IsLatest:
                Fail("properties.source.version", $"is '{p.Version}': a trigger needs version 'latest' so new platform images start builds.");
                break;
            case SharedImageVersionSource s when !s.IsLatest:
                Fail("properties.source.imageVersionId", $"ends in version '{s.Version}': a trigger needs '/versions/latest' so new versions start builds.");
                break;
            case ManagedImageSource:
                Fail("properties.source.type", "is 'ManagedImage': triggers need a PlatformImage or SharedImageVersion source, which can get new versions.");
                break;
        }
        for (var i = 0; i < template.Distribute.Count; i++)
        {
            if (template.Distribute[i] is not SharedImageDistributor d)
                continue;
            var target = $"properties.distribute[{i}].galleryImageId";
            if (d.ExplicitVersion is not null)
                Fail(target, $"names version '{d.ExplicitVersion}': a triggered build needs an auto-versioned target, remove '/versions/{d.ExplicitVersion}'.");
            if (template.Source is SharedImageVersionSource src
                && src.ImageDefinitionId.Equals(d.ImageDefinitionId, StringComparison.OrdinalIgnoreCase))
                Fail(target, "is the source's image definition: a trigger would rebuild from its own output; distribute to another definition.");
        }
        return errors;
    }
}
