using Kiln.Domain.Templates;

namespace Kiln.Domain.Tests.Templates;

/// <summary>The how-to's quickstart template (quickquickstarts/9), filled and unfilled.</summary>
public sealed class QuickstartTests
{
    [Theory]
    [InlineData("2022-07-01")]
    [InlineData("2023-07-01")]
    [InlineData("2024-02-01")]
    public void Filled_quickstart_is_valid(string apiVersion)
    {
        var errors = ImageTemplateValidator.Validate(TemplateFixtures.Parse(TemplateFixtures.QuickstartFilled), apiVersion);
        Assert.Empty(errors);
    }

    [Fact]
    public void Filled_quickstart_parses_into_the_steps_it_describes()
    {
        var t = ImageTemplateParser.Parse(TemplateFixtures.Parse(TemplateFixtures.QuickstartFilled));

        Assert.Equal("westus2", t.Location);
        Assert.Equal(TemplateFixtures.IdentityId, t.Identity.UserAssignedIdentityId);
        var source = Assert.IsType<PlatformImageSource>(t.Source);
        Assert.Equal(("Canonical", "UbuntuServer", "18.04-LTS"), (source.Publisher, source.Offer, source.Sku));
        Assert.True(source.IsLatest);
        Assert.Equal(["RunScriptFromSource", "CheckSumCompareShellScript", "downloadBuildArtifacts", "setupBuildPath", "InstallUpgrades"],
            t.Customize.Select(c => c.Name));
        var file = Assert.IsType<FileCustomizer>(t.Customize[2]);
        Assert.Equal("/tmp/index.html", file.Destination);
        var inline = Assert.IsType<ShellCustomizer>(t.Customize[3]);
        Assert.Null(inline.ScriptUri);
        Assert.Equal("\nsudo cp /tmp/index.html /buildArtifacts/index.html", inline.Inline![1]);
        var sig = Assert.IsType<SharedImageDistributor>(Assert.Single(t.Distribute));
        Assert.Equal("aibLinuxSIG", sig.RunOutputName);
        Assert.Null(sig.ExplicitVersion);
        Assert.Equal(TemplateFixtures.GalleryDef, sig.ImageDefinitionId);
        Assert.Equal([new TargetRegion("westus2", 1, "Premium_LRS"), new TargetRegion("eastus", 2, "Standard_ZRS")], sig.TargetRegions);
        Assert.Equal(VmBootState.Disabled, t.OptimizeVmBoot);
        Assert.Equal(TimeSpan.FromHours(4), t.EffectiveBuildTimeout);
    }

    [Fact]
    public void Filled_quickstart_meets_the_trigger_requirements()
    {
        var t = ImageTemplateParser.Parse(TemplateFixtures.Parse(TemplateFixtures.QuickstartFilled));
        Assert.Empty(ImageTemplateValidator.ValidateForTrigger(t));
    }

    [Fact]
    public void Unfilled_quickstart_points_at_every_placeholder()
    {
        var errors = ImageTemplateValidator.Validate(TemplateFixtures.Parse(TemplateFixtures.QuickstartRaw), "2022-07-01");

        var targets = errors.Select(e => e.Target).ToHashSet();
        Assert.Superset(new HashSet<string>
        {
            "location",
            "identity.userAssignedIdentities",
            "properties.distribute[0].galleryImageId",
            "properties.distribute[0].runOutputName",
            "properties.distribute[0].targetRegions[0].name",
            "properties.distribute[0].targetRegions[1].name",
        }, targets);
        Assert.Contains(errors, e => e.Message.Contains("placeholder", StringComparison.Ordinal));
    }

    [Fact]
    public void Strip_removes_the_read_only_exactVersion_the_quickstart_sends()
    {
        var body = TemplateFixtures.Parse(TemplateFixtures.QuickstartFilled);
        var stripped = ImageTemplateReadOnlyFields.Strip(body);

        Assert.Null(stripped["properties"]!["source"]!["exactVersion"]);
        Assert.NotNull(body["properties"]!["source"]!["exactVersion"]); // the input is not modified
        Assert.Equal("latest", (string?)stripped["properties"]!["source"]!["version"]);
        Assert.Empty(ImageTemplateValidator.Validate(stripped, "2024-02-01"));
    }
}
