using System.Text.Json;
using System.Text.Json.Nodes;
using Kiln.Domain.Templates;
using Xunit.Abstractions;

namespace Kiln.Domain.Tests.Templates;

/// <summary>
/// One table row: a base template, edits, the api-version, and either "valid" or the error
/// (target + code) that must be among those reported. Serializable so each row is its own test.
/// </summary>
public sealed class TemplateCase : IXunitSerializable
{
    public const string A14 = "2022-02-14", A07 = "2022-07-01", A23 = "2023-07-01", A24 = "2024-02-01";

    public string Label { get; private set; } = "";
    public string Base { get; private set; } = "Q";
    public string Api { get; private set; } = A07;
    public string[] Edits { get; private set; } = [];
    public string? Target { get; private set; }
    public string? Code { get; private set; }

    public TemplateCase() { }

    public static TemplateCase Good(string label, string api, string baseName, params string[] edits) =>
        new() { Label = label, Api = api, Base = baseName, Edits = edits };

    public static TemplateCase Bad(string label, string api, string baseName, string target, string code, params string[] edits) =>
        new() { Label = label, Api = api, Base = baseName, Edits = edits, Target = target, Code = code };

    // Edit builders: Str sets a JSON string, Json sets raw JSON, Del removes.
    public static string Str(string path, string value) => path + "=" + JsonSerializer.Serialize(value);
    public static string Json(string path, string json) => path + "=" + json;
    public static string Del(string path) => "-" + path;

    public static string IdentityWith(string id, string value = "{}") =>
        Json("identity", """{"type":"UserAssigned","userAssignedIdentities":{""" + JsonSerializer.Serialize(id) + ":" + value + "}}");

    /// <summary>Fills the fixture tokens (@ID@, @SUB@, @DEF@, @OTHER@, @IMG@, @SUBNET@) of a JSON snippet.</summary>
    public static string T(string json) => json
        .Replace("@ID@", TemplateFixtures.IdentityId).Replace("@SUBNET@", TemplateFixtures.Subnet)
        .Replace("@DEF@", TemplateFixtures.GalleryDef).Replace("@OTHER@", TemplateFixtures.OtherDef)
        .Replace("@IMG@", TemplateFixtures.ManagedImage).Replace("@SUB@", TemplateFixtures.Sub);

    public JsonObject Body()
    {
        var body = TemplateFixtures.Parse(Base switch
        {
            "Q" => TemplateFixtures.QuickstartFilled,
            "F" => TemplateFixtures.Full2024,
            "M" => TemplateFixtures.MinimalAllVersions,
            _ => throw new ArgumentException("unknown base " + Base),
        });
        foreach (var e in Edits)
            new JsonEdit(e).ApplyTo(body);
        return body;
    }

    public void Verify()
    {
        var errors = ImageTemplateValidator.Validate(Body(), Api);
        var listing = string.Join("\n", errors.Select(e => $"  [{e.Code}] {e.Target}: {e.Message}"));
        if (Target is null)
        {
            Assert.True(errors.Count == 0, $"{this}: expected valid, got:\n{listing}");
            return;
        }
        Assert.True(errors.Any(e => e.Target == Target && e.Code == Code), $"{this}: expected [{Code}] at {Target}, got:\n{listing}");
        foreach (var e in errors)
        {
            // Messages lead with the path and end in a sentence, so they read well in az output.
            Assert.False(string.IsNullOrWhiteSpace(e.Message));
            Assert.True(e.Message.EndsWith('.'), $"{this}: message is not a sentence: {e.Message}");
            if (e.Target.Length > 0)
                Assert.StartsWith(e.Target, e.Message, StringComparison.Ordinal);
        }
    }

    public override string ToString() => $"{Label} ({Api}, base {Base}{(Target is null ? ", valid" : $", {Code} at {Target}")})";

    public void Deserialize(IXunitSerializationInfo info)
    {
        Label = info.GetValue<string>(nameof(Label));
        Base = info.GetValue<string>(nameof(Base));
        Api = info.GetValue<string>(nameof(Api));
        Edits = info.GetValue<string[]>(nameof(Edits));
        Target = info.GetValue<string?>(nameof(Target));
        Code = info.GetValue<string?>(nameof(Code));
    }

    public void Serialize(IXunitSerializationInfo info)
    {
        info.AddValue(nameof(Label), Label);
        info.AddValue(nameof(Base), Base);
        info.AddValue(nameof(Api), Api);
        info.AddValue(nameof(Edits), Edits);
        info.AddValue(nameof(Target), Target);
        info.AddValue(nameof(Code), Code);
    }
}
