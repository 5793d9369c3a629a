using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kiln.Domain.Templates;

/// <summary>
/// Turns a PUT body into the typed <see cref="ImageTemplate"/> the pipeline consumes. Call it
/// only after <see cref="ImageTemplateValidator.Validate"/> returned no errors: field names
/// and enum values are matched case-insensitively (valid in every api-version), defaults are
/// filled in, read-only fields are dropped. A body that is not valid gives a
/// <see cref="FormatException"/> naming the field, never a partial template.
/// </summary>
public static class ImageTemplateParser
{
    public static ImageTemplate Parse(JsonObject resourceBody)
    {
        ArgumentNullException.ThrowIfNull(resourceBody);
        var props = Obj(resourceBody, "properties", "properties") ?? throw Invalid("properties", "is missing");
        var identity = Obj(resourceBody, "identity", "identity") ?? throw Invalid("identity", "is missing");
        var ids = Obj(identity, "userAssignedIdentities", "identity.userAssignedIdentities");
        if (ids is null || ids.Count != 1)
            throw Invalid("identity.userAssignedIdentities", "must hold exactly one identity");
        var validate = Obj(props, "validate", "properties.validate");
        var optimize = Obj(props, "optimize", "properties.optimize");
        var errorHandling = Obj(props, "errorHandling", "properties.errorHandling");
        return new ImageTemplate
        {
            Location = Str(resourceBody, "location", "location") ?? throw Invalid("location", "is missing"),
            Tags = Map(resourceBody, "tags"),
            Identity = new TemplateIdentity(ids.First().Key),
            Source = ParseSource(Obj(props, "source", "properties.source") ?? throw Invalid("properties.source", "is missing")),
            Customize = Items(props, "customize", "properties.customize").Select(o => ParseCustomizer(o.Item, o.Path)).ToList(),
            OptimizeVmBoot = Enum(Obj(optimize, "vmBoot", "properties.optimize.vmBoot"), "state", VmBootState.Disabled),
            Validate = validate is null ? null : new TemplateValidation(
                Bool(validate, "continueDistributeOnFailure"),
                Bool(validate, "sourceValidationOnly"),
                Items(validate, "inVMValidations", "properties.validate.inVMValidations").Select(o => ParseValidator(o.Item, o.Path)).ToList()),
            Distribute = Items(props, "distribute", "properties.distribute").Select(o => ParseDistributor(o.Item, o.Path)).ToList() is { Count: > 0 } d
                ? d : throw Invalid("properties.distribute", "is empty"),
            ErrorHandling = new TemplateErrorHandling(
                Enum(errorHandling, "onCustomizerError", OnBuildError.Cleanup),
                Enum(errorHandling, "onValidationError", OnBuildError.Cleanup)),
            BuildTimeoutInMinutes = (int)Int(props, "buildTimeoutInMinutes", "properties.buildTimeoutInMinutes", 0),
            VmProfile = ParseVmProfile(Obj(props, "vmProfile", "properties.vmProfile")),
            StagingResourceGroup = Str(props, "stagingResourceGroup", "properties.stagingResourceGroup") is { Length: > 0 } rg ? rg : null,
            AutoRun = Enum(Obj(props, "autoRun", "properties.autoRun"), "state", AutoRunState.Disabled),
            ManagedResourceTags = Map(props, "managedResourceTags"),
        };
    }

    private static ImageSource ParseSource(JsonObject s)
    {
        const string p = "properties.source";
        var type = Str(s, "type", p + ".type") ?? throw Invalid(p + ".type", "is missing");
        if (Is(type, "PlatformImage"))
        {
            var plan = Obj(s, "planInfo", p + ".planInfo");
            return new PlatformImageSource(
                Req(s, "publisher", p), Req(s, "offer", p), Req(s, "sku", p), Req(s, "version", p),
                plan is null ? null : new PlatformImagePlan(Req(plan, "planName", p + ".planInfo"), Req(plan, "planProduct", p + ".planInfo"), Req(plan, "planPublisher", p + ".planInfo")));
        }
        if (Is(type, "ManagedImage"))
            return new ManagedImageSource(Req(s, "imageId", p));
        if (Is(type, "SharedImageVersion"))
            return new SharedImageVersionSource(Req(s, "imageVersionId", p));
        throw Invalid(p + ".type", $"'{type}' is not a source type");
    }

