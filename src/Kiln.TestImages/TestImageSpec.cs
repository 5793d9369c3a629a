namespace Kiln.TestImages;

/// <summary>What to build. Defaults are small so a TCG boot stays around 15 s.</summary>
public sealed record TestImageSpec
{
    public const long DefaultHugeDiskBytes = 5L << 39; // 2.5 TiB: beyond MBR's and VHD's reach

    public TestImageVariant Variant { get; init; } = TestImageVariant.Gen1;

    /// <summary>Specialized: /etc/machine-id set, SSH host keys and cloud-init instance state present (Windows: ImageState complete).</summary>
    public bool Specialized { get; init; }

    /// <summary>How many files the init reads before printing the ready marker.</summary>
    public int WorkingSetFiles { get; init; } = 32;

    /// <summary>Total size of those files (random, incompressible data), in MiB.</summary>
    public int WorkingSetMegabytes { get; init; } = 16;

    /// <summary>Size of the ext4 root (or NTFS) partition in MiB; the working set is spread across it.</summary>
    public int RootPartitionMegabytes { get; init; } = 512;

    /// <summary>Virtual disk size; null = just large enough (Huge: <see cref="DefaultHugeDiskBytes"/>).</summary>
    public long? DiskSizeBytes { get; init; }

    /// <summary>Seed of the working-set contents, so two builds of one spec hold the same bytes.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Where the Debian kernel is unpacked; null = $KILN_HOME/.cache/kernel (fetched when missing).</summary>
    public string? KernelDirectory { get; init; }

    /// <summary>The CLI names: gen1, gen2, gen1-specialized, gen2-specialized, arm64, windows, windows-specialized, huge.</summary>
    public static IReadOnlyList<string> VariantNames { get; } =
        ["gen1", "gen2", "gen1-specialized", "gen2-specialized", "arm64", "windows", "windows-specialized", "huge"];

    public static TestImageSpec FromName(string name)
    {
        var lower = name.Trim().ToLowerInvariant();
        var specialized = lower.EndsWith("-specialized", StringComparison.Ordinal);
        var baseName = specialized ? lower[..^"-specialized".Length] : lower;
        TestImageVariant? variant = baseName switch
        {
            "gen1" => TestImageVariant.Gen1,
            "gen2" => TestImageVariant.Gen2,
            "arm64" => TestImageVariant.Arm64,
            "windows" => TestImageVariant.Windows,
            "huge" => TestImageVariant.Huge,
            _ => null,
        };
        if (variant is null)
            throw new ArgumentException($"Unknown test image variant '{name}'; known: {string.Join(", ", VariantNames)}.", nameof(name));
        return new TestImageSpec { Variant = variant.Value, Specialized = specialized };
    }

    /// <summary>The CLI name of this spec (inverse of <see cref="FromName"/>).</summary>
    public string Name => Variant.ToString().ToLowerInvariant() + (Specialized ? "-specialized" : "");

    internal void Validate()
    {
        if (WorkingSetFiles is < 1 or > 100_000)
            throw new ArgumentOutOfRangeException(nameof(WorkingSetFiles), WorkingSetFiles, "WorkingSetFiles must be 1..100000.");
        if (WorkingSetMegabytes < 0)
            throw new ArgumentOutOfRangeException(nameof(WorkingSetMegabytes), WorkingSetMegabytes, "WorkingSetMegabytes must be >= 0.");
        if (RootPartitionMegabytes < 64 || RootPartitionMegabytes < WorkingSetMegabytes * 2 + 48)
            throw new ArgumentOutOfRangeException(nameof(RootPartitionMegabytes), RootPartitionMegabytes,
                $"RootPartitionMegabytes must be >= 64 and leave room for the working set (>= {WorkingSetMegabytes * 2 + 48}).");
    }
}
