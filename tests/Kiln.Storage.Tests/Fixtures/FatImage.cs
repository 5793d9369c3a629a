namespace Kiln.Storage.Tests.Fixtures;

/// <summary>Builds FAT volumes with mkfs.fat and fills them with mmd/mcopy (no mounting).</summary>
public static class FatImage
{
    /// <summary>Sizes that give each FAT type with mkfs.fat defaults.</summary>
    public static string Build(TempDir temp, int bits, string label = "KILNESP")
    {
        var image = temp.File($"fat{bits}-{Guid.NewGuid():N}.img");
        long kb = bits switch { 12 => 2048, 16 => 16384, _ => 40960 };
        string[] extra = bits == 32 ? ["-s", "1"] : [];
        Tool.Run("mkfs.fat", ["-F", bits.ToString(), "-n", label, .. extra, "-C", image, kb.ToString()]);
        return image;
    }

    public static void MakeDirectory(string image, string path) => Tool.Run("mmd", "-i", image, "::" + path);

    public static void Copy(string image, string hostFile, string path) => Tool.Run("mcopy", "-i", image, hostFile, "::" + path);

    public static void Copy(TempDir temp, string image, byte[] content, string path)
    {
        var host = temp.File(Guid.NewGuid().ToString("N"));
        File.WriteAllBytes(host, content);
        Copy(image, host, path);
    }
}
