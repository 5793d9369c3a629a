using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Kiln.Domain.Templates;

/// <summary>
/// <c>properties.distribute[]</c>: the three kinds, runOutputName pattern and uniqueness, and
/// the gallery rules (target regions, versioning, source and target definitions differ).
/// </summary>
internal static partial class DistributorRules
{
    private const string Path = "properties.distribute";
    public static readonly string[] Kinds = ["ManagedImage", "SharedImage", "VHD"];
    private const int MaxDistributors = 50;

    private static readonly FieldSet ManagedFields = new(FieldSet.Base("type", "runOutputName", "artifactTags", "imageId", "location"));
    private static readonly FieldSet SharedFields = new(
        FieldSet.Base("type", "runOutputName", "artifactTags", "galleryImageId", "replicationRegions", "excludeFromLatest", "storageAccountType")
            .Append(("targetRegions", TemplateApiLevel.V2022_07_01))
            .Append(("versioning", TemplateApiLevel.V2022_07_01)));
    private static readonly FieldSet VhdFields = new(
        FieldSet.Base("type", "runOutputName", "artifactTags").Append(("uri", TemplateApiLevel.V2022_07_01)));
    private static readonly FieldSet RegionFields = new(FieldSet.Base("name", "replicaCount", "storageAccountType"));
    private static readonly FieldSet LatestFields = new(FieldSet.Base("scheme", "major"));
    private static readonly FieldSet SourceSchemeFields = new(FieldSet.Base("scheme"));

