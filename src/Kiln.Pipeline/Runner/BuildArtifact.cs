namespace Kiln.Pipeline.Runner;

/// <summary>One distributed result: the template's runOutputs/{RunOutputName} (artifactId = resource id, artifactUri = VHD URL).</summary>
public sealed record BuildArtifact(string RunOutputName, string? ArtifactId, string? ArtifactUri);
