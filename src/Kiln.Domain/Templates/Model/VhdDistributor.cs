namespace Kiln.Domain.Templates;

/// <summary>Distributes as a VHD blob; <see cref="Uri"/> null/empty means the staging storage.</summary>
public sealed record VhdDistributor(string RunOutputName, IReadOnlyDictionary<string, string> ArtifactTags, string? Uri)
    : Distributor(RunOutputName, ArtifactTags)
{
    public override string Type => "VHD";
}
