using Kiln.Storage.Formats;
using Kiln.Storage.Inspection;
using Kiln.Storage.Partitions;
using Kiln.Guest;

namespace Kiln.TestImages.Tests;

/// <summary>
/// Issue 2's "done when": inspection reports the right facts for every test-image variant the
/// factory builds, and for VHD / qcow2 conversions of them; the Arm64, specialized and >2 TB
/// variants are ineligible with the right reason.
/// </summary>
[Collection(BuiltImagesCollection.Name)]
public class InspectionOfTestImagesTests(BuiltImages images)
{
    public static TheoryData<string, PartitionScheme, HyperVGeneration, CpuArchitecture, OsType, OsState, string?> Variants => new()
    {
        // variant,             scheme,              generation,          arch,                 OS,             state,                  refusal reason (null = eligible)
        { "gen1",               PartitionScheme.Mbr, HyperVGeneration.V1, CpuArchitecture.X64,   OsType.Linux,   OsState.Generalized,  null },
        { "gen2",               PartitionScheme.Gpt, HyperVGeneration.V2, CpuArchitecture.X64,   OsType.Linux,   OsState.Generalized,  null },
        { "gen1-specialized",   PartitionScheme.Mbr, HyperVGeneration.V1, CpuArchitecture.X64,   OsType.Linux,   OsState.Specialized,  "specialized" },
        { "gen2-specialized",   PartitionScheme.Gpt, HyperVGeneration.V2, CpuArchitecture.X64,   OsType.Linux,   OsState.Specialized,  "specialized" },
        { "arm64",              PartitionScheme.Gpt, HyperVGeneration.V2, CpuArchitecture.Arm64, OsType.Linux,   OsState.Generalized,  "Arm64" },
        { "windows",            PartitionScheme.Mbr, HyperVGeneration.V1, CpuArchitecture.X64,   OsType.Windows, OsState.Generalized,  null },
        { "windows-specialized",PartitionScheme.Mbr, HyperVGeneration.V1, CpuArchitecture.X64,   OsType.Windows, OsState.Specialized,  "specialized" },
        { "huge",               PartitionScheme.Gpt, HyperVGeneration.V2, CpuArchitecture.X64,   OsType.Linux,   OsState.Generalized,  "larger than 2 TB" },
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task EveryVariant_InspectsAsBuilt(string variant, PartitionScheme scheme, HyperVGeneration generation,
        CpuArchitecture arch, OsType os, OsState state, string? refusal)
    {
        var path = await images.GetAsync(variant);
        await using var image = await DiskImage.OpenAsync(path);
        var facts = await ImageInspector.InspectAsync(image, CancellationToken.None);

        Assert.Equal("raw", facts.Format);
        Assert.Equal(new FileInfo(path).Length, facts.VirtualSizeBytes);
        Assert.Equal(scheme, facts.PartitionScheme);
        Assert.Equal(generation, facts.HyperVGeneration);
        Assert.Equal(arch, facts.Architecture);
        Assert.Equal(os, facts.OsType);
        Assert.Equal(state, facts.OsState);
        Assert.NotEmpty(facts.OsStateEvidence);
        if (refusal is null)
        {
            Assert.True(facts.VmBootOptimization.Eligible, string.Join(" | ", facts.VmBootOptimization.Reasons));
        }
        else
        {
            Assert.False(facts.VmBootOptimization.Eligible);
            Assert.Contains(facts.VmBootOptimization.Reasons, r => r.Contains(refusal, StringComparison.Ordinal));
        }
        if (os == OsType.Linux)
            Assert.Equal("Kiln Test Linux 1.0", facts.Distro);
    }

    [Theory]
    [InlineData("gen2", "vhd-dynamic")]
    [InlineData("gen1", "vhd-fixed")]
    [InlineData("windows", "vhd-dynamic")]
    [InlineData("gen1-specialized", "qcow2")]
    public async Task Conversions_ReportTheSameFacts_WithTheirOwnFormat(string variant, string format)
    {
        var source = await images.GetAsync(variant);
        var dir = Directory.CreateTempSubdirectory("kiln-inspect-conv-").FullName;
        try
        {
            var target = Path.Combine(dir, variant + "." + format);
            if (format == "qcow2")
                await ToolRunner.RunAsync("qemu-img", ["convert", "-f", "raw", "-O", "qcow2", "-c", source, target], CancellationToken.None);
            else
                await ImageConverter.ConvertAsync(source, target, format);

            ImageFacts raw, converted;
            await using (var a = await DiskImage.OpenAsync(source)) raw = await ImageInspector.InspectAsync(a, CancellationToken.None);
            await using (var b = await DiskImage.OpenAsync(target)) converted = await ImageInspector.InspectAsync(b, CancellationToken.None);

            Assert.Equal(format, converted.Format);
            Assert.Equal(raw.PartitionScheme, converted.PartitionScheme);
            Assert.Equal(raw.HyperVGeneration, converted.HyperVGeneration);
            Assert.Equal(raw.Architecture, converted.Architecture);
            Assert.Equal(raw.OsType, converted.OsType);
            Assert.Equal(raw.Distro, converted.Distro);
            Assert.Equal(raw.OsState, converted.OsState);
            Assert.Equal(raw.VmBootOptimization.Eligible, converted.VmBootOptimization.Eligible);
            Assert.Equal(raw.Partitions.Select(p => (p.OffsetBytes, p.SizeBytes)), converted.Partitions.Select(p => (p.OffsetBytes, p.SizeBytes)));
            // A fixed VHD is rounded up to a whole MiB; never smaller than the source.
            Assert.True(converted.VirtualSizeBytes >= raw.VirtualSizeBytes);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
