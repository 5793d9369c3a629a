namespace Kiln.Nbd;

/// <summary>The server's exports by name; the empty name means the default (first) export.</summary>
internal sealed class NbdExportTable
{
    private readonly Dictionary<string, NbdExport> _byName = new(StringComparer.Ordinal);

    public NbdExportTable(IEnumerable<NbdExport> exports)
    {
        foreach (var e in exports)
        {
            if (System.Text.Encoding.UTF8.GetByteCount(e.Name) > 4096)
                throw new ArgumentException($"export name '{e.Name[..32]}…' is longer than 4096 bytes (proto.md limit)", nameof(exports));
            if (!_byName.TryAdd(e.Name, e))
                throw new ArgumentException($"two exports are named '{e.Name}'", nameof(exports));
            All.Add(e);
        }
        if (All.Count == 0) throw new ArgumentException("at least one export is needed", nameof(exports));
    }

    public List<NbdExport> All { get; } = new();

    public NbdExport Default => All[0];

    public NbdExport? Find(string name)
        => name.Length == 0 ? Default : _byName.GetValueOrDefault(name);
}
