using System.Globalization;
using System.Text;
using Kiln.Storage.Inspection;
using Kiln.Storage.Partitions;

namespace Kiln.Cli.Commands;

/// <summary>The human form of `kiln inspect`: a short aligned table.</summary>
public static class InspectTable
{
    public static string Format(string path, ImageFacts f)
    {
        var sb = new StringBuilder();
        void Row(string key, string value) => sb.Append(CultureInfo.InvariantCulture, $"{key,-18}{value}\n");

        Row("Image", path);
        Row("Format", f.Format);
        Row("Virtual size", Size(f.VirtualSizeBytes));
        Row("Allocated", Size(f.AllocatedBytes));
        Row("Partition scheme", f.PartitionScheme switch { PartitionScheme.Mbr => "MBR", PartitionScheme.Gpt => "GPT", _ => "None" });
        if (f.Partitions.Count > 0)
        {
            var rows = new List<string[]> { new[] { "#", "Offset", "Size", "Type", "FS", "Flags", "Name/Label" } };
            foreach (var p in f.Partitions)
            {
                var flags = new List<string>();
                if (p.Bootable) flags.Add("boot");
                if (p.EfiSystemPartition) flags.Add("esp");
                rows.Add([p.Index.ToString(CultureInfo.InvariantCulture), Size(p.OffsetBytes, brief: true), Size(p.SizeBytes, brief: true),
                    p.Type, p.FileSystem ?? "-", flags.Count == 0 ? "-" : string.Join(',', flags),
                    string.Join(" / ", new[] { p.Name, p.Label }.Where(s => !string.IsNullOrEmpty(s))) is { Length: > 0 } n ? n : "-"]);
            }
            var widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
            foreach (var r in rows)
                sb.Append("  ").Append(string.Join("  ", r.Select((cell, c) => cell.PadRight(widths[c]))).TrimEnd()).Append('\n');
        }
        Row("Generation", f.HyperVGeneration.ToString());
        Row("Architecture", (f.Architecture switch { CpuArchitecture.X64 => "x64", CpuArchitecture.Arm64 => "Arm64", _ => "Unknown" })
            + (f.ArchitectureSource is null ? "" : $" ({f.ArchitectureSource})"));
        Row("OS", f.OsType + (f.Distro is null ? "" : $" ({f.Distro})"));
        Row("OS state", f.OsState.ToString());
        foreach (var e in f.OsStateEvidence) sb.Append("  - ").Append(e).Append('\n');
        Row("Boot optimization", f.VmBootOptimization.Eligible ? "eligible" : "not eligible");
        foreach (var r in f.VmBootOptimization.Reasons) sb.Append("  - ").Append(r).Append('\n');
        if (f.Warnings.Count > 0)
        {
            Row("Warnings", "");
            foreach (var w in f.Warnings) sb.Append("  ! ").Append(w).Append('\n');
        }
        return sb.ToString().TrimEnd('\n');
    }

    private static string Size(long bytes, bool brief = false)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.Length - 1) { v /= 1024; u++; }
        string human = u == 0 ? $"{bytes} B" : string.Create(CultureInfo.InvariantCulture, $"{v:0.#} {units[u]}");
        return brief || u == 0 ? human : string.Create(CultureInfo.InvariantCulture, $"{human} ({bytes:N0} bytes)");
    }
}
