namespace Kiln.Optimization;

/// <summary>
/// The image may not be boot-optimized (Azure's rules: x64, generalized, Linux or Windows, at
/// most 2 TB). <see cref="Reasons"/> are the inspection's, each saying what to change.
/// </summary>
public sealed class ImageNotEligibleException(string imagePath, IReadOnlyList<string> reasons)
    : Exception($"{imagePath} is not eligible for boot optimization: {string.Join(" ", reasons)}")
{
    public string ImagePath { get; } = imagePath;
    public IReadOnlyList<string> Reasons { get; } = reasons;
}
