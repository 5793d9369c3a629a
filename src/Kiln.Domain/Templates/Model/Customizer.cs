namespace Kiln.Domain.Templates;

/// <summary>One <c>properties.customize[]</c> step, discriminated by <c>type</c>.</summary>
public abstract record Customizer(string? Name)
{
    /// <summary>The wire discriminator (Shell, PowerShell, File, WindowsRestart, WindowsUpdate).</summary>
    public abstract string Type { get; }
}
