namespace Kiln.Domain.Templates;

/// <summary>Runs a shell script (Linux): exactly one of <see cref="ScriptUri"/> / <see cref="Inline"/>.</summary>
public sealed record ShellCustomizer(string? Name, string? ScriptUri, IReadOnlyList<string>? Inline, string Sha256Checksum) : Customizer(Name)
{
    public override string Type => "Shell";
}
