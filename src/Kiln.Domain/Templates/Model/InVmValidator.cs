namespace Kiln.Domain.Templates;

/// <summary>One <c>properties.validate.inVMValidations[]</c> entry, discriminated by <c>type</c>.</summary>
public abstract record InVmValidator(string? Name)
{
    /// <summary>The wire discriminator (Shell, PowerShell, File).</summary>
    public abstract string Type { get; }
}
