namespace Kiln.Domain.Templates;

/// <summary>Runs PowerShell (Windows): exactly one of <see cref="ScriptUri"/> / <see cref="Inline"/>.</summary>
public sealed record PowerShellCustomizer(
    string? Name,
    string? ScriptUri,
    IReadOnlyList<string>? Inline,
    string Sha256Checksum,
    bool RunElevated,
    bool RunAsSystem,
    IReadOnlyList<int> ValidExitCodes) : Customizer(Name)
{
    public override string Type => "PowerShell";
}
