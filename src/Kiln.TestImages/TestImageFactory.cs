using Kiln.Guest;
namespace Kiln.TestImages;

/// <summary>
/// Builds test disk images (raw, sparse) in seconds with host tools and without mounting
/// anything. See <see cref="TestImageVariant"/> for the shapes. The output is raw (sparse)
/// unless its name ends in .qcow2 or .vhd (fixed).
/// </summary>
public static class TestImageFactory
{
    public static async Task BuildAsync(TestImageSpec spec, string outputPath, CancellationToken cancellationToken)
    {
        spec.Validate();
        outputPath = Path.GetFullPath(outputPath);
        Directory.CreateDirectory(Path.GetDirectoryName(outputPath)!);
        var work = Directory.CreateTempSubdirectory("kiln-testimage-").FullName;
        var partial = outputPath + ".partial";
        try
        {
            switch (spec.Variant)
            {
                case TestImageVariant.Gen1:
                    await Gen1DiskBuilder.BuildAsync(spec, await KernelAsync(spec, cancellationToken), partial, work, cancellationToken);
                    break;
                case TestImageVariant.Gen2 or TestImageVariant.Huge:
                    await EfiDiskBuilder.BuildAsync(spec, await KernelAsync(spec, cancellationToken), partial, work, cancellationToken);
                    break;
                case TestImageVariant.Arm64:
                    await EfiDiskBuilder.BuildAsync(spec, null, partial, work, cancellationToken);
                    break;
                case TestImageVariant.Windows:
                    await WindowsDiskBuilder.BuildAsync(spec, partial, work, cancellationToken);
                    break;
                default:
                    throw new NotSupportedException($"Test image variant {spec.Variant} is not built yet.");
            }
            await ConvertOrMoveAsync(partial, outputPath, cancellationToken);
        }
        finally
        {
            File.Delete(partial);
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>
    /// The builders write raw; an output named *.qcow2 or *.vhd is converted with qemu-img
    /// (VHD as the fixed subformat Azure requires, sized exactly: force_size).
    /// </summary>
    private static async Task ConvertOrMoveAsync(string raw, string outputPath, CancellationToken cancellationToken)
    {
        string[]? format = Path.GetExtension(outputPath).ToLowerInvariant() switch
        {
            ".qcow2" => ["-O", "qcow2"],
            ".vhd" => ["-O", "vpc", "-o", "subformat=fixed,force_size=on"],
            _ => null,
        };
        if (format is null)
        {
            File.Move(raw, outputPath, overwrite: true);
            return;
        }
        var converted = outputPath + ".converting";
        try
        {
            await ToolRunner.RunAsync("qemu-img", ["convert", "-f", "raw", .. format, raw, converted], cancellationToken);
            File.Move(converted, outputPath, overwrite: true);
        }
        finally
        {
            File.Delete(converted);
        }
    }

    private static async Task<KernelCache> KernelAsync(TestImageSpec spec, CancellationToken cancellationToken) =>
        spec.KernelDirectory is { } dir ? new KernelCache(dir) : await KernelCache.EnsureAsync(cancellationToken);
}
