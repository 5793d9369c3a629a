using System.Text;

namespace Kiln.Domain.Arm;

/// <summary>
/// An ARM resource id: subscription, optional resource group, optional provider type chain.
/// <code>
///   /subscriptions/{s}/resourceGroups/{rg}/providers/{ns}/{t1}/{n1}[/{t2}/{n2}]…
/// </code>
/// ARM compares ids case-insensitively, so <see cref="Key"/> (lower case) is what storage uses;
/// <see cref="ToString"/> gives Azure's casing for the fixed words and the names as given.
/// </summary>
public sealed class ResourceId : IEquatable<ResourceId>
{
    private ResourceId(string subscription, string? resourceGroup, string? ns, IReadOnlyList<string> types,
        IReadOnlyList<string> names)
    {
        Subscription = subscription;
        ResourceGroup = resourceGroup;
        Namespace = ns;
        Types = types;
        Names = names;
    }

    public string Subscription { get; }
    public string? ResourceGroup { get; }
    public string? Namespace { get; }
    public IReadOnlyList<string> Types { get; }
    public IReadOnlyList<string> Names { get; }

    public bool IsSubscription => ResourceGroup is null && Namespace is null;
    public bool IsResourceGroup => ResourceGroup is not null && Namespace is null;

    /// <summary>The resource's name (last name segment; the group or subscription for those scopes).</summary>
    public string Name => Names.Count > 0 ? Names[^1] : ResourceGroup ?? Subscription;

    /// <summary>Full type, e.g. Microsoft.Compute/galleries/images.</summary>
    public string Type => Namespace is null
        ? (ResourceGroup is null ? ResourceTypes.Subscription : ResourceTypes.ResourceGroup)
        : ResourceTypes.Canonical(Namespace + "/" + string.Join('/', Types));

    public string Key => ToString().ToLowerInvariant();

    public static ResourceId ForSubscription(string subscription) => new(subscription, null, null, [], []);

    public static ResourceId ForResourceGroup(string subscription, string resourceGroup) =>
        new(subscription, resourceGroup, null, [], []);

    public ResourceId Child(string type, string name)
    {
        if (Namespace is null)
        {
            int slash = type.IndexOf('/');
            if (ResourceGroup is null || slash < 0)
                throw new ArgumentException($"A provider resource needs a resource group and a namespaced type, got '{type}'.");
            return new ResourceId(Subscription, ResourceGroup, type[..slash], [type[(slash + 1)..]], [name]);
        }
        return new ResourceId(Subscription, ResourceGroup, Namespace, [.. Types, type], [.. Names, name]);
    }

    /// <summary>The enclosing resource: version → image → gallery → group → subscription.</summary>
    public ResourceId? Parent
    {
        get
        {
            if (Types.Count > 1)
                return new ResourceId(Subscription, ResourceGroup, Namespace, Types.Take(Types.Count - 1).ToArray(),
                    Names.Take(Names.Count - 1).ToArray());
            if (Namespace is not null)
                return ResourceGroup is null ? ForSubscription(Subscription) : ForResourceGroup(Subscription, ResourceGroup);
            if (ResourceGroup is not null)
                return ForSubscription(Subscription);
            return null;
        }
    }

    /// <summary>Parses an id string (from a URL or a body). Empty segments (<c>//</c>) are ignored.</summary>
    public static bool TryParse(string? text, out ResourceId id)
    {
        id = null!;
        if (string.IsNullOrWhiteSpace(text) || text[0] != '/')
            return false;
        var parsed = FromSegments(text.Split('/', StringSplitOptions.RemoveEmptyEntries));
        if (parsed is null)
            return false;
        id = parsed;
        return true;
    }

    /// <summary>Parses whole segments; null when they do not form a resource id.</summary>
    public static ResourceId? FromSegments(IReadOnlyList<string> s)
    {
        if (s.Count < 2 || !Is(s[0], "subscriptions") || !ArmNames.IsGuid(s[1]))
            return null;
        int i = 2;
        string? rg = null;
        if (s.Count > i && Is(s[i], "resourceGroups"))
        {
            if (s.Count < i + 2)
                return null;
            rg = s[i + 1];
            i += 2;
        }
        if (i == s.Count)
            return new ResourceId(s[1], rg, null, [], []);
        if (!Is(s[i], "providers") || s.Count < i + 4 || (s.Count - i - 2) % 2 != 0)
            return null;
        string ns = ResourceTypes.CanonicalNamespace(s[i + 1]) ?? s[i + 1];
        var types = new List<string>();
        var names = new List<string>();
        for (int j = i + 2; j < s.Count; j += 2)
        {
            if (Is(s[j], "providers"))
                return null; // extension resources are addressed through their scope, not as plain ids
            types.Add(s[j]);
            names.Add(s[j + 1]);
        }
        string canonical = ResourceTypes.Canonical(ns + "/" + string.Join('/', types));
        var canonicalTypes = canonical.Split('/').Skip(1).ToArray();
        return new ResourceId(s[1], rg, ns, canonicalTypes, names);
    }

    private static bool Is(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    public override string ToString()
    {
        var sb = new StringBuilder("/subscriptions/").Append(Subscription);
        if (ResourceGroup is not null)
            sb.Append("/resourceGroups/").Append(ResourceGroup);
        if (Namespace is not null)
        {
            sb.Append("/providers/").Append(Namespace);
            for (int i = 0; i < Types.Count; i++)
                sb.Append('/').Append(Types[i]).Append('/').Append(Names[i]);
        }
        return sb.ToString();
    }

    public bool Equals(ResourceId? other) => other is not null && Key == other.Key;
    public override bool Equals(object? obj) => obj is ResourceId r && Equals(r);
    public override int GetHashCode() => Key.GetHashCode(StringComparison.Ordinal);
}
