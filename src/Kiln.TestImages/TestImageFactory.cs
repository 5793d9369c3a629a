namespace Kiln.TestImages;

/// <summary>
/// Builds test disk images (raw, sparse) in seconds with host tools and without mounting
/// anything. See <see cref="TestImageVariant"/> for the shapes.
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
            File.Move(partial, outputPath, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task<KernelCache> KernelAsync(TestImageSpec spec, CancellationToken cancellationToken) =>
        spec.KernelDirectory is { } dir ? new KernelCache(dir) : await KernelCache.EnsureAsync(cancellationToken);
}
