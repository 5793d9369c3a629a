using System.Text.Json.Nodes;
using Kiln.Domain.Templates;

namespace Kiln.Domain.Tests.Templates;

/// <summary>
/// Random mutations of valid templates (fixed seeds, so failures reproduce). Properties:
/// Validate never throws; every error is well formed; and whatever Validate accepts, the
/// parser turns into a model and the trigger check can read — valid always means usable.
/// </summary>
public sealed class ValidatorFuzzTests
{
    private const int Iterations = 400;

    private static readonly string[] Bases = [TemplateFixtures.QuickstartFilled, TemplateFixtures.Full2024, TemplateFixtures.MinimalAllVersions];

    // Values that tend to break validators: wrong types, edge numbers, hostile strings, kinds of other lists.
    private static readonly string[] Values =
    [
        "null", "\"\"", "\"latest\"", "\"../../etc/passwd\"", "\"<placeholder>\"", "\"a\\u0000b\"", "\"\\n\"",
        "0", "-1", "1.5", "1e3", "1e308", "-1e308", "99999999999999999999999", "960", "961", "true", "false",
        "{}", "[]", "[null]", "[1,2]", "[\"x\"]", "[{}]", "{\"a\":{\"b\":{\"c\":[[[]]]}}}",
        "\"Shell\"", "\"PowerShell\"", "\"File\"", "\"WindowsRestart\"", "\"WindowsUpdate\"", "\"SharedImage\"", "\"VHD\"",
        "\"ManagedImage\"", "\"PlatformImage\"", "\"SharedImageVersion\"", "\"Latest\"", "\"Source\"", "\"Enabled\"", "\"cleanup\"",
        "\"Premium_LRS\"", "\"5m\"", "\"https://example.com/x.sh\"", "\"/tmp/x\"",
        $"\"{TemplateFixtures.GalleryDef}/versions/1.0.0\"", $"\"{TemplateFixtures.GalleryDef}\"", $"\"{TemplateFixtures.OtherDef}/versions/latest\"",
        $"\"{TemplateFixtures.ManagedImage}\"", $"\"{TemplateFixtures.IdentityId}\"", $"\"{TemplateFixtures.Subnet}\"",
        $"\"/subscriptions/{TemplateFixtures.Sub}/resourceGroups/rg\"", "{\"scheme\":\"Latest\",\"major\":-1}", "{\"state\":\"Enabled\"}",
        "{\"vmBoot\":{\"state\":\"Disabled\"}}", "[{\"name\":\"eastus\",\"replicaCount\":3}]", "[0,3010]",
    ];

    private static readonly string[] Keys = ["type", "name", "inline", "scriptUri", "version", "versioning", "targetRegions", "replicationRegions",
        "runElevated", "runAsSystem", "galleryImageId", "imageId", "imageVersionId", "optimize", "autoRun", "Type", "INLINE", "x"];

    [Theory]
    [InlineData(1, "2022-02-14")]
    [InlineData(2, "2022-07-01")]
    [InlineData(3, "2023-07-01")]
    [InlineData(4, "2024-02-01")]
    public void Random_mutations_never_throw_and_valid_means_parseable(int seed, string apiVersion)
    {
        var random = new Random(seed);
        var accepted = 0;
        for (var i = 0; i < Iterations; i++)
        {
            var body = TemplateFixtures.Parse(Bases[random.Next(Bases.Length)]);
            var edits = new List<string>();
            var count = 1 + random.Next(3);
            for (var m = 0; m < count; m++)
                edits.Add(Mutate(body, random));
            var context = $"seed {seed} iteration {i}: {string.Join(" | ", edits)}";

            var errors = ImageTemplateValidator.Validate(body, apiVersion);

            foreach (var e in errors)
            {
                Assert.False(string.IsNullOrWhiteSpace(e.Code), context);
                Assert.False(string.IsNullOrWhiteSpace(e.Message), context);
                Assert.True(e.Message.EndsWith('.'), $"{context}: message is not a sentence: {e.Message}");
                Assert.True(e.Target.Length == 0 || e.Target.Split('.', '[')[0] is "location" or "tags" or "identity" or "properties", $"{context}: odd target {e.Target}");
            }
            // The same body as a PATCH must not throw either (it is mostly not a valid patch).
            ImageTemplateValidator.ValidateUpdate(body, apiVersion);
            if (errors.Count > 0)
                continue;
            accepted++;
            var template = ImageTemplateParser.Parse(body);
            ImageTemplateValidator.ValidateForTrigger(template);
            Assert.NotEmpty(template.Distribute);
        }
        // Some mutations must be harmless (e.g. replacing a name), or the property above tests nothing.
        Assert.InRange(accepted, 1, Iterations - 1);
    }

