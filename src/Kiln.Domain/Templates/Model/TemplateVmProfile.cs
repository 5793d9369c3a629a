namespace Kiln.Domain.Templates;

/// <summary><c>properties.vmProfile</c>. Empty <see cref="VmSize"/> and 0 <see cref="OsDiskSizeGB"/> mean "default".</summary>
public sealed record TemplateVmProfile(
    string VmSize,
    int OsDiskSizeGB,
    IReadOnlyList<string> UserAssignedIdentities,
    TemplateVnetConfig? VnetConfig);
