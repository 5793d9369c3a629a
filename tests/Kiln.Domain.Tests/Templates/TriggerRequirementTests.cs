using Kiln.Domain.Templates;
using F = Kiln.Domain.Tests.Templates.TemplateFixtures;

namespace Kiln.Domain.Tests.Templates;

/// <summary>ValidateForTrigger: the DOCT template requirements for a SourceImage trigger.</summary>
public sealed class TriggerRequirementTests
{
    private static ImageTemplate Quickstart() => ImageTemplateParser.Parse(F.Parse(F.QuickstartFilled));

    private static SharedImageDistributor Sig(string galleryImageId) =>
        new("sig", new Dictionary<string, string>(), galleryImageId, [], [], false, null, null);

    public static TheoryData<string, string?> Rows => new()
    {
        { "platform latest, auto-versioned gallery", null },
        { "platform LATEST (case-insensitive)", null },
        { "platform pinned version", "properties.source.version" },
        { "gallery source latest", null },
        { "gallery source pinned version", "properties.source.imageVersionId" },
        { "managed image source", "properties.source.type" },
        { "explicit target version", "properties.distribute[0].galleryImageId" },
        { "source and target definition equal", "properties.distribute[0].galleryImageId" },
        { "managed image and VHD targets", null },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Trigger_requirements(string row, string? expectedTarget)
    {
        var t = Quickstart();
        t = row switch
        {
            "platform latest, auto-versioned gallery" => t,
            "platform LATEST (case-insensitive)" => t with { Source = ((PlatformImageSource)t.Source) with { Version = "LATEST" } },
            "platform pinned version" => t with { Source = ((PlatformImageSource)t.Source) with { Version = "18.04.202210180" } },
            "gallery source latest" => t with { Source = new SharedImageVersionSource(F.OtherDef + "/versions/latest") },
            "gallery source pinned version" => t with { Source = new SharedImageVersionSource(F.OtherDef + "/versions/1.0.0") },
            "managed image source" => t with { Source = new ManagedImageSource(F.ManagedImage) },
            "explicit target version" => t with { Distribute = [Sig(F.GalleryDef + "/versions/1.0.0")] },
            "source and target definition equal" => t with { Source = new SharedImageVersionSource(F.GalleryDef.ToUpperInvariant().Replace("/SUBSCRIPTIONS/", "/subscriptions/") + "/versions/latest") },
            "managed image and VHD targets" => t with
            {
                Distribute = [new ManagedImageDistributor("m", new Dictionary<string, string>(), F.ManagedImage, "westus2"), new VhdDistributor("v", new Dictionary<string, string>(), null)],
            },
            _ => throw new ArgumentException(row),
        };

        var errors = ImageTemplateValidator.ValidateForTrigger(t);

        if (expectedTarget is null)
            Assert.Empty(errors);
        else
            Assert.Contains(errors, e => e.Target == expectedTarget && e.Code == ValidationCodes.TriggerRequirement && e.Message.StartsWith(expectedTarget, StringComparison.Ordinal));
    }
}
