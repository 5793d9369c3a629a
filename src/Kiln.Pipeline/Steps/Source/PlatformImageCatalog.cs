using Kiln.Storage.Formats;

namespace Kiln.Pipeline.Steps.Source;

/// <summary>
/// The local stand-in for the marketplace: raw images filed by publisher/offer/sku/version.
///
///   DIR/platform-images/&lt;publisher&gt;/&lt;offer&gt;/&lt;sku&gt;/&lt;version&gt;.raw   (lower case; sparse)
///
/// Lookups are case-insensitive like Azure's; "latest" is the highest version, compared
/// numerically segment by segment (18.04.202210180 &gt; 18.04.20221018).
/// </summary>
public sealed class PlatformImageCatalog(string root)
{
    public string Root => root;

    public async Task<string> ImportAsync(string publisher, string offer, string sku, string version, string sourcePath, CancellationToken ct)
    {
        foreach (var (name, value) in new[] { ("publisher", publisher), ("offer", offer), ("sku", sku), ("version", version) })
            CheckSegment(name, value);
        if (version.Equals("latest", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException("version: 'latest' is resolved at build time; import a concrete version such as 1.0.0.");
        string dir = Path.Combine(root, publisher.ToLowerInvariant(), offer.ToLowerInvariant(), sku.ToLowerInvariant());
        Directory.CreateDirectory(dir);
        string target = Path.Combine(dir, version.ToLowerInvariant() + ".raw");
        string temp = target + ".importing";
        File.Delete(temp);
        await ImageConverter.ConvertAsync(sourcePath, temp, DiskImage.Raw, overwrite: true, ct: ct).ConfigureAwait(false);
        File.Move(temp, target, overwrite: true);
        return target;
    }

    /// <summary>The image file and the exact version; <paramref name="version"/> may be "latest".</summary>
    public (string Path, string ExactVersion) Resolve(string publisher, string offer, string sku, string version)
    {
        string dir = Path.Combine(root, publisher.ToLowerInvariant(), offer.ToLowerInvariant(), sku.ToLowerInvariant());
        var versions = Directory.Exists(dir)
            ? Directory.GetFiles(dir, "*.raw").Select(f => Path.GetFileNameWithoutExtension(f)).ToList()
            : [];
        string? exact = version.Equals("latest", StringComparison.OrdinalIgnoreCase)
            ? versions.OrderByDescending(v => v, VersionComparer.Instance).FirstOrDefault()
            : versions.FirstOrDefault(v => v.Equals(version, StringComparison.OrdinalIgnoreCase));
        if (exact is null)
            throw new FileNotFoundException(
                $"Platform image {publisher}:{offer}:{sku}:{version} is not in the local catalog ({root}); " +
                $"import it with: kiln platform-image import --publisher {publisher} --offer {offer} --sku {sku} --version VERSION FILE" +
                (versions.Count > 0 ? $" (versions present: {string.Join(", ", versions)})" : ""));
        return (Path.Combine(dir, exact + ".raw"), exact);
    }

    private static void CheckSegment(string name, string value)
    {
        if (value.Length is 0 or > 128 || value[0] == '.' || !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
            throw new ArgumentException($"{name} '{value}' must be 1-128 characters of A-Z a-z 0-9 . - _ and not start with '.'.");
    }
}
