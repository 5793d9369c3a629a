namespace Kiln.Nbd.Tests;

/// <summary>DESIGN.md §2: the Nbd layer may use Storage.Blocks only (never Domain, Pipeline, Control or Machines).</summary>
public class NbdLayerRulesTests
{
    [Fact]
    public void KilnNbd_ReferencesOnlyKilnStorage_AmongKilnAssemblies()
    {
        var kiln = typeof(NbdServer).Assembly.GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(n => n.StartsWith("Kiln.", StringComparison.Ordinal))
            .ToList();
        Assert.Equal(["Kiln.Storage"], kiln);
    }

    [Fact]
    public void KilnNbd_UsesOnlyTheBlocksNamespace_OfKilnStorage()
    {
        // Types the server's public surface and implementation touch through Kiln.Storage.
        var storageTypes = typeof(NbdServer).Assembly.GetTypes()
            .SelectMany(t => t.GetFields(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Public).Select(f => f.FieldType)
                .Concat(t.GetProperties().Select(p => p.PropertyType)))
            .Where(t => t.Assembly.GetName().Name == "Kiln.Storage")
            .Select(t => t.Namespace)
            .Distinct()
            .ToList();
        Assert.All(storageTypes, ns => Assert.Equal("Kiln.Storage.Blocks", ns));
    }
}
