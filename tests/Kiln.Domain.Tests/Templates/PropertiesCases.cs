using static Kiln.Domain.Tests.Templates.TemplateCase;
using C = Kiln.Domain.Templates.ValidationCodes;
using F = Kiln.Domain.Tests.Templates.TemplateFixtures;

namespace Kiln.Domain.Tests.Templates;

/// <summary>Rows for the scalar properties: optimize, buildTimeoutInMinutes, vmProfile, stagingResourceGroup, errorHandling, autoRun.</summary>
public static class PropertiesCases
{
    private const string P = "properties";
    private const string Vm = "properties.vmProfile";
    private const string Vnet = "properties.vmProfile.vnetConfig";

    public static TheoryData<TemplateCase> Rows => new()
    {
        Good("optimize vmBoot Enabled", A07, "Q", Json(P + ".optimize", """{"vmBoot":{"state":"Enabled"}}""")),
        Good("optimize vmBoot Disabled", A07, "Q", Json(P + ".optimize", """{"vmBoot":{"state":"Disabled"}}""")),
        Good("optimize state in lower case before 2024-02-01", A07, "Q", Json(P + ".optimize", """{"vmBoot":{"state":"enabled"}}""")),
        Good("optimize key VmBoot before 2024-02-01", A07, "Q", Json(P + ".optimize", """{"VmBoot":{"state":"Enabled"}}""")),
        Good("buildTimeoutInMinutes 0 (default)", A07, "Q", Json(P + ".buildTimeoutInMinutes", "0")),
        Good("buildTimeoutInMinutes 960", A07, "Q", Json(P + ".buildTimeoutInMinutes", "960")),
        Good("buildTimeoutInMinutes written 1.2e2", A07, "Q", Json(P + ".buildTimeoutInMinutes", "1.2e2")),
        Good("vmProfile with everything before 2024-02-01", A07, "Q",
            Json(Vm, T("""{"vmSize":"Standard_D2ds_v4","osDiskSizeGB":0,"userAssignedIdentities":["@ID@"],"vnetConfig":{"subnetId":"@SUBNET@","proxyVmSize":"Standard_A1_v2"}}"""))),
        Good("vmSize empty means default", A07, "Q", Json(Vm, """{"vmSize":""}""")),
        Good("stagingResourceGroup empty", A07, "Q", Str(P + ".stagingResourceGroup", "")),
        Good("stagingResourceGroup id", A07, "Q", Str(P + ".stagingResourceGroup", $"/subscriptions/{F.Sub}/resourceGroups/IT_aibRg_t_(1)")),
        Good("read-only properties echoed back", A24, "Q", Str(P + ".provisioningState", "Succeeded"),
            Json(P + ".lastRunStatus", """{"runState":"Failed"}"""), Str(P + ".exactStagingResourceGroup", "x"),
            Json(P + ".provisioningError", """{"provisioningErrorCode":"Other","message":"m"}""")),
        Good("unknown properties ignored before 2024-02-01", A07, "Q", Json(P + ".buildVm", "{}")),
        Good("errorHandling abort/cleanup", A23, "Q", Json(P + ".errorHandling", """{"onCustomizerError":"abort","onValidationError":"cleanup"}""")),
        Good("autoRun Enabled and managedResourceTags", A24, "Q", Json(P + ".autoRun", """{"state":"Enabled"}"""), Json(P + ".managedResourceTags", """{"a":"b"}""")),
        Good("containerInstanceSubnetId in the same vnet", A24, "Q",
            Json(Vm, T("""{"vnetConfig":{"subnetId":"@SUBNET@","containerInstanceSubnetId":"@SUBNET@-aci"}}"""))),

        Bad("optimize is a string", A07, "Q", P + ".optimize", C.InvalidType, Str(P + ".optimize", "Enabled")),
        Bad("optimize list (the docs' skeleton shows [])", A07, "Q", P + ".optimize", C.InvalidType, Json(P + ".optimize", "[]")),
        Bad("vmBoot state On", A07, "Q", P + ".optimize.vmBoot.state", C.InvalidValue, Json(P + ".optimize", """{"vmBoot":{"state":"On"}}""")),
        Bad("vmBoot state true", A07, "Q", P + ".optimize.vmBoot.state", C.InvalidType, Json(P + ".optimize", """{"vmBoot":{"state":true}}""")),
        Bad("vmBoot is a string", A07, "Q", P + ".optimize.vmBoot", C.InvalidType, Json(P + ".optimize", """{"vmBoot":"Enabled"}""")),
        Bad("vmBoot state lower case under 2024-02-01", A24, "Q", P + ".optimize.vmBoot.state", C.InvalidValue, Json(P + ".optimize", """{"vmBoot":{"state":"enabled"}}""")),
        Bad("optimize key VMBoot under 2024-02-01", A24, "Q", P + ".optimize.VMBoot", C.UnknownField, Json(P + ".optimize", """{"VMBoot":{"state":"Enabled"}}""")),
        Bad("buildTimeoutInMinutes -1", A07, "Q", P + ".buildTimeoutInMinutes", C.OutOfRange, Json(P + ".buildTimeoutInMinutes", "-1")),
        Bad("buildTimeoutInMinutes 961", A07, "Q", P + ".buildTimeoutInMinutes", C.OutOfRange, Json(P + ".buildTimeoutInMinutes", "961")),
        Bad("buildTimeoutInMinutes 60.5", A07, "Q", P + ".buildTimeoutInMinutes", C.InvalidType, Json(P + ".buildTimeoutInMinutes", "60.5")),
        Bad("buildTimeoutInMinutes as a string", A07, "Q", P + ".buildTimeoutInMinutes", C.InvalidType, Str(P + ".buildTimeoutInMinutes", "60")),
        Bad("buildTimeoutInMinutes huge", A07, "Q", P + ".buildTimeoutInMinutes", C.OutOfRange, Json(P + ".buildTimeoutInMinutes", "1e400")),
        Bad("vmProfile is a string", A07, "Q", Vm, C.InvalidType, Str(Vm, "Standard_D2ds_v4")),
        Bad("vmSize with a space", A07, "Q", Vm + ".vmSize", C.InvalidValue, Json(Vm, """{"vmSize":"Standard D2"}""")),
        Bad("vmSize a number", A07, "Q", Vm + ".vmSize", C.InvalidType, Json(Vm, """{"vmSize":2}""")),
        Bad("osDiskSizeGB negative", A07, "Q", Vm + ".osDiskSizeGB", C.OutOfRange, Json(Vm, """{"osDiskSizeGB":-1}""")),
        Bad("osDiskSizeGB beyond 4095", A07, "Q", Vm + ".osDiskSizeGB", C.OutOfRange, Json(Vm, """{"osDiskSizeGB":5000}""")),
        Bad("osDiskSizeGB as a string", A07, "Q", Vm + ".osDiskSizeGB", C.InvalidType, Json(Vm, """{"osDiskSizeGB":"30"}""")),
        Bad("VM identities as a string", A07, "Q", Vm + ".userAssignedIdentities", C.InvalidType, Json(Vm, T("""{"userAssignedIdentities":"@ID@"}"""))),
        Bad("VM identity a number", A07, "Q", Vm + ".userAssignedIdentities[0]", C.InvalidType, Json(Vm, """{"userAssignedIdentities":[5]}""")),
        Bad("VM identity of another type", A07, "Q", Vm + ".userAssignedIdentities[0]", C.InvalidResourceId, Json(Vm, T("""{"userAssignedIdentities":["@IMG@"]}"""))),
        Bad("VM identity twice", A07, "Q", Vm + ".userAssignedIdentities[1]", C.Duplicate,
            Json(Vm, T("""{"userAssignedIdentities":["@ID@","@ID@"]}""".Replace("aibIdentity\"]", "AIBIDENTITY\"]")))),
        Bad("subnetId names a virtual network", A07, "Q", Vnet + ".subnetId", C.InvalidResourceId,
            Json(Vm, T("""{"vnetConfig":{"subnetId":"/subscriptions/@SUB@/resourceGroups/netRg/providers/Microsoft.Network/virtualNetworks/vnet1"}}"""))),
        Bad("proxyVmSize with a space", A07, "Q", Vnet + ".proxyVmSize", C.InvalidValue, Json(Vm, """{"vnetConfig":{"proxyVmSize":"a b"}}""")),
        Bad("stagingResourceGroup is a bare name", A07, "Q", P + ".stagingResourceGroup", C.InvalidResourceId, Str(P + ".stagingResourceGroup", "myStagingRg")),
        Bad("stagingResourceGroup names a resource", A07, "Q", P + ".stagingResourceGroup", C.InvalidResourceId, Str(P + ".stagingResourceGroup", F.ManagedImage)),
        Bad("stagingResourceGroup name ending in '.'", A07, "Q", P + ".stagingResourceGroup", C.InvalidResourceId,
            Str(P + ".stagingResourceGroup", $"/subscriptions/{F.Sub}/resourceGroups/staging.")),
        Bad("stagingResourceGroup a number", A07, "Q", P + ".stagingResourceGroup", C.InvalidType, Json(P + ".stagingResourceGroup", "1")),
        Bad("onCustomizerError stop", A23, "Q", P + ".errorHandling.onCustomizerError", C.InvalidValue, Json(P + ".errorHandling", """{"onCustomizerError":"stop"}""")),
        Bad("errorHandling a string", A23, "Q", P + ".errorHandling", C.InvalidType, Str(P + ".errorHandling", "abort")),
        Bad("unknown property under 2024-02-01", A24, "Q", P + ".buildVm", C.UnknownField, Json(P + ".buildVm", "{}")),
        Bad("autoRun state Yes", A24, "Q", P + ".autoRun.state", C.InvalidValue, Json(P + ".autoRun", """{"state":"Yes"}""")),
        Bad("managedResourceTags a list", A24, "Q", P + ".managedResourceTags", C.InvalidType, Json(P + ".managedResourceTags", "[]")),
        Bad("containerInstanceSubnetId without subnetId", A24, "Q", Vnet + ".containerInstanceSubnetId", C.Conflict,
            Json(Vm, T("""{"vnetConfig":{"containerInstanceSubnetId":"@SUBNET@"}}"""))),
        Bad("containerInstanceSubnetId in another vnet", A24, "Q", Vnet + ".containerInstanceSubnetId", C.Conflict,
            Json(Vm, T("""{"vnetConfig":{"subnetId":"@SUBNET@","containerInstanceSubnetId":"@SUBNET2@"}}""").Replace("@SUBNET2@", F.Subnet.Replace("vnet1", "vnet2")))),
        Bad("containerInstanceSubnetId with proxyVmSize", A24, "Q", Vnet + ".proxyVmSize", C.Conflict,
            Json(Vm, T("""{"vnetConfig":{"subnetId":"@SUBNET@","containerInstanceSubnetId":"@SUBNET@2","proxyVmSize":"Standard_A1_v2"}}"""))),
    };
}
