namespace Kiln.Domain.Templates;

/// <summary>Restarts a Windows VM; <see cref="RestartTimeout"/> parsed from e.g. "5m" (default 5 minutes).</summary>
public sealed record WindowsRestartCustomizer(string? Name, string? RestartCommand, string? RestartCheckCommand, TimeSpan RestartTimeout) : Customizer(Name)
{
    public override string Type => "WindowsRestart";

    public static readonly TimeSpan DefaultRestartTimeout = TimeSpan.FromMinutes(5);
}
