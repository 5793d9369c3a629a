namespace Kiln.Domain.Templates;

/// <summary>One <c>properties.distribute[]</c> target, discriminated by <c>type</c>.</summary>
public abstract record Distributor(string RunOutputName, IReadOnlyDictionary<string, string> ArtifactTags)
{
    /// <summary>The wire discriminator (ManagedImage, SharedImage, VHD).</summary>
    public abstract string Type { get; }
}
