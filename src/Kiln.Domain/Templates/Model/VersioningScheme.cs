namespace Kiln.Domain.Templates;

/// <summary><c>versioning.scheme</c>.</summary>
public enum VersioningScheme
{
    Latest,
    Source,
}
