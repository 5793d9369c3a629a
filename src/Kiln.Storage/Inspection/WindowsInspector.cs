using System.Text;
using Kiln.Storage.FileSystems;

namespace Kiln.Storage.Inspection;

/// <summary>
/// Reads a Windows system volume: \Windows\System32 marks it, Setup\State\State.ini's ImageState
/// says whether sysprep generalized it, the kernel's PE header gives the architecture.
/// </summary>
internal static class WindowsInspector
{
    public const string StateIniPath = @"\Windows\Setup\State\State.ini";

    public static async Task<bool> IsSystemVolumeAsync(IFileSystem fs, CancellationToken ct) =>
        fs.Type == "ntfs" && await fs.StatAsync(@"\Windows\System32", ct).ConfigureAwait(false) is { IsDirectory: true };

    public static async Task<OsFindings> InspectAsync(IFileSystem fs, CancellationToken ct)
    {
        var evidence = new List<string>();
        var state = OsState.Unknown;
        if (await fs.StatAsync(StateIniPath, ct).ConfigureAwait(false) is { Kind: FileSystemEntryKind.File })
        {
            var text = Decode(await fs.ReadFileAsync(StateIniPath, 1 << 20, ct).ConfigureAwait(false));
            string? imageState = text.Split('\n')
                .Select(l => l.Trim())
                .Where(l => l.StartsWith("ImageState", StringComparison.OrdinalIgnoreCase) && l.Contains('='))
                .Select(l => l[(l.IndexOf('=') + 1)..].Trim())
                .FirstOrDefault();
            switch (imageState?.ToUpperInvariant())
            {
                case "IMAGE_STATE_GENERALIZE_RESEAL_TO_OOBE":
                    state = OsState.Generalized;
                    evidence.Add($"State.ini ImageState is {imageState}: sysprep /generalize /oobe ran (generalized).");
                    break;
                case "IMAGE_STATE_COMPLETE":
                    state = OsState.Specialized;
                    evidence.Add($"State.ini ImageState is {imageState}: Windows finished setup on a machine (specialized).");
                    break;
                case null:
                    evidence.Add("State.ini has no ImageState value.");
                    break;
                default:
                    evidence.Add($"State.ini ImageState is {imageState}: neither generalized for OOBE nor complete (sysprep unfinished or in audit mode).");
                    break;
            }
        }
        else evidence.Add($"{StateIniPath} is missing: sysprep state unknown.");

        var arch = await LinuxInspector.TryDetectAsync(fs, @"\Windows\System32\ntoskrnl.exe", ct).ConfigureAwait(false);
        string distro = await WindowsProduct.TryReadAsync(fs, ct).ConfigureAwait(false) ?? "Windows";
        return new OsFindings(OsType.Windows, distro, state, evidence, arch);
    }

    /// <summary>Windows writes State.ini as UTF-16LE with a BOM; tools may write UTF-8 or ANSI.</summary>
    public static string Decode(byte[] b)
    {
        if (b.Length >= 2 && b[0] == 0xFF && b[1] == 0xFE) return Encoding.Unicode.GetString(b, 2, b.Length - 2);
        if (b.Length >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) return Encoding.UTF8.GetString(b, 3, b.Length - 3);
        if (b.Length >= 2 && b[1] == 0) return Encoding.Unicode.GetString(b);
        return Encoding.Latin1.GetString(b);
    }
}
