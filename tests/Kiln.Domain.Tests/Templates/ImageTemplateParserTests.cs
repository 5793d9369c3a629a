using System.Text.Json.Nodes;
using Kiln.Domain.Templates;

namespace Kiln.Domain.Tests.Templates;

public sealed class ImageTemplateParserTests
{
    [Fact]
    public void Every_feature_of_2024_02_01_reaches_the_model()
    {
        var body = TemplateFixtures.Parse(TemplateFixtures.Full2024);
        Assert.Empty(ImageTemplateValidator.Validate(body, "2024-02-01"));

        var t = ImageTemplateParser.Parse(body);

        Assert.Equal("images", t.Tags["team"]);
        var source = Assert.IsType<SharedImageVersionSource>(t.Source);
        Assert.True(source.IsLatest);
        Assert.Equal(TemplateFixtures.OtherDef, source.ImageDefinitionId);
        var ps = Assert.IsType<PowerShellCustomizer>(t.Customize[1]);
        Assert.True(ps.RunElevated && ps.RunAsSystem);
        Assert.Equal([0, 3010], ps.ValidExitCodes);
        Assert.Equal(TimeSpan.FromMinutes(10), Assert.IsType<WindowsRestartCustomizer>(t.Customize[2]).RestartTimeout);
        var wu = Assert.IsType<WindowsUpdateCustomizer>(t.Customize[3]);
        Assert.Equal(20, wu.UpdateLimit);
        Assert.Equal(["include:$true"], wu.Filters);
        Assert.Equal("C:\\f.txt", Assert.IsType<FileCustomizer>(t.Customize[4]).Destination);
        Assert.Equal(VmBootState.Enabled, t.OptimizeVmBoot);
        Assert.NotNull(t.Validate);
        Assert.Equal(["File", "Shell", "PowerShell"], t.Validate.InVmValidations.Select(v => v.Type));
        var sig = Assert.IsType<SharedImageDistributor>(t.Distribute[0]);
        Assert.Equal(new DistributeVersioning(VersioningScheme.Latest, 1), sig.Versioning);
        Assert.Equal("kiln", sig.ArtifactTags["source"]);
        Assert.Equal(TemplateFixtures.ManagedImage, Assert.IsType<ManagedImageDistributor>(t.Distribute[1]).ImageId);
        Assert.Equal("https://account.blob.core.windows.net/vhds/image.vhd", Assert.IsType<VhdDistributor>(t.Distribute[2]).Uri);
        Assert.Equal(new TemplateErrorHandling(OnBuildError.Abort, OnBuildError.Cleanup), t.ErrorHandling);
        Assert.Equal(120, t.BuildTimeoutInMinutes);
        Assert.Equal(TimeSpan.FromMinutes(120), t.EffectiveBuildTimeout);
        Assert.NotNull(t.VmProfile);
        Assert.Equal(("Standard_D2ds_v4", 64), (t.VmProfile.VmSize, t.VmProfile.OsDiskSizeGB));
        Assert.Equal(TemplateFixtures.Subnet, t.VmProfile.VnetConfig!.SubnetId);
        Assert.Equal(TemplateFixtures.Subnet + "2", t.VmProfile.VnetConfig.ContainerInstanceSubnetId);
        Assert.Equal($"/subscriptions/{TemplateFixtures.Sub}/resourceGroups/aibStaging", t.StagingResourceGroup);
        Assert.Equal(AutoRunState.Disabled, t.AutoRun);
        Assert.Equal("kiln", t.ManagedResourceTags["owner"]);
    }

    [Fact]
    public void Defaults_fill_what_a_minimal_template_leaves_out()
    {
        var t = ImageTemplateParser.Parse(TemplateFixtures.Parse(TemplateFixtures.MinimalAllVersions));

        Assert.Empty(t.Tags);
        Assert.Null(t.Validate);
        Assert.Null(t.VmProfile);
        Assert.Null(t.StagingResourceGroup);
        Assert.Equal(0, t.BuildTimeoutInMinutes);
        Assert.Equal(new TemplateErrorHandling(OnBuildError.Cleanup, OnBuildError.Cleanup), t.ErrorHandling);
        var sig = Assert.IsType<SharedImageDistributor>(t.Distribute[0]);
        Assert.Equal(["westus2"], sig.ReplicationRegions);
        Assert.Empty(sig.TargetRegions);
        Assert.Null(sig.Versioning);
        Assert.Null(Assert.IsType<VhdDistributor>(t.Distribute[2]).Uri);
    }

    [Fact]
    public void Old_api_versions_casing_is_understood()
    {
        var body = TemplateFixtures.Parse(TemplateFixtures.QuickstartFilled);
        var source = body["properties"]!["source"]!.AsObject();
        source.Remove("publisher");
        source["Publisher"] = "Canonical";
        source["type"] = "platformimage";
        body["properties"]!["optimize"] = JsonNode.Parse("""{"VmBoot":{"state":"enabled"}}""");
        body["properties"]!["distribute"]![0]!["targetRegions"]![0]!["storageAccountType"] = "premium_lrs";
        Assert.Empty(ImageTemplateValidator.Validate(body, "2022-07-01"));

        var t = ImageTemplateParser.Parse(body);

        Assert.Equal("Canonical", Assert.IsType<PlatformImageSource>(t.Source).Publisher);
        Assert.Equal(VmBootState.Enabled, t.OptimizeVmBoot);
        Assert.Equal("Premium_LRS", Assert.IsType<SharedImageDistributor>(t.Distribute[0]).TargetRegions[0].StorageAccountType);
    }

    [Fact]
    public void Explicit_gallery_version_is_exposed()
    {
        var body = TemplateFixtures.Parse(TemplateFixtures.QuickstartFilled);
        body["properties"]!["distribute"]![0]!["galleryImageId"] = TemplateFixtures.GalleryDef + "/versions/1.2.3";

        var sig = Assert.IsType<SharedImageDistributor>(ImageTemplateParser.Parse(body).Distribute[0]);

        Assert.Equal("1.2.3", sig.ExplicitVersion);
        Assert.Equal(TemplateFixtures.GalleryDef, sig.ImageDefinitionId);
    }

    [Fact]
    public void Restart_timeout_defaults_to_five_minutes()
    {
        var body = TemplateFixtures.Parse(TemplateFixtures.QuickstartFilled);
        body["properties"]!["customize"]![0] = JsonNode.Parse("""{"type":"WindowsRestart"}""");

        var restart = Assert.IsType<WindowsRestartCustomizer>(ImageTemplateParser.Parse(body).Customize[0]);

        Assert.Equal(TimeSpan.FromMinutes(5), restart.RestartTimeout);
    }

    [Theory]
    [InlineData("properties")]
    [InlineData("identity")]
    [InlineData("location")]
    public void Invalid_body_gives_a_format_exception_naming_the_field(string missing)
    {
        var body = TemplateFixtures.Parse(TemplateFixtures.QuickstartFilled);
        body.Remove(missing);

        var e = Assert.Throws<FormatException>(() => ImageTemplateParser.Parse(body));

        Assert.Contains(missing, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_source_kind_gives_a_format_exception()
    {
        var body = TemplateFixtures.Parse(TemplateFixtures.QuickstartFilled);
        body["properties"]!["source"]!["type"] = "Marketplace";

        Assert.Throws<FormatException>(() => ImageTemplateParser.Parse(body));
    }
}
