namespace Kiln.Domain.Templates;

/// <summary>Distributes as a managed image <see cref="ImageId"/> in <see cref="Location"/>.</summary>
public sealed record ManagedImageDistributor(string RunOutputName, IReadOnlyDictionary<string, string> ArtifactTags, string ImageId, string Location)
    : Distributor(RunOutputName, ArtifactTags)
{
    public override string Type => "ManagedImage";
}
