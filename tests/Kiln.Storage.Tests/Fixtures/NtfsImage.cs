namespace Kiln.Storage.Tests.Fixtures;

/// <summary>
/// Builds NTFS volumes without mounting: mkntfs formats the file, wimcapture packs a host folder
/// and wimapply writes it into the unmounted volume through libntfs-3g (ntfscp cannot make folders).
/// </summary>
public static class NtfsImage
{
    public static string Build(TempDir temp, string tree, string size = "24M", string label = "Windows")
    {
        var image = temp.File($"ntfs-{Guid.NewGuid():N}.img");
        using (var f = new FileStream(image, FileMode.CreateNew)) f.SetLength(ParseSize(size));
        Tool.Run("mkntfs", "-F", "-Q", "-L", label, image);
        var wim = temp.File($"tree-{Guid.NewGuid():N}.wim");
        Tool.Run("wimcapture", tree, wim, "--compress=none");
        Tool.Run("wimapply", wim, "1", image);
        return image;
    }

    /// <summary>A Windows-looking tree: System32 with a kernel, and Setup\State\State.ini (UTF-16 with BOM, as Windows writes it).</summary>
    public static string WindowsTree(TempDir temp, string imageState, byte[]? kernel = null, string name = "win")
    {
        string root = Path.Combine(temp.Path, name);
        Directory.CreateDirectory(Path.Combine(root, "Windows/System32/config"));
        File.WriteAllBytes(Path.Combine(root, "Windows/System32/ntoskrnl.exe"), kernel ?? Ext4Image.Pattern(4096, 3));
        Directory.CreateDirectory(Path.Combine(root, "Windows/Setup/State"));
        var ini = $"[State]\r\nImageState={imageState}\r\n";
        File.WriteAllBytes(Path.Combine(root, "Windows/Setup/State/State.ini"), [0xFF, 0xFE, .. System.Text.Encoding.Unicode.GetBytes(ini)]);
        return root;
    }

    private static long ParseSize(string size) => size[^1] switch
    {
        'M' => long.Parse(size[..^1]) << 20,
        'G' => long.Parse(size[..^1]) << 30,
        _ => long.Parse(size),
    };
}
