namespace Kiln.Pipeline.Steps.Distribute;

/// <summary>
/// The ARM side of distribution, implemented by the control plane: distribute steps store the
/// image data themselves and only ask here for the resources (which must appear last, so a failed
/// distribution never leaves a half-made version visible).
/// </summary>
public interface IArtifactRegistry
{
    /// <summary>Version names that exist under the image definition.</summary>
    Task<IReadOnlyList<string>> ListGalleryVersionsAsync(string definitionId, CancellationToken ct);

    /// <summary>The image definition's location (its home region).</summary>
    Task<string> GetDefinitionLocationAsync(string definitionId, CancellationToken ct);

    /// <summary>Creates the version resource; returns its id. Fails when it exists.</summary>
    Task<string> CreateGalleryVersionAsync(GalleryVersionSpec spec, CancellationToken ct);

    Task DeleteResourceAsync(string id, CancellationToken ct);

    /// <summary>Creates (or replaces) a Microsoft.Compute/images resource whose OS disk is <paramref name="blobUri"/>; returns its id.</summary>
    Task<string> CreateManagedImageAsync(string imageId, string location, string blobUri, long sizeBytes, string osType, string hyperVGeneration, CancellationToken ct);
}
