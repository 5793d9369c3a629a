using System.Reflection;

namespace Kiln.Api.Tests;

/// <summary>DESIGN.md §2: the Api records desired state and never runs a step; Domain depends on nothing.</summary>
public class LayeringTests
{
    private static string[] KilnReferences(Assembly a) =>
        a.GetReferencedAssemblies().Select(r => r.Name!).Where(n => n.StartsWith("Kiln.", StringComparison.Ordinal)).Order().ToArray();

    [Fact]
    public void ApiUsesOnlyDomainAndControl() =>
        Assert.Equal(["Kiln.Control", "Kiln.Domain"], KilnReferences(typeof(KilnServer).Assembly));

    [Fact]
    public void DomainDependsOnNothing() =>
        Assert.Empty(KilnReferences(typeof(Kiln.Domain.Arm.ResourceId).Assembly));
}
