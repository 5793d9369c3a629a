namespace Kiln.Domain.Templates;

/// <summary>Downloads one file into the VM (Linux can only write under /tmp, DOCJ).</summary>
public sealed record FileCustomizer(string? Name, string SourceUri, string Destination, string Sha256Checksum) : Customizer(Name)
{
    public override string Type => "File";
}
