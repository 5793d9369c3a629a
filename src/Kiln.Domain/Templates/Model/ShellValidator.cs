namespace Kiln.Domain.Templates;

/// <summary>Shell validation script: exactly one of <see cref="ScriptUri"/> / <see cref="Inline"/>.</summary>
public sealed record ShellValidator(string? Name, string? ScriptUri, IReadOnlyList<string>? Inline, string Sha256Checksum) : InVmValidator(Name)
{
    public override string Type => "Shell";
}
