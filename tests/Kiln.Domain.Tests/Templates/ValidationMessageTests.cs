using System.Text.Json.Nodes;
using Kiln.Domain.Templates;

namespace Kiln.Domain.Tests.Templates;

/// <summary>
/// Messages are what az users read: each says what is wrong and how to fix it. A few are
/// pinned word for word; the rest are checked for the path, the bad value and a fix.
/// </summary>
public sealed class ValidationMessageTests
{
    private static IReadOnlyList<ValidationError> Validate(Action<JsonObject> edit, string api = "2022-07-01")
    {
        var body = TemplateFixtures.Parse(TemplateFixtures.QuickstartFilled);
        edit(body);
        return ImageTemplateValidator.Validate(body, api);
    }

    [Fact]
    public void RunOutputName_message_names_the_value_and_the_rule()
    {
        var error = Assert.Single(Validate(b => b["properties"]!["distribute"]![0]!["runOutputName"] = "a b"));

        Assert.Equal("properties.distribute[0].runOutputName 'a b' is invalid: use 1-64 letters, digits, '-', '_' or '.'.", error.Message);
        Assert.Equal("properties.distribute[0].runOutputName", error.Target);
        Assert.Equal(ValidationCodes.InvalidValue, error.Code);
    }

    [Fact]
    public void Type_mismatch_names_expected_and_actual_types()
    {
        var error = Assert.Single(Validate(b => b["properties"]!["buildTimeoutInMinutes"] = "60"));

        Assert.Equal("properties.buildTimeoutInMinutes must be an integer, not a string: use 0 (default, 240 minutes) to 960 (16 hours).", error.Message);
    }

    [Fact]
    public void Unknown_kind_lists_the_valid_kinds()
    {
        var error = Assert.Single(Validate(b => b["properties"]!["customize"]![0]!["type"] = "Bash"));

        Assert.Equal("properties.customize[0].type 'Bash' is not a customizer type: use one of 'Shell', 'PowerShell', 'File', 'WindowsRestart', 'WindowsUpdate'.", error.Message);
    }

    [Fact]
    public void Too_new_field_names_the_api_version_to_use()
    {
        var body = TemplateFixtures.Parse(TemplateFixtures.MinimalAllVersions);
        body["properties"]!["optimize"] = JsonNode.Parse("""{"vmBoot":{"state":"Enabled"}}""");

        var error = Assert.Single(ImageTemplateValidator.Validate(body, "2022-02-14"));

        Assert.Equal("properties.optimize is not available in api-version 2022-02-14: use api-version 2022-07-01 or later, or remove 'optimize'.", error.Message);
    }

    [Fact]
    public void Wrong_case_under_2024_02_01_suggests_the_right_name()
    {
        var error = Assert.Single(Validate(b => b["properties"]!["optimize"] = JsonNode.Parse("""{"VMBoot":{"state":"Enabled"}}"""), "2024-02-01"));

        Assert.Contains("did you mean 'vmBoot'?", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_resource_id_shows_the_expected_shape()
    {
        var error = Assert.Single(Validate(b => b["properties"]!["distribute"]![0]!["galleryImageId"] = TemplateFixtures.ManagedImage));

        Assert.Contains("it names a Microsoft.Compute/images, not a Microsoft.Compute/galleries/images", error.Message, StringComparison.Ordinal);
        Assert.Contains("/providers/Microsoft.Compute/galleries/{galleryName}/images/{imageDefinitionName}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_is_reported_not_just_the_first()
    {
        var errors = Validate(b =>
        {
            b.Remove("location");
            b["properties"]!["source"]!.AsObject().Remove("sku");
            b["properties"]!["customize"]![2]!.AsObject().Remove("destination");
            b["properties"]!["distribute"]![0]!["runOutputName"] = "";
            b["properties"]!["buildTimeoutInMinutes"] = 1000;
        });

        Assert.Equal(
            ["location", "properties.source.sku", "properties.customize[2].destination", "properties.distribute[0].runOutputName", "properties.buildTimeoutInMinutes"],
            errors.Select(e => e.Target));
    }

    [Fact]
    public void Control_characters_are_escaped_in_messages()
    {
        var error = Assert.Single(Validate(b => b["properties"]!["distribute"]![0]!["runOutputName"] = "a\u0007b"));

        Assert.Contains("a\\u0007b", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\u0007', error.Message);
    }
}
