namespace Kiln.Pipeline.Steps.Source;

/// <summary>Orders dotted versions numerically per segment ("1.10.0" &gt; "1.9.3"); non-numeric segments compare ordinally.</summary>
public sealed class VersionComparer : IComparer<string?>
{
    public static readonly VersionComparer Instance = new();

    public int Compare(string? x, string? y)
    {
        var a = (x ?? "").Split('.');
        var b = (y ?? "").Split('.');
        for (int i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            string sa = i < a.Length ? a[i] : "", sb = i < b.Length ? b[i] : "";
            int c = long.TryParse(sa, out long na) && long.TryParse(sb, out long nb)
                ? na.CompareTo(nb)
                : string.CompareOrdinal(sa, sb);
            if (c != 0)
                return c;
        }
        return 0;
    }
}
