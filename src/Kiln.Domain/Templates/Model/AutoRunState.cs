namespace Kiln.Domain.Templates;

/// <summary><c>autoRun.state</c> (2024-02-01+): build on create/update when Enabled.</summary>
public enum AutoRunState
{
    Disabled,
    Enabled,
}