    private static Customizer ParseCustomizer(JsonObject c, string p)
    {
        var type = Str(c, "type", p + ".type") ?? throw Invalid(p + ".type", "is missing");
        var name = Str(c, "name", p + ".name");
        if (Is(type, "Shell"))
            return new ShellCustomizer(name, NonEmpty(c, "scriptUri", p), Strings(c, "inline", p), Str(c, "sha256Checksum", p) ?? "");
        if (Is(type, "PowerShell"))
            return new PowerShellCustomizer(name, NonEmpty(c, "scriptUri", p), Strings(c, "inline", p), Str(c, "sha256Checksum", p) ?? "",
                Bool(c, "runElevated"), Bool(c, "runAsSystem"), ExitCodes(c, p));
        if (Is(type, "File"))
            return new FileCustomizer(name, Req(c, "sourceUri", p), Req(c, "destination", p), Str(c, "sha256Checksum", p) ?? "");
        if (Is(type, "WindowsRestart"))
        {
            var timeout = NonEmpty(c, "restartTimeout", p);
            return new WindowsRestartCustomizer(name, Str(c, "restartCommand", p), Str(c, "restartCheckCommand", p),
                timeout is null ? WindowsRestartCustomizer.DefaultRestartTimeout
                    : ScriptRules.ParseDuration(timeout) ?? throw Invalid(p + ".restartTimeout", $"'{timeout}' is not a duration"));
        }
        if (Is(type, "WindowsUpdate"))
            return new WindowsUpdateCustomizer(name, Str(c, "searchCriteria", p), Strings(c, "filters", p) ?? [], (int)Int(c, "updateLimit", p + ".updateLimit", 0));
        throw Invalid(p + ".type", $"'{type}' is not a customizer type");
    }

    private static InVmValidator ParseValidator(JsonObject c, string p)
    {
        var type = Str(c, "type", p + ".type") ?? throw Invalid(p + ".type", "is missing");
        var name = Str(c, "name", p + ".name");
        if (Is(type, "Shell"))
            return new ShellValidator(name, NonEmpty(c, "scriptUri", p), Strings(c, "inline", p), Str(c, "sha256Checksum", p) ?? "");
        if (Is(type, "PowerShell"))
            return new PowerShellValidator(name, NonEmpty(c, "scriptUri", p), Strings(c, "inline", p), Str(c, "sha256Checksum", p) ?? "",
                Bool(c, "runElevated"), Bool(c, "runAsSystem"), ExitCodes(c, p));
        if (Is(type, "File"))
            return new FileValidator(name, Req(c, "sourceUri", p), Req(c, "destination", p), Str(c, "sha256Checksum", p) ?? "");
        throw Invalid(p + ".type", $"'{type}' is not a validator type");
    }

    private static Distributor ParseDistributor(JsonObject d, string p)
    {
        var type = Str(d, "type", p + ".type") ?? throw Invalid(p + ".type", "is missing");
        var runOutputName = Req(d, "runOutputName", p);
        var tags = Map(d, "artifactTags");
        if (Is(type, "ManagedImage"))
            return new ManagedImageDistributor(runOutputName, tags, Req(d, "imageId", p), Req(d, "location", p));
        if (Is(type, "VHD"))
            return new VhdDistributor(runOutputName, tags, NonEmpty(d, "uri", p));
        if (!Is(type, "SharedImage"))
            throw Invalid(p + ".type", $"'{type}' is not a distributor type");
        var replication = Strings(d, "replicationRegions", p) ?? [];
        var storage = CanonicalStorage(Str(d, "storageAccountType", p));
        var regions = Items(d, "targetRegions", p + ".targetRegions")
            .Select(r => new TargetRegion(
                Req(r.Item, "name", r.Path),
                (int)Int(r.Item, "replicaCount", r.Path + ".replicaCount", 1),
                CanonicalStorage(Str(r.Item, "storageAccountType", r.Path)) ?? "Standard_LRS"))
            .ToList();
        var v = Obj(d, "versioning", p + ".versioning");
        DistributeVersioning? versioning = null;
        if (v is not null)
        {
            var scheme = Enum<VersioningScheme>(v, "scheme", null) ?? throw Invalid(p + ".versioning.scheme", "is missing");
            versioning = new DistributeVersioning(scheme, scheme == VersioningScheme.Latest ? (int)Int(v, "major", p + ".versioning.major", -1) : -1);
        }
        return new SharedImageDistributor(runOutputName, tags, Req(d, "galleryImageId", p), regions, replication,
            Bool(d, "excludeFromLatest"), storage, versioning);
    }

    private static TemplateVmProfile? ParseVmProfile(JsonObject? vm)
    {
        if (vm is null)
            return null;
        const string p = "properties.vmProfile";
        var vnet = Obj(vm, "vnetConfig", p + ".vnetConfig");
        return new TemplateVmProfile(
            Str(vm, "vmSize", p) ?? "",
            (int)Int(vm, "osDiskSizeGB", p + ".osDiskSizeGB", 0),
            Strings(vm, "userAssignedIdentities", p) ?? [],
            vnet is null ? null : new TemplateVnetConfig(
                NonEmpty(vnet, "subnetId", p + ".vnetConfig"),
                Str(vnet, "proxyVmSize", p + ".vnetConfig") ?? "",
                NonEmpty(vnet, "containerInstanceSubnetId", p + ".vnetConfig")));
    }

