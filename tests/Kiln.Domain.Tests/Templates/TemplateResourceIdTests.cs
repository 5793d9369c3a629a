using Kiln.Domain.Templates;
using F = Kiln.Domain.Tests.Templates.TemplateFixtures;

namespace Kiln.Domain.Tests.Templates;

public sealed class TemplateResourceIdTests
{
    [Fact]
    public void Gallery_version_id_is_split_into_its_parts()
    {
        Assert.True(TemplateResourceId.TryParse(F.GalleryDef + "/versions/1.0.0", out var id, out var error), error);

        Assert.Equal(F.Sub, id!.SubscriptionId);
        Assert.Equal(F.Rg, id.ResourceGroup);
        Assert.Equal("Microsoft.Compute", id.ProviderNamespace);
        Assert.Equal(["galleries", "images", "versions"], id.Types);
        Assert.Equal(["myGallery", "myImageDef", "1.0.0"], id.Names);
        Assert.Equal("Microsoft.Compute/galleries/images/versions", id.FullType);
        Assert.Equal("1.0.0", id.Name);
        Assert.Equal(F.GalleryDef, id.AncestorId(2));
        Assert.True(id.IsOfType("microsoft.compute/GALLERIES/images/versions"));
    }

    [Fact]
    public void Keyword_casing_is_normalised_in_the_canonical_form()
    {
        Assert.True(TemplateResourceId.TryParse(F.IdentityId, out var id, out _));
        Assert.Contains("/resourcegroups/", F.IdentityId, StringComparison.Ordinal);
        Assert.StartsWith($"/subscriptions/{F.Sub}/resourceGroups/{F.Rg}/providers/", id!.Canonical, StringComparison.Ordinal);
    }

    [Fact]
    public void Resource_group_id_has_no_provider()
    {
        Assert.True(TemplateResourceId.TryParse($"/subscriptions/{F.Sub}/resourceGroups/rg1", out var id, out _));
        Assert.True(id!.IsResourceGroup);
        Assert.Equal("rg1", id.Name);
        Assert.True(id.IsOfType(TemplateArmIds.ResourceGroup));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("subscriptions/x", "start with '/subscriptions/'")]
    [InlineData("/subscriptions//resourceGroups/rg", "empty segment")]
    [InlineData("/subscriptions/0b0c0d0e-1111-2222-3333-444455556666/resourceGroups/rg/", "end with '/'")]
    [InlineData("/subscriptions/0b0c0d0e-1111-2222-3333-444455556666/resourceGroups/../x", "'..'")]
    [InlineData("/subscriptions/0b0c0d0e-1111-2222-3333-444455556666/resourceGroups/rg/providers/Microsoft.Compute/images/a..b", "'..'")]
    [InlineData("/subscriptions/0b0c0d0e-1111-2222-3333-444455556666/resourceGroups/rg/providers/Microsoft.Compute/images/a b", "' '")]
    [InlineData("/subscriptions/0b0c0d0e-1111-2222-3333-444455556666/resourceGroups/rg/providers/Microsoft.Compute/images/a?b", "'?'")]
    [InlineData("/subscriptions/0b0c0d0e-1111-2222-3333-444455556666/resourceGroups/rg/providers/Microsoft.Compute/images/a\\b", "'\\'")]
    [InlineData("/subscriptions/0b0c0d0e-1111-2222-3333-444455556666/resourceGroups/rg/providers/Microsoft.Compute/images/a\u0001", "\\u0001")]
    [InlineData("/subscriptions/mysub/resourceGroups/rg", "not a GUID")]
    [InlineData("/subscriptions/0b0c0d0e-1111-2222-3333-444455556666/resourceGroups/rg./providers/Microsoft.Compute/images/x", "resource group name")]
    [InlineData("/subscriptions/0b0c0d0e-1111-2222-3333-444455556666/resourceGroups/rg/images/x", "/providers/")]
    [InlineData("/subscriptions/0b0c0d0e-1111-2222-3333-444455556666/resourceGroups/rg/providers/Microsoft.Compute/images", "/providers/")]
    [InlineData("/subscriptions/0b0c0d0e-1111-2222-3333-444455556666/resourceGroups/rg/providers/Compute/images/x", "namespace")]
    [InlineData("/subscriptions/0b0c0d0e-1111-2222-3333-444455556666/resourceGroups/rg/providers/Microsoft.Compute/galleries/g/images", "no name")]
    [InlineData("/subscriptions/<subscriptionID>/resourceGroups/rg", "placeholder")]
    public void Malformed_ids_are_rejected_with_the_reason(string text, string reasonPart)
    {
        Assert.False(TemplateResourceId.TryParse(text, out var id, out var error));
        Assert.Null(id);
        Assert.Contains(reasonPart, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Oversized_and_deeply_nested_ids_are_rejected_quickly()
    {
        Assert.False(TemplateResourceId.TryParse("/" + new string('a', 5000), out _, out var e1));
        Assert.Contains("characters long", e1, StringComparison.Ordinal);
        var deep = $"/subscriptions/{F.Sub}/resourceGroups/rg/providers/Microsoft.X" + string.Concat(Enumerable.Repeat("/t/n", 200));
        Assert.False(TemplateResourceId.TryParse(deep, out _, out var e2));
        Assert.Contains("too many segments", e2, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(F.GalleryDef, TemplateArmIds.GalleryImage, true)]
    [InlineData(F.GalleryDef + "/versions/1.0.0", TemplateArmIds.GalleryImage, false)]
    [InlineData(F.GalleryDef + "/versions/1.0.0", TemplateArmIds.GalleryImageVersion, true)]
    [InlineData(F.GalleryDef + "/versions/2147483648.0.0", TemplateArmIds.GalleryImageVersion, false)]
    [InlineData(F.GalleryDef + "/versions/-1.0.0", TemplateArmIds.GalleryImageVersion, false)]
    [InlineData(F.ManagedImage, TemplateArmIds.ManagedImage, true)]
    [InlineData(F.ManagedImage + "_", TemplateArmIds.ManagedImage, true)]
    [InlineData(F.ManagedImage + "-", TemplateArmIds.ManagedImage, false)]
    [InlineData(F.IdentityId, TemplateArmIds.UserAssignedIdentity, true)]
    [InlineData(F.Subnet, TemplateArmIds.Subnet, true)]
    [InlineData(F.Subnet, TemplateArmIds.ManagedImage, false)]
    public void Typed_check_knows_each_types_naming_rules(string text, string type, bool valid)
    {
        var reason = TemplateArmIds.Check(text, type, out var id);
        Assert.Equal(valid, reason is null);
        Assert.Equal(valid, id is not null);
        if (!valid)
            Assert.False(string.IsNullOrWhiteSpace(reason));
    }

    [Fact]
    public void Latest_is_a_version_only_where_allowed()
    {
        Assert.NotNull(TemplateArmIds.Check(F.GalleryDef + "/versions/latest", TemplateArmIds.GalleryImageVersion, out _));
        Assert.Null(TemplateArmIds.Check(F.GalleryDef + "/versions/latest", TemplateArmIds.GalleryImageVersion, out _, allowLatestVersion: true));
    }
}
