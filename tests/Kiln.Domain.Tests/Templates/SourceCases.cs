using static Kiln.Domain.Tests.Templates.TemplateCase;
using C = Kiln.Domain.Templates.ValidationCodes;
using F = Kiln.Domain.Tests.Templates.TemplateFixtures;

namespace Kiln.Domain.Tests.Templates;

/// <summary>Rows for properties.source: the three kinds and their fields.</summary>
public static class SourceCases
{
    private const string S = "properties.source";

    public static TheoryData<TemplateCase> Rows => new()
    {
        Good("managed image source", A07, "Q", Json(S, T("""{"type":"ManagedImage","imageId":"@IMG@"}"""))),
        Good("gallery version source, explicit version", A07, "Q", Json(S, T("""{"type":"SharedImageVersion","imageVersionId":"@OTHER@/versions/1.0.0"}"""))),
        Good("gallery version source, latest, echoing read-only exactVersion", A24, "Q",
            Json(S, T("""{"type":"SharedImageVersion","imageVersionId":"@OTHER@/versions/latest","exactVersion":"@OTHER@/versions/1.0.1"}"""))),
        Good("platform image pinned version", A07, "Q", Str(S + ".version", "18.04.202210180")),
        Good("platform image with plan", A07, "Q", Json(S + ".planInfo", """{"planName":"rhel-lvm75","planProduct":"rhel-byos","planPublisher":"redhat"}""")),
        Good("source type in lower case before 2024-02-01", A07, "Q", Str(S + ".type", "platformimage")),
        Good("field names in any case before 2024-02-01", A07, "Q", Del(S + ".publisher"), Str(S + ".Publisher", "Canonical")),

        Bad("no source", A07, "Q", S, C.MissingField, Del(S)),
        Bad("source is a string", A07, "Q", S, C.InvalidType, Str(S, "Canonical:UbuntuServer")),
        Bad("source without type", A07, "Q", S + ".type", C.MissingField, Del(S + ".type")),
        Bad("unknown source type", A07, "Q", S + ".type", C.UnknownKind, Str(S + ".type", "Marketplace")),
        Bad("source type is a number", A07, "Q", S + ".type", C.InvalidType, Json(S + ".type", "1")),
        Bad("no publisher", A07, "Q", S + ".publisher", C.MissingField, Del(S + ".publisher")),
        Bad("no offer", A07, "Q", S + ".offer", C.MissingField, Del(S + ".offer")),
        Bad("no sku", A07, "Q", S + ".sku", C.MissingField, Del(S + ".sku")),
        Bad("no version", A07, "Q", S + ".version", C.MissingField, Del(S + ".version")),
        Bad("empty offer", A07, "Q", S + ".offer", C.InvalidValue, Str(S + ".offer", "")),
        Bad("version is not latest or x.y.z", A07, "Q", S + ".version", C.InvalidValue, Str(S + ".version", "newest")),
        Bad("publisher with a path", A07, "Q", S + ".publisher", C.InvalidValue, Str(S + ".publisher", "../Canonical")),
        Bad("sku is a number", A07, "Q", S + ".sku", C.InvalidType, Json(S + ".sku", "18")),
        Bad("plan without planProduct", A07, "Q", S + ".planInfo.planProduct", C.MissingField,
            Json(S + ".planInfo", """{"planName":"a","planPublisher":"c"}""")),
        Bad("plan is a string", A07, "Q", S + ".planInfo", C.InvalidType, Str(S + ".planInfo", "rhel")),
        Bad("managed image without imageId", A07, "Q", S + ".imageId", C.MissingField, Json(S, """{"type":"ManagedImage"}""")),
        Bad("managed image id names a gallery image", A07, "Q", S + ".imageId", C.InvalidResourceId,
            Json(S, T("""{"type":"ManagedImage","imageId":"@DEF@"}"""))),
        Bad("gallery version source without imageVersionId", A07, "Q", S + ".imageVersionId", C.MissingField, Json(S, """{"type":"SharedImageVersion"}""")),
        Bad("gallery version source names a definition", A07, "Q", S + ".imageVersionId", C.InvalidResourceId,
            Json(S, T("""{"type":"SharedImageVersion","imageVersionId":"@OTHER@"}"""))),
        Bad("gallery version 1.0", A07, "Q", S + ".imageVersionId", C.InvalidResourceId,
            Json(S, T("""{"type":"SharedImageVersion","imageVersionId":"@OTHER@/versions/1.0"}"""))),
        Bad("gallery name with '-'", A07, "Q", S + ".imageVersionId", C.InvalidResourceId,
            Json(S, T("""{"type":"SharedImageVersion","imageVersionId":"@OTHER@/versions/1.0.0"}""").Replace("myGallery", "my-gallery"))),
        Bad("gallery version id with ..", A07, "Q", S + ".imageVersionId", C.InvalidResourceId,
            Json(S, T("""{"type":"SharedImageVersion","imageVersionId":"@OTHER@/versions/../../x/versions/1.0.0"}"""))),
        Bad("source type case under 2024-02-01", A24, "Q", S + ".type", C.UnknownKind, Str(S + ".type", "platformImage")),
        Bad("field name case under 2024-02-01", A24, "Q", S + ".Publisher", C.UnknownField, Del(S + ".publisher"), Str(S + ".Publisher", "Canonical")),
        Bad("unknown source field under 2024-02-01", A24, "Q", S + ".urn", C.UnknownField, Str(S + ".urn", "Canonical:UbuntuServer:18.04-LTS:latest")),
    };
}
