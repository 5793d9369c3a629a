namespace Kiln.Guest;

/// <summary>
/// The Debian kernel the test images boot, unpacked by scripts/fetch-kernel.sh into
/// $KILN_HOME/.cache/kernel/ (vmlinuz, modules/, version). Nothing is installed into /boot.
/// </summary>
public sealed record KernelCache(string Directory)
{
    public string KernelImagePath => Path.Combine(Directory, "vmlinuz");
    public string ModulesDirectory => Path.Combine(Directory, "modules");

    public static string DefaultDirectory => Path.Combine(KilnHome.Find(), ".cache", "kernel");

    /// <summary>Runs the fetch script (quick when already cached) and returns the cache.</summary>
    public static async Task<KernelCache> EnsureAsync(CancellationToken cancellationToken)
    {
        var home = KilnHome.Find();
        var directory = Path.Combine(home, ".cache", "kernel");
        if (!File.Exists(Path.Combine(directory, "vmlinuz")))
        {
            var script = Path.Combine(home, "scripts", "fetch-kernel.sh");
            await ToolRunner.RunAsync("bash", [script], cancellationToken);
        }
        var cache = new KernelCache(directory);
        if (!File.Exists(cache.KernelImagePath))
            throw new InvalidOperationException($"No kernel at {cache.KernelImagePath} after scripts/fetch-kernel.sh ran.");
        return cache;
    }
}
