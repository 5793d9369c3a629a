using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Kiln.Streaming.Collection;
using Kiln.Streaming.Store;

namespace Kiln.Pipeline.Steps.Distribute;

/// <summary>
/// Where distributed images live under the data folder:
///
///   DIR/regions/&lt;region&gt;/            a region store per Azure region (chunks, packs, manifests)
///   DIR/managed-images/&lt;hash&gt;.raw    Microsoft.Compute/images OS disks
///   DIR/outputs/&lt;hash&gt;/&lt;run&gt;.vhd      VHD distributions without a uri
///
/// A gallery version's manifest name is derived from its id, so anything holding the id finds the data.
/// </summary>
public sealed class ArtifactLayout(string dataDir)
{
    // One gate per data folder for the whole process: the build engine and the delete path each make
    // their own layout, and must still meet at the same gate.
    private static readonly ConcurrentDictionary<string, RegionWriteGate> Gates = new(StringComparer.Ordinal);

    public string DataDirectory => dataDir;

    /// <summary>
    /// Held shared by every publish and replication into this folder's regions and alone by a
    /// collection, so the control plane may collect with no grace (see <see cref="VersionStorage"/>).
    /// </summary>
    public RegionWriteGate Gate => Gates.GetOrAdd(Path.GetFullPath(dataDir), _ => new RegionWriteGate());

    /// <summary>The region stores that exist under the folder (none are created).</summary>
    public IReadOnlyList<LocalFolderRegionStore> ExistingRegions()
    {
        var root = Path.Combine(dataDir, "regions");
        if (!Directory.Exists(root)) return [];
        return Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal)
            .Select(d => new LocalFolderRegionStore(d, Path.GetFileName(d))).ToList();
    }

    public LocalFolderRegionStore Region(string region) =>
        new(RegionDirectory(region), Path.GetFileName(RegionDirectory(region)));

    /// <summary>Where a region's store lives, without creating it; the name is checked first, so "../x" never becomes a path.</summary>
    public string RegionDirectory(string region)
    {
        string name = region.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant();
        if (name.Length == 0 || !name.All(char.IsAsciiLetterOrDigit))
            throw new ArgumentException($"region '{region}' must be letters and digits (e.g. westus2).");
        return Path.Combine(dataDir, "regions", name);
    }

    public static string ManifestName(string versionId) => "giv-" + Hash(versionId);

    public string ManagedImagePath(string imageId) => Path.Combine(dataDir, "managed-images", Hash(imageId) + ".raw");

    public string VhdOutputPath(string templateId, string runId) => Path.Combine(dataDir, "outputs", Hash(templateId), runId + ".vhd");

    private static string Hash(string id) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id.ToLowerInvariant())))[..32];
}
