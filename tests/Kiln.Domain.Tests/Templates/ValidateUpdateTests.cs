using Kiln.Domain.Templates;
using static Kiln.Domain.Tests.Templates.TemplateCase;

namespace Kiln.Domain.Tests.Templates;

/// <summary>PATCH bodies: tags and identity always; properties.distribute/vmProfile from 2024-02-01.</summary>
public sealed class ValidateUpdateTests
{
    public static TheoryData<string, string, string, string?, string?> Rows => new()
    {
        { "tags only", A07, """{"tags":{"a":"b"}}""", null, null },
        { "empty patch", A07, "{}", null, null },
        { "remove identity with None", A07, """{"identity":{"type":"None"}}""", null, null },
        { "None with an empty map", A07, """{"identity":{"type":"None","userAssignedIdentities":{}}}""", null, null },
        { "swap identity", A07, T("""{"identity":{"type":"UserAssigned","userAssignedIdentities":{"@ID@":{}}}}"""), null, null },
        { "vmProfile in 2024-02-01", A24, """{"properties":{"vmProfile":{"vmSize":"Standard_D4s_v3","osDiskSizeGB":64}}}""", null, null },
        { "distribute in 2024-02-01", A24, T("""{"properties":{"distribute":[{"type":"SharedImage","galleryImageId":"@DEF@","runOutputName":"sig"}]}}"""), null, null },
        { "None with an identity", A07, T("""{"identity":{"type":"None","userAssignedIdentities":{"@ID@":{}}}}"""), "identity.userAssignedIdentities", ValidationCodes.Conflict },
        { "two identities", A07, T("""{"identity":{"type":"UserAssigned","userAssignedIdentities":{"@ID@":{},"@ID@x":{}}}}"""), "identity.userAssignedIdentities", ValidationCodes.InvalidValue },
        { "identity without type", A07, T("""{"identity":{"userAssignedIdentities":{"@ID@":{}}}}"""), "identity.type", ValidationCodes.MissingField },
        { "bad identity id", A07, T("""{"identity":{"type":"UserAssigned","userAssignedIdentities":{"@IMG@":{}}}}"""), "identity.userAssignedIdentities", ValidationCodes.InvalidResourceId },
        { "tags as a list", A07, """{"tags":[]}""", "tags", ValidationCodes.InvalidType },
        { "properties before 2024-02-01", A07, """{"properties":{"vmProfile":{}}}""", "properties", ValidationCodes.NotSupportedInApiVersion },
        { "source cannot be patched", A24, """{"properties":{"source":{}}}""", "properties.source", ValidationCodes.UnknownField },
        { "bad runOutputName in patched distribute", A24, T("""{"properties":{"distribute":[{"type":"VHD","runOutputName":"a b"}]}}"""), "properties.distribute[0].runOutputName", ValidationCodes.InvalidValue },
        { "bad vmProfile in patch", A24, """{"properties":{"vmProfile":{"osDiskSizeGB":-5}}}""", "properties.vmProfile.osDiskSizeGB", ValidationCodes.OutOfRange },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Patch_bodies(string label, string api, string json, string? target, string? code)
    {
        var errors = ImageTemplateValidator.ValidateUpdate(TemplateFixtures.Parse(json), api);

        var listing = string.Join("\n", errors.Select(e => $"  [{e.Code}] {e.Target}: {e.Message}"));
        if (target is null)
            Assert.True(errors.Count == 0, $"{label}: expected valid, got:\n{listing}");
        else
            Assert.True(errors.Any(e => e.Target == target && e.Code == code), $"{label}: expected [{code}] at {target}, got:\n{listing}");
    }
}