    public static void Check(RuleContext ctx, JsonObject props, SourceRules.Info? source, bool required = true)
    {
        var list = ctx.Array(props, "distribute", "properties", required: required,
            hint: "give at least one target, e.g. [{\"type\": \"SharedImage\", \"galleryImageId\": ..., \"runOutputName\": ...}]");
        if (list is null)
            return;
        if (list.Count == 0)
        {
            ctx.Fail(ValidationCodes.InvalidValue, Path, "is empty: give at least one distribution target (ManagedImage, SharedImage or VHD).");
            return;
        }
        if (list.Count > MaxDistributors)
            ctx.Fail(ValidationCodes.OutOfRange, Path, $"has {list.Count} entries: at most {MaxDistributors} are allowed.");
        var kindList = string.Join(", ", Kinds.Select(k => "'" + k + "'"));
        var runOutputs = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < list.Count && i < MaxDistributors; i++)
        {
            var itemPath = RuleContext.Index(Path, i);
            if (list[i] is not JsonObject item)
            {
                ctx.Fail(ValidationCodes.InvalidType, itemPath, $"must be a distributor object, not {RuleContext.KindOf(list[i])}.");
                continue;
            }
            CheckRunOutputName(ctx, item, itemPath, i, runOutputs);
            ctx.StringMap(item, "artifactTags", itemPath, maxEntries: 50, maxKey: 512, maxValue: 256);
            var type = ctx.String(item, "type", itemPath, required: true, hint: "use one of " + kindList);
            if (type is null)
                continue;
            var kind = ctx.Kind(type, itemPath + ".type", Kinds, "distributor");
            if (kind is null)
                continue;
            switch (kind)
            {
                case "ManagedImage":
                    ctx.CheckFields(item, itemPath, ManagedFields);
                    var imageId = ctx.String(item, "imageId", itemPath, required: true,
                        hint: "give the id of the image to create, " + TemplateArmIds.ExampleOf(TemplateArmIds.ManagedImage));
                    if (imageId is not null)
                        ctx.ResourceId(imageId, itemPath + ".imageId", TemplateArmIds.ManagedImage);
                    var location = ctx.String(item, "location", itemPath, required: true, hint: "give the region of the image, e.g. \"eastus\"");
                    if (location is not null)
                        EnvelopeRules.CheckLocation(ctx, location, itemPath + ".location");
                    break;
                case "SharedImage":
                    ctx.CheckFields(item, itemPath, SharedFields);
                    CheckShared(ctx, item, itemPath, source);
                    break;
                default:
                    ctx.CheckFields(item, itemPath, VhdFields);
                    if (ctx.Level >= TemplateApiLevel.V2022_07_01)
                    {
                        var uri = ctx.String(item, "uri", itemPath);
                        // file:// names a path on the Kiln host: the self-hosted counterpart of a blob URL.
                        if (!string.IsNullOrEmpty(uri) && (!Uri.TryCreate(uri, UriKind.Absolute, out var u)
                                || !((u.Scheme is "https" or "http" && u.Host.Length > 0) || (u.IsFile && !u.IsUnc))))
                            ctx.Fail(ValidationCodes.InvalidValue, itemPath + ".uri",
                                $"'{ImageTemplateNames.Printable(uri)}' is not an http(s) blob URL or file:// path: use e.g. \"https://account.blob.core.windows.net/vhds/image.vhd\" or \"file:///srv/images/image.vhd\", or omit it to use the staging storage.");
                    }
                    break;
            }
        }
    }

    private static void CheckRunOutputName(RuleContext ctx, JsonObject item, string itemPath, int index, Dictionary<string, int> seen)
    {
        var name = ctx.String(item, "runOutputName", itemPath, required: true,
            hint: "give each distribution target a unique name of 1-64 letters, digits, '-', '_' or '.'");
        if (name is null)
            return;
        var target = itemPath + ".runOutputName";
        if (!RunOutputName().IsMatch(name))
        {
            ctx.Fail(ValidationCodes.InvalidValue, target, $"'{ImageTemplateNames.Printable(name)}' is invalid: use 1-64 letters, digits, '-', '_' or '.'.");
            return;
        }
        if (seen.TryGetValue(name, out var first))
            ctx.Fail(ValidationCodes.Duplicate, target, $"'{name}' is already used by properties.distribute[{first}]: each runOutputName must be unique in the template.");
        else
            seen[name] = index;
    }

    private static void CheckShared(RuleContext ctx, JsonObject item, string path, SourceRules.Info? source)
    {
        var galleryText = ctx.String(item, "galleryImageId", path, required: true,
            hint: "give the image definition id, " + TemplateArmIds.ExampleOf(TemplateArmIds.GalleryImage));
        TemplateResourceId? gallery = null;
        var target = path + ".galleryImageId";
        if (galleryText is not null)
        {
            // Either a definition (auto-versioned) or a version id (explicit version).
            var isVersion = TemplateResourceId.TryParse(galleryText, out var parsed, out _) && parsed!.IsOfType(TemplateArmIds.GalleryImageVersion);
            gallery = ctx.ResourceId(galleryText, target, isVersion ? TemplateArmIds.GalleryImageVersion : TemplateArmIds.GalleryImage);
        }
        var explicitVersion = gallery is not null && gallery.Types.Count == 3;

        var hasReplication = ctx.Get(item, "replicationRegions") is not null;
        var replication = ScriptRules.StringList(ctx, item, "replicationRegions", path, allowEmptyItems: false);
        if (replication is not null)
        {
            for (var i = 0; i < replication.Count; i++)
                EnvelopeRules.CheckLocation(ctx, replication[i], RuleContext.Index(path + ".replicationRegions", i));
            DuplicateRegions(ctx, replication, path + ".replicationRegions");
        }
        if (ctx.Level < TemplateApiLevel.V2022_07_01)
        {
            if (!hasReplication)
                ctx.Fail(ValidationCodes.MissingField, path + ".replicationRegions",
                    $"is required in api-version {ctx.ApiVersion}: list the regions to replicate to (including the gallery's), or use api-version 2022-07-01+ with targetRegions.");
            else if (replication is not null && replication.Count == 0)
                ctx.Fail(ValidationCodes.InvalidValue, path + ".replicationRegions", "is empty: list at least the gallery's region.");
        }
        ctx.Bool(item, "excludeFromLatest", path);
        var storageTypes = StorageTypes(ctx.Level);
        var storage = ctx.Enum(item, "storageAccountType", path, storageTypes);
        if (ctx.Level < TemplateApiLevel.V2022_07_01)
            return;

        var hasTargets = ctx.Get(item, "targetRegions") is not null;
        if (hasTargets && hasReplication)
            ctx.Fail(ValidationCodes.Conflict, path + ".replicationRegions",
                "cannot be combined with targetRegions: replicationRegions is deprecated, move its regions into targetRegions and remove it.");
        if (storage is not null && !hasReplication)
            ctx.Fail(ValidationCodes.Conflict, path + ".storageAccountType",
                "can only be set together with replicationRegions (both deprecated): set storageAccountType on each targetRegions entry instead.");
        CheckTargetRegions(ctx, item, path, storageTypes);
        CheckVersioning(ctx, item, path, explicitVersion, source);

        if (gallery is not null && source?.GalleryVersionId is { } src
            && src.AncestorId(2).Equals(gallery.AncestorId(2), StringComparison.OrdinalIgnoreCase))
            ctx.Fail(ValidationCodes.Conflict, target,
                "is the same image definition as properties.source.imageVersionId: distribute to a different image definition than the one you build from.");
    }

    private static void CheckTargetRegions(RuleContext ctx, JsonObject item, string path, IReadOnlyList<string> storageTypes)
    {
        var regions = ctx.Array(item, "targetRegions", path, hint: "use [{\"name\": \"eastus\", \"replicaCount\": 1, \"storageAccountType\": \"Standard_LRS\"}]");
        if (regions is null)
            return;
        var listPath = path + ".targetRegions";
        if (regions.Count > 100)
            ctx.Fail(ValidationCodes.OutOfRange, listPath, $"has {regions.Count} entries: at most 100 are allowed.");
        var names = new List<string>();
        for (var i = 0; i < regions.Count && i < 100; i++)
        {
            var rPath = RuleContext.Index(listPath, i);
            if (regions[i] is not JsonObject region)
            {
                ctx.Fail(ValidationCodes.InvalidType, rPath, $"must be an object like {{\"name\": \"eastus\"}}, not {RuleContext.KindOf(regions[i])}.");
                continue;
            }
            ctx.CheckFields(region, rPath, RegionFields);
            var name = ctx.String(region, "name", rPath, required: true, hint: "give the region name, e.g. \"eastus\"");
            if (name is not null)
            {
                EnvelopeRules.CheckLocation(ctx, name, rPath + ".name");
                names.Add(name);
            }
            ctx.Integer(region, "replicaCount", rPath, 1, 100, "use 1 to 100 replicas (default 1)");
            ctx.Enum(region, "storageAccountType", rPath, storageTypes);
        }
        DuplicateRegions(ctx, names, listPath);
    }

    private static void DuplicateRegions(RuleContext ctx, List<string> names, string listPath)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < names.Count; i++)
        {
            if (!seen.Add(names[i].Replace(" ", "", StringComparison.Ordinal)))
                ctx.Fail(ValidationCodes.Duplicate, listPath, $"lists region '{ImageTemplateNames.Printable(names[i])}' twice: give each region once.");
        }
    }

    private static void CheckVersioning(RuleContext ctx, JsonObject item, string path, bool explicitVersion, SourceRules.Info? source)
    {
        var versioning = ctx.Object(item, "versioning", path, hint: "use {\"scheme\": \"Latest\"} or {\"scheme\": \"Source\"}");
        if (versioning is null)
            return;
        var vPath = path + ".versioning";
        if (explicitVersion)
            ctx.Fail(ValidationCodes.Conflict, vPath,
                "cannot be used with an explicit version in galleryImageId: remove '/versions/...' from galleryImageId to let the scheme pick the version, or remove versioning.");
        var scheme = ctx.Enum(versioning, "scheme", vPath, ["Latest", "Source"], required: true);
        if (scheme == "Latest")
        {
            ctx.CheckFields(versioning, vPath, LatestFields);
            ctx.Integer(versioning, "major", vPath, -1, int.MaxValue, "use -1 (any major version) or a major version number >= 0");
        }
        else if (scheme == "Source")
        {
            ctx.CheckFields(versioning, vPath, SourceSchemeFields);
            if (ctx.Get(versioning, "major") is not null)
                ctx.Fail(ValidationCodes.Conflict, vPath + ".major", "only applies to scheme 'Latest': remove it.");
            if (source is { Kind: "ManagedImage" })
                ctx.Fail(ValidationCodes.Conflict, vPath + ".scheme",
                    "'Source' takes the version number from the source image, and a ManagedImage source has none: use scheme 'Latest'.");
        }
    }

    private static IReadOnlyList<string> StorageTypes(TemplateApiLevel level) =>
        level >= TemplateApiLevel.V2022_07_01 ? ["Standard_LRS", "Standard_ZRS", "Premium_LRS"] : ["Standard_LRS", "Standard_ZRS"];

    [GeneratedRegex(@"^[A-Za-z0-9\-_.]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex RunOutputName();
}
