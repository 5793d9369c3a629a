using Kiln.Domain.Templates;
using static Kiln.Domain.Tests.Templates.TemplateCase;
using C = Kiln.Domain.Templates.ValidationCodes;
using F = Kiln.Domain.Tests.Templates.TemplateFixtures;

namespace Kiln.Domain.Tests.Templates;

/// <summary>Rows for the ARM envelope: location, tags, identity, properties.</summary>
public static class EnvelopeCases
{
    private const string Wrong = $"/subscriptions/{F.Sub}/resourceGroups/{F.Rg}/providers/Microsoft.Compute/images/notAnIdentity";

    public static TheoryData<TemplateCase> Rows => new()
    {
        Good("quickstart as filled by the how-to", A07, "Q"),
        Good("quickstart under 2023-07-01", A23, "Q"),
        Good("quickstart under 2024-02-01 (exact names, read-only exactVersion ignored)", A24, "Q"),
        Good("tags", A07, "Q", Json("tags", """{"team":"images"}""")),
        Good("display-name location", A07, "Q", Str("location", "West US 2")),
        Good("identity id with resourceGroups casing", A07, "Q", IdentityWith(F.IdentityId.Replace("resourcegroups", "resourceGroups"))),
        Good("identity value echoing read-only principalId/clientId", A07, "Q", IdentityWith(F.IdentityId, """{"principalId":"p","clientId":"c"}""")),
        Good("identity value null", A07, "Q", IdentityWith(F.IdentityId, "null")),
        Good("identity type in lower case before 2024-02-01", A07, "Q", Str("identity.type", "userassigned")),
        Good("read-only envelope fields are ignored", A24, "Q", Str("id", "/x"), Str("name", "t"), Json("systemData", "{}")),

        Bad("no location", A07, "Q", "location", C.MissingField, Del("location")),
        Bad("location is a number", A07, "Q", "location", C.InvalidType, Json("location", "5")),
        Bad("location empty", A07, "Q", "location", C.InvalidValue, Str("location", "")),
        Bad("location with a path", A07, "Q", "location", C.InvalidValue, Str("location", "../etc")),
        Bad("location placeholder left in", A07, "Q", "location", C.InvalidValue, Str("location", "<region1>")),
        Bad("tags is a list", A07, "Q", "tags", C.InvalidType, Json("tags", "[]")),
        Bad("tag value is a number", A07, "Q", "tags.a", C.InvalidType, Json("tags", """{"a":1}""")),
        Bad("no identity", A07, "Q", "identity", C.MissingField, Del("identity")),
        Bad("identity is a string", A07, "Q", "identity", C.InvalidType, Str("identity", "UserAssigned")),
        Bad("system-assigned identity", A07, "Q", "identity.type", C.InvalidValue, Str("identity.type", "SystemAssigned")),
        Bad("identity type None on create", A07, "Q", "identity.type", C.InvalidValue, Str("identity.type", "None")),
        Bad("identity without type", A07, "Q", "identity.type", C.MissingField, Del("identity.type")),
        Bad("identity without userAssignedIdentities", A07, "Q", "identity.userAssignedIdentities", C.MissingField, Del("identity.userAssignedIdentities")),
        Bad("no identities in the map", A07, "Q", "identity.userAssignedIdentities", C.InvalidValue, Json("identity.userAssignedIdentities", "{}")),
        Bad("two identities", A07, "Q", "identity.userAssignedIdentities", C.InvalidValue,
            Json("identity.userAssignedIdentities", T("""{"@ID@":{},"@ID@2":{}}"""))),
        Bad("identity id of another type", A07, "Q", "identity.userAssignedIdentities", C.InvalidResourceId, IdentityWith(Wrong)),
        Bad("identity id with ..", A07, "Q", "identity.userAssignedIdentities", C.InvalidResourceId, IdentityWith(F.IdentityId + "/../x")),
        Bad("identity subscription not a GUID", A07, "Q", "identity.userAssignedIdentities", C.InvalidResourceId,
            IdentityWith(F.IdentityId.Replace(F.Sub, "mysub"))),
        Bad("identity name too short", A07, "Q", "identity.userAssignedIdentities", C.InvalidResourceId,
            IdentityWith(F.IdentityId.Replace("aibIdentity", "ab"))),
        Bad("identity placeholder left in", A07, "Q", "identity.userAssignedIdentities", C.InvalidResourceId, IdentityWith("<imgBuilderId>")),
        Bad("identity value is a string", A07, "Q", "identity.userAssignedIdentities", C.InvalidType, IdentityWith(F.IdentityId, "\"x\"")),
        Bad("identity type in lower case under 2024-02-01", A24, "Q", "identity.type", C.InvalidValue, Str("identity.type", "userassigned")),
        Bad("unknown identity field under 2024-02-01", A24, "Q", "identity.kind", C.UnknownField, Str("identity.kind", "x")),
        Bad("no properties", A07, "Q", "properties", C.MissingField, Del("properties")),
        Bad("properties is a list", A07, "Q", "properties", C.InvalidType, Json("properties", "[]")),
    };
}
