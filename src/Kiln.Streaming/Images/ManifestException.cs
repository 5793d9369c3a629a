using Kiln.Storage.Blocks;

namespace Kiln.Streaming.Images;

/// <summary>A version manifest is malformed; names the manifest and the JSON path of the bad field.</summary>
public sealed class ManifestException(string manifest, string path, string problem)
    : BlockDeviceException($"manifest '{manifest}': {path}: {problem}")
{
    public string Manifest { get; } = manifest;
    public string JsonPath { get; } = path;
}
