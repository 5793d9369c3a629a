using Kiln.Domain.Arm;

namespace Kiln.Api.Tests.Arm;

/// <summary>Kiln.Domain/Arm: ids as az and the SDK send them (mixed case, double slashes) and names that must never reach storage.</summary>
public class ResourceIdTests
{
    private const string Sub = "c0670cd3-a382-4408-8311-861f1047ffd0";

    [Theory]
    [InlineData($"/subscriptions/{Sub}/resourcegroups/RG/providers/Microsoft.VirtualMachineImages//imageTemplates/T",
        $"/subscriptions/{Sub}/resourceGroups/RG/providers/Microsoft.VirtualMachineImages/imageTemplates/T", ResourceTypes.ImageTemplate)]
    [InlineData($"/SUBSCRIPTIONS/{Sub}/RESOURCEGROUPS/rg/PROVIDERS/microsoft.compute/GALLERIES/g/IMAGES/d/versions/1.0.0",
        $"/subscriptions/{Sub}/resourceGroups/rg/providers/Microsoft.Compute/galleries/g/images/d/versions/1.0.0", ResourceTypes.GalleryImageVersion)]
    [InlineData($"/subscriptions/{Sub}/resourceGroups/rg", $"/subscriptions/{Sub}/resourceGroups/rg", ResourceTypes.ResourceGroup)]
    [InlineData($"/subscriptions/{Sub}", $"/subscriptions/{Sub}", ResourceTypes.Subscription)]
    public void ParsesToCanonicalSpelling(string text, string canonical, string type)
    {
        Assert.True(ResourceId.TryParse(text, out var id));
        Assert.Equal(canonical, id.ToString());
        Assert.Equal(type, id.Type);
        Assert.Equal(canonical.ToLowerInvariant(), id.Key);
    }

    [Theory]
    [InlineData("")]
    [InlineData("subscriptions/x")]
    [InlineData("/subscriptions/not-a-guid/resourceGroups/rg")]
    [InlineData($"/subscriptions/{Sub}/resourceGroups")]
    [InlineData($"/subscriptions/{Sub}/resourceGroups/rg/providers/Microsoft.Compute/galleries")]
    [InlineData($"/subscriptions/{Sub}/resourceGroups/rg/providers/Microsoft.Compute")]
    [InlineData($"/subscriptions/{Sub}/resourceGroups/rg/providers/Microsoft.Compute/galleries/g/providers/Microsoft.Authorization/roleAssignments/x")]
    [InlineData($"/subscriptions/{Sub}/resourceGroups/rg/things/x")]
    public void RejectsWhatIsNotAResourceId(string text) => Assert.False(ResourceId.TryParse(text, out _));

    [Fact]
    public void ParentsWalkUpToTheSubscription()
    {
        Assert.True(ResourceId.TryParse($"/subscriptions/{Sub}/resourceGroups/rg/providers/Microsoft.Compute/galleries/g/images/d", out var id));
        Assert.Equal(ResourceTypes.Gallery, id.Parent!.Type);
        Assert.Equal(ResourceTypes.ResourceGroup, id.Parent!.Parent!.Type);
        Assert.Equal(ResourceTypes.Subscription, id.Parent!.Parent!.Parent!.Type);
        Assert.Null(id.Parent!.Parent!.Parent!.Parent);
    }

    [Theory]
    [InlineData(ResourceTypes.ImageTemplate, "helloImageTemplateforTriggers", true)]
    [InlineData(ResourceTypes.ImageTemplate, "a..b", false)]
    [InlineData(ResourceTypes.ImageTemplate, "..", false)]
    [InlineData(ResourceTypes.ImageTemplate, "a/b", false)]
    [InlineData(ResourceTypes.ResourceGroup, "my(Group)-1.x", true)]
    [InlineData(ResourceTypes.ResourceGroup, "endsWithDot.", false)]
    [InlineData(ResourceTypes.Gallery, "my_gallery.1", true)]
    [InlineData(ResourceTypes.Gallery, "my-gallery", false)]
    [InlineData(ResourceTypes.GalleryImage, "Images-1", true)]
    [InlineData(ResourceTypes.GalleryImageVersion, "1.0.0", true)]
    [InlineData(ResourceTypes.GalleryImageVersion, "1.0", false)]
    [InlineData(ResourceTypes.GalleryImageVersion, "1.0.99999999999", false)]
    [InlineData(ResourceTypes.UserAssignedIdentity, "aibIdentity1700000000", true)]
    [InlineData(ResourceTypes.RoleAssignment, "not-a-guid", false)]
    public void NamesFollowTheRulesOfTheirType(string type, string name, bool valid) =>
        Assert.Equal(valid, ArmNames.Check(type, name) is null);
}
