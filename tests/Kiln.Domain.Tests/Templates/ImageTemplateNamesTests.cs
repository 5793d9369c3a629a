using Kiln.Domain.Templates;

namespace Kiln.Domain.Tests.Templates;

public sealed class ImageTemplateNamesTests
{
    [Theory]
    [InlineData("helloImageTemplateLinux01")]
    [InlineData("a")]
    [InlineData("my-template_1.2")]
    [InlineData("0abc")]
    public void Valid_names(string name) => Assert.Null(ImageTemplateNames.Validate(name));

    [Theory]
    [InlineData("", ValidationCodes.MissingField)]
    [InlineData(null, ValidationCodes.MissingField)]
    [InlineData("..", ValidationCodes.InvalidValue)]
    [InlineData("../x", ValidationCodes.InvalidValue)]
    [InlineData("a..b", ValidationCodes.InvalidValue)]
    [InlineData(".hidden", ValidationCodes.InvalidValue)]
    [InlineData("-x", ValidationCodes.InvalidValue)]
    [InlineData("a b", ValidationCodes.InvalidValue)]
    [InlineData("a/b", ValidationCodes.InvalidValue)]
    [InlineData("a%2fb", ValidationCodes.InvalidValue)]
    [InlineData("tab\tname", ValidationCodes.InvalidValue)]
    [InlineData("ñame", ValidationCodes.InvalidValue)]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", ValidationCodes.InvalidValue)]
    public void Invalid_names(string? name, string code)
    {
        var error = ImageTemplateNames.Validate(name);
        Assert.NotNull(error);
        Assert.Equal(code, error.Code);
        Assert.Equal("name", error.Target);
        Assert.Contains("use 1-64 letters", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sixty_four_characters_is_the_limit() => Assert.Null(ImageTemplateNames.Validate(new string('a', 64)));
}
