using Kiln.Domain.Templates;
using Kiln.Pipeline.Steps.Distribute.SharedImage;

namespace Kiln.Pipeline.Tests.Steps.Distribute;

public sealed class VersionNumbersTests
{
    [Theory]
    [InlineData("", -1, "1.0.0")]
    [InlineData("1.0.0", -1, "1.0.1")]
    [InlineData("1.0.9,1.0.10,0.9.99", -1, "1.0.11")]
    [InlineData("1.2.3,2.0.0,not-a-version", 1, "1.2.4")]
    [InlineData("2.0.0", 3, "3.0.0")]
    public void Next_bumps_the_patch_above_the_highest(string existing, int major, string expected)
    {
        var versioning = major < 0 ? null : new DistributeVersioning(VersioningScheme.Latest, major);
        Assert.Equal(expected, VersionNumbers.Next(existing.Split(',', StringSplitOptions.RemoveEmptyEntries), versioning, null));
    }

    [Fact]
    public void Source_scheme_takes_the_source_version_or_says_why_not()
    {
        var source = new DistributeVersioning(VersioningScheme.Source, -1);
        Assert.Equal("4.5.6", VersionNumbers.Next(["9.9.9"], source, "4.5.6"));
        var e = Assert.Throws<InvalidOperationException>(() => VersionNumbers.Next([], source, null));
        Assert.Contains("versioning.scheme is Source", e.Message);
    }
}
