namespace Kiln.Domain.Templates;

/// <summary>A managed image (<c>Microsoft.Compute/images</c>) by id.</summary>
public sealed record ManagedImageSource(string ImageId) : ImageSource
{
    public override string Type => "ManagedImage";
}
