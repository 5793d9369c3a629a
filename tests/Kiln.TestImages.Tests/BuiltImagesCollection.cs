namespace Kiln.TestImages.Tests;

/// <summary>The test classes sharing one <see cref="BuiltImages"/> (and so one build of each image).</summary>
[CollectionDefinition(Name)]
public sealed class BuiltImagesCollection : ICollectionFixture<BuiltImages>
{
    public const string Name = "Built test images";
}
