using static Kiln.Domain.Tests.Templates.TemplateCase;
using C = Kiln.Domain.Templates.ValidationCodes;
using F = Kiln.Domain.Tests.Templates.TemplateFixtures;

namespace Kiln.Domain.Tests.Templates;

/// <summary>Rows for properties.distribute[]; in the quickstart base [0] is a SharedImage with targetRegions.</summary>
public static class DistributorCases
{
    private const string D = "properties.distribute";
    private const string D0 = "properties.distribute[0]";
    private static readonly string Managed = T("""{"type":"ManagedImage","imageId":"@IMG@","location":"westus2","runOutputName":"managed"}""");

    public static TheoryData<TemplateCase> Rows => new()
    {
        Good("plus a managed image", A07, "Q", Json(D + "[1]", Managed)),
        Good("plus a VHD in staging storage", A07, "Q", Json(D + "[1]", """{"type":"VHD","runOutputName":"vhd"}""")),
        Good("plus a VHD to a given blob", A07, "Q", Json(D + "[1]", """{"type":"VHD","runOutputName":"vhd","uri":"https://sa.blob.core.windows.net/vhds/x.vhd"}""")),
        Good("explicit gallery version", A07, "Q", Str(D0 + ".galleryImageId", F.GalleryDef + "/versions/1.0.0")),
        Good("versioning Latest with major -1", A07, "Q", Json(D0 + ".versioning", """{"scheme":"Latest","major":-1}""")),
        Good("versioning Latest without major", A07, "Q", Json(D0 + ".versioning", """{"scheme":"Latest"}""")),
        Good("versioning Source", A07, "Q", Json(D0 + ".versioning", """{"scheme":"Source"}""")),
        Good("deprecated replicationRegions alone", A07, "Q", Del(D0 + ".targetRegions"), Json(D0 + ".replicationRegions", """["westus2","eastus"]""")),
        Good("deprecated replicationRegions with storageAccountType", A07, "Q", Del(D0 + ".targetRegions"),
            Json(D0 + ".replicationRegions", """["westus2"]"""), Str(D0 + ".storageAccountType", "Standard_ZRS")),
        Good("no regions at all (gallery's own region)", A07, "Q", Del(D0 + ".targetRegions")),
        Good("excludeFromLatest and artifactTags", A07, "Q", Json(D0 + ".excludeFromLatest", "true"), Json(D0 + ".artifactTags", """{"built-by":"kiln"}""")),
        Good("runOutputName with - _ .", A07, "Q", Str(D0 + ".runOutputName", "a-b_c.d")),
        Good("distributor type in lower case before 2024-02-01", A07, "Q", Str(D0 + ".type", "sharedimage")),
        Good("source definition differs from target", A07, "Q",
            Json("properties.source", T("""{"type":"SharedImageVersion","imageVersionId":"@OTHER@/versions/latest"}"""))),

        Bad("no distribute", A07, "Q", D, C.MissingField, Del(D)),
        Bad("empty distribute", A07, "Q", D, C.InvalidValue, Json(D, "[]")),
        Bad("distribute is an object", A07, "Q", D, C.InvalidType, Json(D, "{}")),
        Bad("distributor is a string", A07, "Q", D0, C.InvalidType, Str(D0, "SharedImage")),
        Bad("distributor without type", A07, "Q", D0 + ".type", C.MissingField, Del(D0 + ".type")),
        Bad("unknown distributor type", A07, "Q", D0 + ".type", C.UnknownKind, Str(D0 + ".type", "Gallery")),
        Bad("no runOutputName", A07, "Q", D0 + ".runOutputName", C.MissingField, Del(D0 + ".runOutputName")),
        Bad("runOutputName with a space", A07, "Q", D0 + ".runOutputName", C.InvalidValue, Str(D0 + ".runOutputName", "a b")),
        Bad("runOutputName of 65 characters", A07, "Q", D0 + ".runOutputName", C.InvalidValue, Str(D0 + ".runOutputName", new string('a', 65))),
        Bad("runOutputName with a slash", A07, "Q", D0 + ".runOutputName", C.InvalidValue, Str(D0 + ".runOutputName", "../x")),
        Bad("runOutputName placeholder", A07, "Q", D0 + ".runOutputName", C.InvalidValue, Str(D0 + ".runOutputName", "<runOutputName>")),
        Bad("runOutputName is a number", A07, "Q", D0 + ".runOutputName", C.InvalidType, Json(D0 + ".runOutputName", "7")),
        Bad("runOutputName used twice (any case)", A07, "Q", D + "[1].runOutputName", C.Duplicate,
            Json(D + "[1]", Managed), Str(D + "[1].runOutputName", "AIBLINUXSIG")),
        Bad("no galleryImageId", A07, "Q", D0 + ".galleryImageId", C.MissingField, Del(D0 + ".galleryImageId")),
        Bad("galleryImageId names a managed image", A07, "Q", D0 + ".galleryImageId", C.InvalidResourceId, Str(D0 + ".galleryImageId", F.ManagedImage)),
        Bad("galleryImageId with ..", A07, "Q", D0 + ".galleryImageId", C.InvalidResourceId, Str(D0 + ".galleryImageId", F.GalleryDef + "/../other")),
        Bad("galleryImageId with version 1.0", A07, "Q", D0 + ".galleryImageId", C.InvalidResourceId, Str(D0 + ".galleryImageId", F.GalleryDef + "/versions/1.0")),
        Bad("galleryImageId with version latest", A07, "Q", D0 + ".galleryImageId", C.InvalidResourceId, Str(D0 + ".galleryImageId", F.GalleryDef + "/versions/latest")),
        Bad("gallery name with '-'", A07, "Q", D0 + ".galleryImageId", C.InvalidResourceId, Str(D0 + ".galleryImageId", F.GalleryDef.Replace("myGallery", "my-gallery"))),
        Bad("galleryImageId placeholders left in", A07, "Q", D0 + ".galleryImageId", C.InvalidResourceId,
            Str(D0 + ".galleryImageId", "/subscriptions/<subscriptionID>/resourceGroups/<rgName>/providers/Microsoft.Compute/galleries/<acgName>/images/<imageDefName>")),
        Bad("explicit version with versioning", A07, "Q", D0 + ".versioning", C.Conflict,
            Str(D0 + ".galleryImageId", F.GalleryDef + "/versions/1.0.0"), Json(D0 + ".versioning", """{"scheme":"Latest"}""")),
        Bad("versioning scheme unknown", A07, "Q", D0 + ".versioning.scheme", C.InvalidValue, Json(D0 + ".versioning", """{"scheme":"Newest"}""")),
        Bad("versioning without scheme", A07, "Q", D0 + ".versioning.scheme", C.MissingField, Json(D0 + ".versioning", """{"major":1}""")),
        Bad("versioning major -2", A07, "Q", D0 + ".versioning.major", C.OutOfRange, Json(D0 + ".versioning", """{"scheme":"Latest","major":-2}""")),
        Bad("versioning major as a string", A07, "Q", D0 + ".versioning.major", C.InvalidType, Json(D0 + ".versioning", """{"scheme":"Latest","major":"1"}""")),
        Bad("versioning Source with major", A07, "Q", D0 + ".versioning.major", C.Conflict, Json(D0 + ".versioning", """{"scheme":"Source","major":1}""")),
        Bad("versioning Source from a managed image", A07, "Q", D0 + ".versioning.scheme", C.Conflict,
            Json("properties.source", T("""{"type":"ManagedImage","imageId":"@IMG@"}""")), Json(D0 + ".versioning", """{"scheme":"Source"}""")),
        Bad("targetRegions is an object", A07, "Q", D0 + ".targetRegions", C.InvalidType, Json(D0 + ".targetRegions", """{"name":"eastus"}""")),
        Bad("target region without name", A07, "Q", D0 + ".targetRegions[0].name", C.MissingField, Del(D0 + ".targetRegions[0].name")),
        Bad("replicaCount 0", A07, "Q", D0 + ".targetRegions[1].replicaCount", C.OutOfRange, Json(D0 + ".targetRegions[1].replicaCount", "0")),
        Bad("replicaCount 101", A07, "Q", D0 + ".targetRegions[1].replicaCount", C.OutOfRange, Json(D0 + ".targetRegions[1].replicaCount", "101")),
        Bad("replicaCount 1.5", A07, "Q", D0 + ".targetRegions[1].replicaCount", C.InvalidType, Json(D0 + ".targetRegions[1].replicaCount", "1.5")),
        Bad("replicaCount as a string", A07, "Q", D0 + ".targetRegions[1].replicaCount", C.InvalidType, Str(D0 + ".targetRegions[1].replicaCount", "2")),
        Bad("storage type Premium_ZRS", A07, "Q", D0 + ".targetRegions[0].storageAccountType", C.InvalidValue, Str(D0 + ".targetRegions[0].storageAccountType", "Premium_ZRS")),
        Bad("same target region twice", A07, "Q", D0 + ".targetRegions", C.Duplicate, Str(D0 + ".targetRegions[1].name", "WestUS2")),
        Bad("replicationRegions with targetRegions", A07, "Q", D0 + ".replicationRegions", C.Conflict, Json(D0 + ".replicationRegions", """["westus2"]""")),
        Bad("storageAccountType without replicationRegions", A07, "Q", D0 + ".storageAccountType", C.Conflict, Str(D0 + ".storageAccountType", "Standard_LRS")),
        Bad("replicationRegions as a string", A07, "Q", D0 + ".replicationRegions", C.InvalidType, Del(D0 + ".targetRegions"), Str(D0 + ".replicationRegions", "westus2")),
        Bad("managed image without location", A07, "Q", D + "[1].location", C.MissingField, Json(D + "[1]", Managed), Del(D + "[1].location")),
        Bad("managed image without imageId", A07, "Q", D + "[1].imageId", C.MissingField, Json(D + "[1]", Managed), Del(D + "[1].imageId")),
        Bad("managed image id names a gallery", A07, "Q", D + "[1].imageId", C.InvalidResourceId, Json(D + "[1]", Managed), Str(D + "[1].imageId", F.GalleryDef)),
        Bad("managed image name ending in '.'", A07, "Q", D + "[1].imageId", C.InvalidResourceId, Json(D + "[1]", Managed), Str(D + "[1].imageId", F.ManagedImage + ".")),
        Bad("VHD uri not http(s)", A07, "Q", D + "[1].uri", C.InvalidValue, Json(D + "[1]", """{"type":"VHD","runOutputName":"vhd","uri":"ftp://host/x.vhd"}""")),
        Bad("artifact tag value a number", A07, "Q", D0 + ".artifactTags.a", C.InvalidType, Json(D0 + ".artifactTags", """{"a":1}""")),
        Bad("excludeFromLatest as a string", A07, "Q", D0 + ".excludeFromLatest", C.InvalidType, Str(D0 + ".excludeFromLatest", "false")),
        Bad("source and target are the same definition (any case)", A07, "Q", D0 + ".galleryImageId", C.Conflict,
            Json("properties.source", T("""{"type":"SharedImageVersion","imageVersionId":"@DEF@/versions/latest"}""").Replace("myGallery/images/myImageDef", "MYGALLERY/IMAGES/MYIMAGEDEF"))),
        Bad("distributor type case under 2024-02-01", A24, "Q", D0 + ".type", C.UnknownKind, Str(D0 + ".type", "sharedImage")),
    };
}
