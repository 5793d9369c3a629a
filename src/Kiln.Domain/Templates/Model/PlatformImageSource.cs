namespace Kiln.Domain.Templates;

/// <summary>A marketplace (here: local catalog) image by publisher/offer/sku/version.</summary>
public sealed record PlatformImageSource(string Publisher, string Offer, string Sku, string Version, PlatformImagePlan? PlanInfo) : ImageSource
{
    public override string Type => "PlatformImage";

    /// <summary>True when <see cref="Version"/> is "latest" (resolved at build time).</summary>
    public bool IsLatest => Version.Equals("latest", StringComparison.OrdinalIgnoreCase);
}
