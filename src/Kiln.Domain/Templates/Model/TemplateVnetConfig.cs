namespace Kiln.Domain.Templates;

/// <summary><c>vmProfile.vnetConfig</c>; <see cref="ContainerInstanceSubnetId"/> is 2024-02-01+.</summary>
public sealed record TemplateVnetConfig(string? SubnetId, string ProxyVmSize, string? ContainerInstanceSubnetId);
