using Kiln.Domain.Templates;

namespace Kiln.Domain.Tests.Templates;

public sealed class ImageTemplateApiVersionsTests
{
    [Theory]
    [InlineData("2022-02-14", TemplateApiLevel.V2022_02_14)]
    [InlineData("2022-07-01", TemplateApiLevel.V2022_07_01)]
    [InlineData("2023-07-01", TemplateApiLevel.V2023_07_01)]
    [InlineData("2024-02-01", TemplateApiLevel.V2024_02_01)]
    [InlineData("2022-10-01-preview", TemplateApiLevel.V2022_07_01)]
    [InlineData("2020-02-14", TemplateApiLevel.V2022_02_14)]
    [InlineData("2030-01-01", TemplateApiLevel.V2024_02_01)]
    [InlineData("", TemplateApiLevel.V2022_02_14)]
    [InlineData("garbage", TemplateApiLevel.V2024_02_01)]
    public void Level_of_each_api_version(string apiVersion, TemplateApiLevel level) =>
        Assert.Equal(level, ImageTemplateApiVersions.LevelOf(apiVersion));

    [Fact]
    public void Names_round_trip()
    {
        foreach (var v in ImageTemplateApiVersions.All)
            Assert.Equal(v, ImageTemplateApiVersions.NameOf(ImageTemplateApiVersions.LevelOf(v)));
    }
}
