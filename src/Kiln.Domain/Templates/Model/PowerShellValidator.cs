namespace Kiln.Domain.Templates;

/// <summary>PowerShell validation script: exactly one of <see cref="ScriptUri"/> / <see cref="Inline"/>.</summary>
public sealed record PowerShellValidator(
    string? Name,
    string? ScriptUri,
    IReadOnlyList<string>? Inline,
    string Sha256Checksum,
    bool RunElevated,
    bool RunAsSystem,
    IReadOnlyList<int> ValidExitCodes) : InVmValidator(Name)
{
    public override string Type => "PowerShell";
}
