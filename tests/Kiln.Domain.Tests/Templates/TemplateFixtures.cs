using System.Text.Json.Nodes;

namespace Kiln.Domain.Tests.Templates;

/// <summary>Template bodies the tests start from; each test gets a fresh copy to mutate.</summary>
internal static class TemplateFixtures
{
    public const string Sub = "0b0c0d0e-1111-2222-3333-444455556666";
    public const string Rg = "aibRg";
    public const string IdentityId = $"/subscriptions/{Sub}/resourcegroups/{Rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/aibIdentity";
    public const string GalleryDef = $"/subscriptions/{Sub}/resourceGroups/{Rg}/providers/Microsoft.Compute/galleries/myGallery/images/myImageDef";
    public const string OtherDef = $"/subscriptions/{Sub}/resourceGroups/{Rg}/providers/Microsoft.Compute/galleries/myGallery/images/baseDef";
    public const string ManagedImage = $"/subscriptions/{Sub}/resourceGroups/{Rg}/providers/Microsoft.Compute/images/myImage";
    public const string Subnet = $"/subscriptions/{Sub}/resourceGroups/netRg/providers/Microsoft.Network/virtualNetworks/vnet1/subnets/build";

    /// <summary>
    /// Azure/azvmimagebuilder quickquickstarts/9 helloImageTemplate.json as users send it:
    /// the top-level apiVersion, the read-only source.exactVersion and the embedded newline kept.
    /// </summary>
    public const string QuickstartRaw = """
    {
      "apiVersion": "2022-07-01",
      "location": "<region1>",
      "identity": { "type": "UserAssigned", "userAssignedIdentities": { "<imgBuilderId>": {} } },
      "properties": {
        "source": {
          "exactVersion": "18.04.202210180",
          "offer": "UbuntuServer",
          "publisher": "Canonical",
          "sku": "18.04-LTS",
          "type": "PlatformImage",
          "version": "latest"
        },
        "customize": [
          {
            "name": "RunScriptFromSource",
            "scriptUri": "https://raw.githubusercontent.com/danielsollondon/azvmimagebuilder/master/quickquickstarts/customizeScript.sh",
            "sha256Checksum": "2c6ff6902a4a52deee69e8db26d0036a53388651008aaf31795bb20dabd21fd8",
            "type": "Shell"
          },
          {
            "name": "CheckSumCompareShellScript",
            "scriptUri": "https://raw.githubusercontent.com/danielsollondon/azvmimagebuilder/master/quickquickstarts/customizeScript2.sh",
            "sha256Checksum": "ade4c5214c3c675e92c66e2d067a870c5b81b9844b3de3cc72c49ff36425fc93",
            "type": "Shell"
          },
          {
            "destination": "/tmp/index.html",
            "name": "downloadBuildArtifacts",
            "sha256Checksum": "d9715d72889fb1a0463d06ce9e89d1d2bd33b2c5e5362a736db6f5a25e601a58",
            "sourceUri": "https://raw.githubusercontent.com/danielsollondon/azvmimagebuilder/master/quickquickstarts/exampleArtifacts/buildArtifacts/index.html",
            "type": "File"
          },
          {
            "inline": [ "sudo mkdir /buildArtifacts", "\nsudo cp /tmp/index.html /buildArtifacts/index.html" ],
            "name": "setupBuildPath",
            "type": "Shell"
          },
          {
            "inline": [ "sudo apt install unattended-upgrades" ],
            "name": "InstallUpgrades",
            "type": "Shell"
          }
        ],
        "distribute": [
          {
            "type": "SharedImage",
            "galleryImageId": "/subscriptions/<subscriptionID>/resourceGroups/<rgName>/providers/Microsoft.Compute/galleries/<acgName>/images/<imageDefName>",
            "runOutputName": "<runOutputName>",
            "targetRegions": [
              { "name": "<region1>", "storageAccountType": "Premium_LRS" },
              { "name": "<region2>", "replicaCount": 2, "storageAccountType": "Standard_ZRS" }
            ]
          }
        ]
      }
    }
    """;

    /// <summary>The quickstart with its placeholders filled the way the how-to's sed lines do.</summary>
    public static string QuickstartFilled => QuickstartRaw
        .Replace("<region1>", "westus2").Replace("<region2>", "eastus")
        .Replace("<imgBuilderId>", IdentityId).Replace("<subscriptionID>", Sub).Replace("<rgName>", Rg)
        .Replace("<acgName>", "myGallery").Replace("<imageDefName>", "myImageDef").Replace("<runOutputName>", "aibLinuxSIG");

