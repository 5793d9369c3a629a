using static Kiln.Domain.Tests.Templates.TemplateCase;
using C = Kiln.Domain.Templates.ValidationCodes;
using F = Kiln.Domain.Tests.Templates.TemplateFixtures;

namespace Kiln.Domain.Tests.Templates;

/// <summary>Rows for what each api-version added (diff of the four swaggers).</summary>
public static class ApiVersionCases
{
    private const string D0 = "properties.distribute[0]";

    public static TheoryData<TemplateCase> Rows => new()
    {
        Good("minimal template, 2022-02-14", A14, "M"),
        Good("minimal template, 2022-07-01", A07, "M"),
        Good("minimal template, 2023-07-01", A23, "M"),
        Good("minimal template, 2024-02-01", A24, "M"),
        Good("every feature, 2024-02-01", A24, "F"),
        Good("2022-02-14 Standard_ZRS with replicationRegions", A14, "M", Str(D0 + ".storageAccountType", "Standard_ZRS")),
        Good("unknown future api-version gets the newest rules", "2099-01-01", "F"),

        Bad("optimize needs 2022-07-01", A14, "M", "properties.optimize", C.NotSupportedInApiVersion, Json("properties.optimize", """{"vmBoot":{"state":"Enabled"}}""")),
        Bad("targetRegions need 2022-07-01", A14, "M", D0 + ".targetRegions", C.NotSupportedInApiVersion, Json(D0 + ".targetRegions", """[{"name":"westus2"}]""")),
        Bad("versioning needs 2022-07-01", A14, "M", D0 + ".versioning", C.NotSupportedInApiVersion, Json(D0 + ".versioning", """{"scheme":"Latest"}""")),
        Bad("VHD uri needs 2022-07-01", A14, "M", "properties.distribute[2].uri", C.NotSupportedInApiVersion, Str("properties.distribute[2].uri", "https://sa.blob.core.windows.net/v/x.vhd")),
        Bad("Premium_LRS needs 2022-07-01", A14, "M", D0 + ".storageAccountType", C.InvalidValue, Str(D0 + ".storageAccountType", "Premium_LRS")),
        Bad("2022-02-14 requires replicationRegions", A14, "M", D0 + ".replicationRegions", C.MissingField, Del(D0 + ".replicationRegions")),
        Bad("2022-02-14 empty replicationRegions", A14, "M", D0 + ".replicationRegions", C.InvalidValue, Json(D0 + ".replicationRegions", "[]")),
        Bad("quickstart (targetRegions) under 2022-02-14", A14, "Q", D0 + ".targetRegions", C.NotSupportedInApiVersion),
        Bad("errorHandling needs 2023-07-01", A07, "M", "properties.errorHandling", C.NotSupportedInApiVersion, Json("properties.errorHandling", """{"onCustomizerError":"abort"}""")),
        Bad("autoRun needs 2024-02-01", A23, "M", "properties.autoRun", C.NotSupportedInApiVersion, Json("properties.autoRun", """{"state":"Enabled"}""")),
        Bad("managedResourceTags need 2024-02-01", A07, "M", "properties.managedResourceTags", C.NotSupportedInApiVersion, Json("properties.managedResourceTags", """{"a":"b"}""")),
        Bad("containerInstanceSubnetId needs 2024-02-01", A23, "M", "properties.vmProfile.vnetConfig.containerInstanceSubnetId", C.NotSupportedInApiVersion,
            Json("properties.vmProfile", T("""{"vnetConfig":{"subnetId":"@SUBNET@","containerInstanceSubnetId":"@SUBNET@2"}}"""))),
        Bad("every feature under 2023-07-01 (autoRun)", A23, "F", "properties.autoRun", C.NotSupportedInApiVersion),
        Bad("every feature under 2022-07-01 (errorHandling)", A07, "F", "properties.errorHandling", C.NotSupportedInApiVersion),
        Bad("a newer field in other casing is still too new", A14, "M", "properties.Optimize", C.NotSupportedInApiVersion, Json("properties.Optimize", """{"vmBoot":{"state":"Enabled"}}""")),
    };
}