    // ---- small typed readers; any surprise is a FormatException naming the field ----

    private static FormatException Invalid(string path, string what) =>
        new($"Image template field {path} {what}; run ImageTemplateValidator.Validate first and parse only valid templates.");

    private static bool Is(string value, string kind) => value.Equals(kind, StringComparison.OrdinalIgnoreCase);

    private static JsonNode? Get(JsonObject? obj, string name) => obj is null ? null : RuleContext.Lookup(obj, name, anyCase: true);

    private static JsonObject? Obj(JsonObject? obj, string name, string path) => Get(obj, name) switch
    {
        null => null,
        JsonObject o => o,
        _ => throw Invalid(path, "is not an object"),
    };

    private static string? Str(JsonObject obj, string name, string path)
    {
        var node = Get(obj, name);
        if (node is null)
            return null;
        return node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : throw Invalid(RuleContext.Join(path, name), "is not a string");
    }

    private static string Req(JsonObject obj, string name, string path) =>
        NonEmpty(obj, name, path) ?? throw Invalid(RuleContext.Join(path, name), "is missing");

    private static string? NonEmpty(JsonObject obj, string name, string path) => Str(obj, name, path) is { Length: > 0 } s ? s : null;

    private static bool Bool(JsonObject obj, string name) => Get(obj, name)?.GetValueKind() == JsonValueKind.True;

    private static long Int(JsonObject obj, string name, string path, long fallback)
    {
        var node = Get(obj, name);
        return node is null ? fallback : IntOf(node, path);
    }

    private static T Enum<T>(JsonObject? obj, string name, T fallback) where T : struct, System.Enum =>
        Enum<T>(obj, name, (T?)null) ?? fallback;

    private static T? Enum<T>(JsonObject? obj, string name, T? fallback) where T : struct, System.Enum
    {
        if (obj is null || Get(obj, name) is not { } node)
            return fallback;
        if (node.GetValueKind() == JsonValueKind.String && System.Enum.TryParse<T>(node.GetValue<string>(), ignoreCase: true, out var value)
            && System.Enum.IsDefined(value) && !node.GetValue<string>().Any(char.IsAsciiDigit))
            return value;
        throw Invalid(name, $"'{node.ToJsonString()}' is not one of {string.Join(", ", System.Enum.GetNames<T>())}");
    }

    private static string? CanonicalStorage(string? s) => s switch
    {
        null or "" => null,
        _ when Is(s, "Standard_LRS") => "Standard_LRS",
        _ when Is(s, "Standard_ZRS") => "Standard_ZRS",
        _ when Is(s, "Premium_LRS") => "Premium_LRS",
        _ => throw Invalid("storageAccountType", $"'{s}' is not a storage account type"),
    };

    private static List<string>? Strings(JsonObject obj, string name, string path)
    {
        var node = Get(obj, name);
        if (node is null)
            return null;
        if (node is not JsonArray arr)
            throw Invalid(RuleContext.Join(path, name), "is not a list");
        return arr.Select((n, i) => n?.GetValueKind() == JsonValueKind.String ? n.GetValue<string>()
            : throw Invalid(RuleContext.Index(RuleContext.Join(path, name), i), "is not a string")).ToList();
    }

    private static List<int> ExitCodes(JsonObject obj, string path)
    {
        var node = Get(obj, "validExitCodes");
        if (node is null)
            return [0];
        if (node is not JsonArray arr)
            throw Invalid(path + ".validExitCodes", "is not a list");
        return arr.Select((n, i) => n is null ? throw Invalid(RuleContext.Index(path + ".validExitCodes", i), "is null")
            : (int)IntOf(n, RuleContext.Index(path + ".validExitCodes", i))).ToList();
    }

    private static long IntOf(JsonNode n, string path) =>
        n.GetValueKind() == JsonValueKind.Number && decimal.TryParse(n.ToJsonString(), System.Globalization.NumberStyles.Float,
            System.Globalization.CultureInfo.InvariantCulture, out var d) && d == decimal.Truncate(d) && d is >= int.MinValue and <= int.MaxValue
            ? (long)d : throw Invalid(path, "is not a 32-bit integer");

    private static IEnumerable<(JsonObject Item, string Path)> Items(JsonObject obj, string name, string path)
    {
        var node = Get(obj, name);
        if (node is null)
            yield break;
        if (node is not JsonArray arr)
            throw Invalid(path, "is not a list");
        for (var i = 0; i < arr.Count; i++)
            yield return (arr[i] as JsonObject ?? throw Invalid(RuleContext.Index(path, i), "is not an object"), RuleContext.Index(path, i));
    }

    private static Dictionary<string, string> Map(JsonObject obj, string name)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Get(obj, name) is not JsonObject map)
            return result;
        foreach (var (key, value) in map)
        {
            if (value?.GetValueKind() == JsonValueKind.String)
                result[key] = value.GetValue<string>();
        }
        return result;
    }
}