    /// <summary>Every optional feature of 2024-02-01 at once, all valid.</summary>
    public const string Full2024 = $$"""
    {
      "location": "westus2",
      "tags": { "team": "images", "env": "test" },
      "identity": { "type": "UserAssigned", "userAssignedIdentities": { "{{IdentityId}}": {} } },
      "properties": {
        "source": {
          "type": "SharedImageVersion",
          "imageVersionId": "{{OtherDef}}/versions/latest"
        },
        "customize": [
          { "type": "Shell", "name": "inline", "inline": [ "echo hello" ] },
          { "type": "PowerShell", "name": "ps", "scriptUri": "https://example.com/a.ps1", "runElevated": true, "runAsSystem": true, "validExitCodes": [ 0, 3010 ] },
          { "type": "WindowsRestart", "restartCommand": "shutdown /r /f /t 0", "restartCheckCommand": "echo ok", "restartTimeout": "10m" },
          { "type": "WindowsUpdate", "searchCriteria": "IsInstalled=0", "filters": [ "include:$true" ], "updateLimit": 20 },
          { "type": "File", "sourceUri": "https://example.com/f.txt", "destination": "C:\\f.txt" }
        ],
        "optimize": { "vmBoot": { "state": "Enabled" } },
        "validate": {
          "continueDistributeOnFailure": false,
          "sourceValidationOnly": false,
          "inVMValidations": [
            { "type": "File", "sourceUri": "https://example.com/check.sh", "destination": "/tmp/check.sh" },
            { "type": "Shell", "name": "check", "inline": [ "bash /tmp/check.sh" ] },
            { "type": "PowerShell", "inline": [ "exit 0" ], "validExitCodes": [ 0 ] }
          ]
        },
        "distribute": [
          {
            "type": "SharedImage",
            "galleryImageId": "{{GalleryDef}}",
            "runOutputName": "sig",
            "artifactTags": { "source": "kiln" },
            "excludeFromLatest": false,
            "targetRegions": [ { "name": "westus2", "replicaCount": 1, "storageAccountType": "Standard_LRS" } ],
            "versioning": { "scheme": "Latest", "major": 1 }
          },
          { "type": "ManagedImage", "imageId": "{{ManagedImage}}", "location": "westus2", "runOutputName": "managed" },
          { "type": "VHD", "runOutputName": "vhd", "uri": "https://account.blob.core.windows.net/vhds/image.vhd" }
        ],
        "errorHandling": { "onCustomizerError": "abort", "onValidationError": "cleanup" },
        "buildTimeoutInMinutes": 120,
        "vmProfile": {
          "vmSize": "Standard_D2ds_v4",
          "osDiskSizeGB": 64,
          "userAssignedIdentities": [ "{{IdentityId}}" ],
          "vnetConfig": { "subnetId": "{{Subnet}}", "containerInstanceSubnetId": "{{Subnet}}2" }
        },
        "stagingResourceGroup": "/subscriptions/{{Sub}}/resourceGroups/aibStaging",
        "autoRun": { "state": "Disabled" },
        "managedResourceTags": { "owner": "kiln" }
      }
    }
    """;

    /// <summary>A minimal valid template that works in every api-version (2022-02-14 needs replicationRegions).</summary>
    public const string MinimalAllVersions = $$"""
    {
      "location": "westus2",
      "identity": { "type": "UserAssigned", "userAssignedIdentities": { "{{IdentityId}}": {} } },
      "properties": {
        "source": { "type": "PlatformImage", "publisher": "Canonical", "offer": "0001-com-ubuntu-server-jammy", "sku": "22_04-lts-gen2", "version": "latest" },
        "customize": [ { "type": "Shell", "name": "hello", "inline": [ "echo hello" ] } ],
        "distribute": [
          { "type": "SharedImage", "galleryImageId": "{{GalleryDef}}", "runOutputName": "sig", "replicationRegions": [ "westus2" ] },
          { "type": "ManagedImage", "imageId": "{{ManagedImage}}", "location": "westus2", "runOutputName": "managed" },
          { "type": "VHD", "runOutputName": "vhd" }
        ]
      }
    }
    """;

    public static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();
}
