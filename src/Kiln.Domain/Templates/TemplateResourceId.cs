namespace Kiln.Domain.Templates;

/// <summary>
/// An ARM resource id as it appears inside a template body:
/// <c>/subscriptions/{s}/resourceGroups/{rg}[/providers/{Namespace}/{type}/{name}[/{type}/{name}]…]</c>.
/// Keywords compare case-insensitively (az sends both <c>resourcegroups</c> and
/// <c>resourceGroups</c>). Kept to the Templates namespace on purpose: the API layer has its own
/// general id type; this one exists so template rules need nothing outside Domain.Templates.
/// </summary>
public sealed record TemplateResourceId
{
    /// <summary>Longest id accepted; ARM ids are far shorter, this only bounds hostile input.</summary>
    public const int MaxLength = 2048;
    // Bounds the segment loop on hostile input; real ids nest 3-4 child types at most.
    private const int MaxSegments = 40;

    private TemplateResourceId(string original, string subscriptionId, string resourceGroup, string? providerNamespace,
        IReadOnlyList<string> types, IReadOnlyList<string> names)
    {
        Original = original;
        SubscriptionId = subscriptionId;
        ResourceGroup = resourceGroup;
        ProviderNamespace = providerNamespace;
        Types = types;
        Names = names;
    }

    /// <summary>The id exactly as given.</summary>
    public string Original { get; }
    public string SubscriptionId { get; }
    public string ResourceGroup { get; }
    /// <summary>e.g. <c>Microsoft.Compute</c>; null for a resource-group id.</summary>
    public string? ProviderNamespace { get; }
    /// <summary>Type segments after the namespace, e.g. [galleries, images, versions].</summary>
    public IReadOnlyList<string> Types { get; }
    /// <summary>Name segments matching <see cref="Types"/> one to one.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>True when this is <c>/subscriptions/{s}/resourceGroups/{rg}</c> itself.</summary>
    public bool IsResourceGroup => ProviderNamespace is null;

    /// <summary>Full type, e.g. <c>Microsoft.Compute/galleries/images</c>; <c>Microsoft.Resources/resourceGroups</c> for a group.</summary>
    public string FullType => ProviderNamespace is null
        ? "Microsoft.Resources/resourceGroups"
        : ProviderNamespace + "/" + string.Join('/', Types);

    /// <summary>The last name segment (the resource's own name).</summary>
    public string Name => Names.Count == 0 ? ResourceGroup : Names[^1];

    /// <summary>Case-insensitive type test, e.g. <c>IsOfType("Microsoft.Compute/images")</c>.</summary>
    public bool IsOfType(string fullType) => string.Equals(FullType, fullType, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The id of the ancestor with <paramref name="depth"/> type segments (1 = top-level
    /// resource), in a canonical spelling so two ids can be compared case-insensitively.
    /// </summary>
    public string AncestorId(int depth)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(depth, Types.Count);
        var s = $"/subscriptions/{SubscriptionId}/resourceGroups/{ResourceGroup}";
        if (ProviderNamespace is null || depth == 0)
            return s;
        s += "/providers/" + ProviderNamespace;
        for (var i = 0; i < depth; i++)
            s += "/" + Types[i] + "/" + Names[i];
        return s;
    }

    /// <summary>Canonical spelling of the whole id (keywords normalised, names kept).</summary>
    public string Canonical => AncestorId(Types.Count);

    public override string ToString() => Original;

    /// <summary>
    /// Parses <paramref name="text"/>; on failure <paramref name="error"/> says what is wrong
    /// (phrased to follow "… is invalid: ") and <paramref name="id"/> is null. Never throws.
    /// </summary>
    public static bool TryParse(string? text, out TemplateResourceId? id, out string error)
    {
        id = null;
        error = "";
        if (string.IsNullOrEmpty(text))
        {
            error = "it is empty";
            return false;
        }
        if (text.Length > MaxLength)
        {
            error = $"it is {text.Length} characters long, more than {MaxLength}";
            return false;
        }
        if (text.Contains('<') && text.Contains('>'))
        {
            error = "it still contains a '<placeholder>': replace it with the real value";
            return false;
        }
        if (text[0] != '/')
        {
            error = "it must start with '/subscriptions/'";
            return false;
        }
        var parts = text.Split('/');
        if (parts.Length > MaxSegments * 2 + 2)
        {
            error = "it has too many segments";
            return false;
        }
        // parts[0] is the empty string before the leading '/'.
        for (var i = 1; i < parts.Length; i++)
        {
            var p = parts[i];
            if (p.Length == 0)
            {
                error = i == parts.Length - 1 ? "it must not end with '/'" : "it contains an empty segment ('//')";
                return false;
            }
            if (p is "." or ".." || p.Contains(".."))
            {
                error = $"segment '{p}' contains '..'; resource ids name resources, not paths";
                return false;
            }
            foreach (var c in p)
            {
                if (char.IsControl(c) || c is '\\' or '?' or '#' or '%' or '&' or ':' or '*' or '<' or '>' or '"' or '|' or ' ' or '+' or '\'')
                {
                    error = $"segment '{p}' contains the character '{Printable(c)}', which is not allowed";
                    return false;
                }
            }
        }
        if (parts.Length < 5 || !parts[1].Equals("subscriptions", StringComparison.OrdinalIgnoreCase)
            || !parts[3].Equals("resourceGroups", StringComparison.OrdinalIgnoreCase))
        {
            error = "expected '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/...'";
            return false;
        }
        var sub = parts[2];
        if (!Guid.TryParseExact(sub, "D", out _))
        {
            error = $"subscription id '{sub}' is not a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)";
            return false;
        }
        var rg = parts[4];
        if (!TemplateArmIds.IsValidResourceGroupName(rg))
        {
            error = $"resource group name '{rg}' is invalid: use 1-90 letters, digits, '_', '-', '.', '(' or ')', not ending in '.'";
            return false;
        }
        if (parts.Length == 5)
        {
            id = new TemplateResourceId(text, sub, rg, null, [], []);
            return true;
        }
        if (!parts[5].Equals("providers", StringComparison.OrdinalIgnoreCase) || parts.Length < 9)
        {
            error = "expected '/providers/{Namespace}/{type}/{name}' after the resource group";
            return false;
        }
        var ns = parts[6];
        if (!ns.Contains('.') || !IsSimpleName(ns))
        {
            error = $"provider namespace '{ns}' is invalid (expected e.g. 'Microsoft.Compute')";
            return false;
        }
        var rest = parts.Length - 7;
        if (rest % 2 != 0)
        {
            error = $"type '{parts[^1]}' has no name after it (ids alternate type/name after the namespace)";
            return false;
        }
        var types = new List<string>(rest / 2);
        var names = new List<string>(rest / 2);
        for (var i = 7; i < parts.Length; i += 2)
        {
            if (!IsSimpleName(parts[i]))
            {
                error = $"type segment '{parts[i]}' is invalid";
                return false;
            }
            types.Add(parts[i]);
            names.Add(parts[i + 1]);
        }
        id = new TemplateResourceId(text, sub, rg, ns, types, names);
        return true;
    }

    private static bool IsSimpleName(string s)
    {
        foreach (var c in s)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '.')
                return false;
        }
        return s.Length > 0;
    }

    private static string Printable(char c) => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString();
}
