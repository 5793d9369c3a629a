using System.Text.Json.Nodes;

namespace Kiln.Domain.Templates;

/// <summary>
/// <c>properties</c>: which fields exist in which api-version, the scalar settings
/// (optimize, buildTimeoutInMinutes, vmProfile, stagingResourceGroup, errorHandling, autoRun,
/// managedResourceTags) and the hand-off to the source/customize/validate/distribute rules.
/// </summary>
internal static class PropertiesRules
{
    private const string P = "properties";

    private static readonly FieldSet Fields = new(
        FieldSet.Base("source", "customize", "validate", "distribute", "buildTimeoutInMinutes", "vmProfile", "stagingResourceGroup")
            .Append(("optimize", TemplateApiLevel.V2022_07_01))
            .Append(("errorHandling", TemplateApiLevel.V2023_07_01))
            .Append(("autoRun", TemplateApiLevel.V2024_02_01))
            .Append(("managedResourceTags", TemplateApiLevel.V2024_02_01)),
        "provisioningState", "provisioningError", "lastRunStatus", "exactStagingResourceGroup");

    private static readonly FieldSet OptimizeFields = new(FieldSet.Base("vmBoot"));
    private static readonly FieldSet StateFields = new(FieldSet.Base("state"));
    private static readonly FieldSet ErrorHandlingFields = new(FieldSet.Base("onCustomizerError", "onValidationError"));
    private static readonly FieldSet ValidateFields = new(FieldSet.Base("continueDistributeOnFailure", "sourceValidationOnly", "inVMValidations"));
    private static readonly FieldSet VmProfileFields = new(FieldSet.Base("vmSize", "osDiskSizeGB", "userAssignedIdentities", "vnetConfig"));
    private static readonly FieldSet VnetFields = new(
        FieldSet.Base("subnetId", "proxyVmSize").Append(("containerInstanceSubnetId", TemplateApiLevel.V2024_02_01)));

    public static void Check(RuleContext ctx, JsonObject props)
    {
        ctx.CheckFields(props, P, Fields);

        var source = SourceRules.Check(ctx, props);
        var customize = ctx.Array(props, "customize", P, hint: "use a list of customizer objects");
        if (customize is not null)
            ScriptRules.CheckCustomizers(ctx, customize, RuleContext.Join(P, "customize"));
        CheckValidate(ctx, props);
        DistributorRules.Check(ctx, props, source);

        CheckOptimize(ctx, props);
        ctx.Integer(props, "buildTimeoutInMinutes", P, 0, 960, "use 0 (default, 240 minutes) to 960 (16 hours)");
        CheckVmProfile(ctx, props);
        CheckStagingResourceGroup(ctx, props);
        CheckErrorHandling(ctx, props);
        if (ctx.Level >= TemplateApiLevel.V2024_02_01)
        {
            CheckState(ctx, props, "autoRun");
            ctx.StringMap(props, "managedResourceTags", P, maxEntries: 50, maxKey: 512, maxValue: 256);
        }
    }

    private static void CheckOptimize(RuleContext ctx, JsonObject props)
    {
        if (ctx.Level < TemplateApiLevel.V2022_07_01)
            return; // reported by CheckFields
        var optimize = ctx.Object(props, "optimize", P, hint: "use {\"vmBoot\": {\"state\": \"Enabled\"}}");
        if (optimize is null)
            return;
        var path = RuleContext.Join(P, "optimize");
        ctx.CheckFields(optimize, path, OptimizeFields);
        CheckState(ctx, optimize, "vmBoot", path);
    }

    /// <summary>An object of the form {"state": "Enabled"|"Disabled"} (optimize.vmBoot, autoRun).</summary>
    private static void CheckState(RuleContext ctx, JsonObject parent, string name, string path = P)
    {
        var obj = ctx.Object(parent, name, path, hint: "use {\"state\": \"Enabled\"} or {\"state\": \"Disabled\"}");
        if (obj is null)
            return;
        var objPath = RuleContext.Join(path, name);
        ctx.CheckFields(obj, objPath, StateFields);
        ctx.Enum(obj, "state", objPath, ["Enabled", "Disabled"]);
    }

    private static void CheckValidate(RuleContext ctx, JsonObject props)
    {
        var validate = ctx.Object(props, "validate", P, hint: "use {\"inVMValidations\": [...]}");
        if (validate is null)
            return;
        var path = RuleContext.Join(P, "validate");
        ctx.CheckFields(validate, path, ValidateFields);
        ctx.Bool(validate, "continueDistributeOnFailure", path);
        ctx.Bool(validate, "sourceValidationOnly", path);
        var list = ctx.Array(validate, "inVMValidations", path, hint: "use a list of validator objects");
        if (list is not null)
            ScriptRules.CheckValidators(ctx, list, RuleContext.Join(path, "inVMValidations"));
    }