    [Fact]
    public void Duplicate_property_names_are_an_error_not_an_exception()
    {
        var body = JsonNode.Parse("""{"location":"westus2","location":"eastus","properties":{}}""")!.AsObject();

        var error = Assert.Single(ImageTemplateValidator.Validate(body, "2022-07-01"));

        Assert.Equal(ValidationCodes.InvalidValue, error.Code);
        Assert.Contains("once", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Absurdly_deep_bodies_are_refused_without_recursion()
    {
        JsonNode deep = new JsonArray();
        for (var i = 0; i < 5000; i++)
            deep = new JsonArray(deep);
        var body = TemplateFixtures.Parse(TemplateFixtures.QuickstartFilled);
        body["properties"]!["customize"] = deep;

        var error = Assert.Single(ImageTemplateValidator.Validate(body, "2022-07-01"));

        Assert.Equal(ValidationCodes.TooLarge, error.Code);
    }

    [Fact]
    public void Huge_lists_are_bounded()
    {
        var body = TemplateFixtures.Parse(TemplateFixtures.QuickstartFilled);
        var inline = new JsonArray();
        for (var i = 0; i < 5000; i++)
            inline.Add("echo " + i);
        body["properties"]!["customize"]![3]!["inline"] = inline;

        var errors = ImageTemplateValidator.Validate(body, "2022-07-01");

        Assert.Contains(errors, e => e.Code == ValidationCodes.OutOfRange && e.Target == "properties.customize[3].inline");
    }

    private static string Mutate(JsonObject root, Random random)
    {
        var slots = new List<(JsonNode Parent, object Key, string Path)>();
        Collect(root, "", slots);
        var (parent, key, path) = slots[random.Next(slots.Count)];
        switch (random.Next(4))
        {
            case 0: // remove
                if (parent is JsonObject removeFrom)
                    removeFrom.Remove((string)key);
                else
                    ((JsonArray)parent).RemoveAt((int)key);
                return "-" + path;
            case 1 when parent is JsonObject renameIn: // rename (case change or another known key)
            {
                var value = renameIn[(string)key];
                renameIn.Remove((string)key);
                var newKey = random.Next(2) == 0 ? ((string)key).ToUpperInvariant() : Keys[random.Next(Keys.Length)];
                renameIn[newKey] = value?.DeepClone();
                return $"{path} renamed {newKey}";
            }
            case 2 when parent is JsonObject addTo: // add a field next to it
            {
                var newKey = Keys[random.Next(Keys.Length)];
                var text = Values[random.Next(Values.Length)];
                addTo[newKey] = JsonNode.Parse(text);
                return $"{path}~{newKey}={text}";
            }
            default: // replace
            {
                var text = Values[random.Next(Values.Length)];
                var value = JsonNode.Parse(text);
                if (parent is JsonObject replaceIn)
                    replaceIn[(string)key] = value;
                else
                    ((JsonArray)parent)[(int)key] = value;
                return $"{path}={text}";
            }
        }
    }

    private static void Collect(JsonNode node, string path, List<(JsonNode, object, string)> slots)
    {
        if (node is JsonObject obj)
        {
            foreach (var (k, child) in obj.ToList())
            {
                var p = path.Length == 0 ? k : path + "." + k;
                slots.Add((obj, k, p));
                if (child is not null)
                    Collect(child, p, slots);
            }
        }
        else if (node is JsonArray arr)
        {
            for (var i = 0; i < arr.Count; i++)
            {
                var p = $"{path}[{i}]";
                slots.Add((arr, i, p));
                if (arr[i] is not null)
                    Collect(arr[i]!, p, slots);
            }
        }
    }
}
