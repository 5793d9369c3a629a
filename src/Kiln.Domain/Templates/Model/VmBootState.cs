namespace Kiln.Domain.Templates;

/// <summary><c>optimize.vmBoot.state</c>.</summary>
public enum VmBootState
{
    Disabled,
    Enabled,
}
