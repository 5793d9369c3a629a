using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;

namespace Kiln.Architecture.Tests;

/// <summary>
/// The layer table of DESIGN.md §2, enforced. Projects are checked by their compiled
/// references; the Storage sub-layers, which share one assembly, by their source usings.
/// </summary>
public partial class LayerRulesTests
{
    private static readonly string[] Upper = ["Kiln.Domain", "Kiln.Pipeline", "Kiln.Control", "Kiln.Api", "Kiln.Cli"];

    [Theory]
    [InlineData("Kiln.Storage")]
    [InlineData("Kiln.Nbd")]
    [InlineData("Kiln.Machines")]
    [InlineData("Kiln.Streaming")]
    [InlineData("Kiln.Optimization")]
    [InlineData("Kiln.Vms")]
    public void LowerLayers_NeverReferenceDomainPipelineOrAbove(string assembly)
    {
        var refs = ReferencedKilnAssemblies(assembly);
        Assert.Empty(refs.Intersect(Upper));
    }

    [Fact]
    public void Domain_DependsOnNothingOfKiln() => Assert.Empty(ReferencedKilnAssemblies("Kiln.Domain"));

    [Fact]
    public void Guest_DependsOnNothingOfKiln() => Assert.Empty(ReferencedKilnAssemblies("Kiln.Guest"));

    [Theory]
    [InlineData("Kiln.Pipeline")]
    [InlineData("Kiln.Control")]
    [InlineData("Kiln.Api")]
    [InlineData("Kiln.Vms")]
    [InlineData("Kiln.Optimization")]
    public void ProductionLayers_BootGuestsWithKilnGuest_NotWithTheTestImages(string assembly)
    {
        // The test images are a CLI feature (kiln testimage, quickstart); what a build needs to boot
        // its own guest (kernel, modules, initramfs, busybox) lives in Kiln.Guest.
        Assert.DoesNotContain("Kiln.TestImages", ReferencedKilnAssemblies(assembly));
    }

    [Fact]
    public void Api_NeverRunsAStep_NoPipelineTypeIsUsedByTheApi()
    {
        // The Api records desired state; Control's workers act on it. Kiln.Api may reach
        // Kiln.Pipeline transitively through Control, but must not name a single Pipeline type.
        var path = Path.Combine(AppContext.BaseDirectory, "Kiln.Api.dll");
        using var pe = new PEReader(File.OpenRead(path));
        var md = pe.GetMetadataReader();
        var pipelineTypes = md.TypeReferences
            .Select(h => md.GetTypeReference(h))
            .Select(t => md.GetString(t.Namespace))
            .Where(ns => ns.StartsWith("Kiln.Pipeline", StringComparison.Ordinal))
            .Distinct()
            .ToList();
        Assert.Empty(pipelineTypes);
    }

    // Storage sub-layers share the Kiln.Storage assembly; DESIGN.md §2 lists what each may use.
    public static TheoryData<string, string[]> StorageRules => new()
    {
        { "Blocks", [] },
        { "Formats", ["Blocks"] },
        { "Partitions", ["Blocks"] },
        { "FileSystems", ["Blocks"] },
        { "Stack", ["Blocks"] },
        { "Profiles", ["Blocks"] },
        { "Inspection", ["Blocks", "Formats", "Partitions", "FileSystems"] },
    };

    [Theory]
    [MemberData(nameof(StorageRules))]
    public void StorageSubLayers_UseOnlyWhatTheDesignAllows(string layer, string[] allowed)
    {
        var folder = Path.Combine(RepositoryRoot.Find(), "src", "Kiln.Storage", layer);
        if (!Directory.Exists(folder)) return; // a layer not written yet has nothing to break
        var violations = new List<string>();
        foreach (var file in Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories))
        {
            foreach (Match m in KilnStorageName().Matches(File.ReadAllText(file)))
            {
                var used = m.Groups[1].Value;
                if (used != layer && !allowed.Contains(used))
                    violations.Add($"{Path.GetRelativePath(folder, file)} uses Kiln.Storage.{used}");
            }
        }
        Assert.Empty(violations);
    }

    [GeneratedRegex(@"\bKiln\.Storage\.([A-Z][A-Za-z]+)")]
    private static partial Regex KilnStorageName();

    private static string[] ReferencedKilnAssemblies(string assembly) =>
        Assembly.LoadFrom(Path.Combine(AppContext.BaseDirectory, assembly + ".dll"))
            .GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(n => n.StartsWith("Kiln.", StringComparison.Ordinal))
            .ToArray();
}