    internal static void CheckVmProfile(RuleContext ctx, JsonObject props)
    {
        var vm = ctx.Object(props, "vmProfile", P, hint: "use {\"vmSize\": \"Standard_D2ds_v4\", \"osDiskSizeGB\": 0}");
        if (vm is null)
            return;
        var path = RuleContext.Join(P, "vmProfile");
        ctx.CheckFields(vm, path, VmProfileFields);
        var size = ctx.String(vm, "vmSize", path);
        if (size is not null)
            CheckVmSize(ctx, size, RuleContext.Join(path, "vmSize"));
        // 4095 GB is Azure's largest OS disk; 0 keeps the source image's size.
        ctx.Integer(vm, "osDiskSizeGB", path, 0, 4095, "use 0 (keep the source size) to 4095 GB");
        var ids = ctx.Array(vm, "userAssignedIdentities", path, hint: "use a list of user-assigned identity resource ids");
        if (ids is not null)
        {
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var idsPath = RuleContext.Join(path, "userAssignedIdentities");
            for (var i = 0; i < ids.Count && i < 100; i++)
            {
                var t = RuleContext.Index(idsPath, i);
                if (ids[i] is not JsonValue v || v.GetValueKind() != System.Text.Json.JsonValueKind.String)
                {
                    ctx.Fail(ValidationCodes.InvalidType, t, $"must be a string (an identity resource id), not {RuleContext.KindOf(ids[i])}.");
                    continue;
                }
                var id = ctx.ResourceId(v.GetValue<string>(), t, TemplateArmIds.UserAssignedIdentity);
                if (id is not null && !seen.Add(id.Canonical))
                    ctx.Fail(ValidationCodes.Duplicate, t, "lists the same identity twice: remove the duplicate.");
            }
            if (ids.Count > 100)
                ctx.Fail(ValidationCodes.OutOfRange, idsPath, $"has {ids.Count} entries: at most 100 are allowed.");
        }
        var vnet = ctx.Object(vm, "vnetConfig", path, hint: "use {\"subnetId\": \"<subnet resource id>\"}");
        if (vnet is null)
            return;
        var vnetPath = RuleContext.Join(path, "vnetConfig");
        ctx.CheckFields(vnet, vnetPath, VnetFields);
        TemplateResourceId? subnet = null;
        var subnetText = ctx.String(vnet, "subnetId", vnetPath);
        if (!string.IsNullOrEmpty(subnetText))
            subnet = ctx.ResourceId(subnetText, RuleContext.Join(vnetPath, "subnetId"), TemplateArmIds.Subnet);
        var proxy = ctx.String(vnet, "proxyVmSize", vnetPath);
        if (!string.IsNullOrEmpty(proxy))
            CheckVmSize(ctx, proxy, RuleContext.Join(vnetPath, "proxyVmSize"));
        if (ctx.Level < TemplateApiLevel.V2024_02_01)
            return;
        var aciText = ctx.String(vnet, "containerInstanceSubnetId", vnetPath);
        if (string.IsNullOrEmpty(aciText))
            return;
        var aciTarget = RuleContext.Join(vnetPath, "containerInstanceSubnetId");
        var aci = ctx.ResourceId(aciText, aciTarget, TemplateArmIds.Subnet);
        if (string.IsNullOrEmpty(subnetText))
            ctx.Fail(ValidationCodes.Conflict, aciTarget, "needs vnetConfig.subnetId too: set subnetId to the build VM's subnet in the same virtual network.");
        else if (aci is not null && subnet is not null && !aci.AncestorId(1).Equals(subnet.AncestorId(1), StringComparison.OrdinalIgnoreCase))
            ctx.Fail(ValidationCodes.Conflict, aciTarget, "must be in the same virtual network as vnetConfig.subnetId.");
        if (!string.IsNullOrEmpty(proxy))
            ctx.Fail(ValidationCodes.Conflict, RuleContext.Join(vnetPath, "proxyVmSize"),
                "must not be set together with containerInstanceSubnetId (isolated builds use no proxy VM): remove proxyVmSize.");
    }

    private static void CheckVmSize(RuleContext ctx, string size, string target)
    {
        if (size.Length > 64 || !size.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            ctx.Fail(ValidationCodes.InvalidValue, target,
                $"'{ImageTemplateNames.Printable(size)}' is not a VM size: use a name like \"Standard_D2ds_v4\" (letters, digits, '_', '-'), or \"\" for the default.");
    }

    private static void CheckStagingResourceGroup(RuleContext ctx, JsonObject props)
    {
        var rg = ctx.String(props, "stagingResourceGroup", P);
        if (string.IsNullOrEmpty(rg))
            return; // empty: the service creates IT_<rg>_<template>_<guid>
        ctx.ResourceId(rg, RuleContext.Join(P, "stagingResourceGroup"), TemplateArmIds.ResourceGroup);
    }

    private static void CheckErrorHandling(RuleContext ctx, JsonObject props)
    {
        if (ctx.Level < TemplateApiLevel.V2023_07_01)
            return;
        var eh = ctx.Object(props, "errorHandling", P, hint: "use {\"onCustomizerError\": \"cleanup\", \"onValidationError\": \"cleanup\"}");
        if (eh is null)
            return;
        var path = RuleContext.Join(P, "errorHandling");
        ctx.CheckFields(eh, path, ErrorHandlingFields);
        ctx.Enum(eh, "onCustomizerError", path, ["cleanup", "abort"]);
        ctx.Enum(eh, "onValidationError", path, ["cleanup", "abort"]);
    }
}
