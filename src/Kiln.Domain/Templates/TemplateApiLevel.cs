namespace Kiln.Domain.Templates;

/// <summary>
/// The imageTemplates api-versions Kiln speaks, oldest first, so "feature X needs at least
/// level Y" is a comparison. What each added (diff of the swaggers in
/// Azure/azure-rest-api-specs specification/imagebuilder/.../stable/*/imagebuilder.json):
/// 2022-07-01 optimize.vmBoot, targetRegions, versioning, VHD uri, File validator,
/// Premium_LRS, triggers (replicationRegions no longer required);
/// 2023-07-01 errorHandling; 2024-02-01 autoRun, managedResourceTags,
/// vnetConfig.containerInstanceSubnetId, and exact-case field names (unknown fields rejected).
/// </summary>
public enum TemplateApiLevel
{
    V2022_02_14 = 0,
    V2022_07_01 = 1,
    V2023_07_01 = 2,
    V2024_02_01 = 3,
}
