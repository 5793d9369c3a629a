namespace Kiln.Domain.Templates;

/// <summary><c>properties.source</c>, discriminated by <c>type</c>.</summary>
public abstract record ImageSource
{
    /// <summary>The wire discriminator: PlatformImage, ManagedImage or SharedImageVersion.</summary>
    public abstract string Type { get; }
}
