namespace Kiln.Domain.Templates;

/// <summary>Uploads a file needed by later validators (2022-07-01+).</summary>
public sealed record FileValidator(string? Name, string SourceUri, string Destination, string Sha256Checksum) : InVmValidator(Name)
{
    public override string Type => "File";
}
