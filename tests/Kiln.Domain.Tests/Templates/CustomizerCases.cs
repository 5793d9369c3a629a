using static Kiln.Domain.Tests.Templates.TemplateCase;
using C = Kiln.Domain.Templates.ValidationCodes;

namespace Kiln.Domain.Tests.Templates;

/// <summary>
/// Rows for properties.customize[] and properties.validate. In the quickstart base, [0] is a
/// Shell with scriptUri, [2] a File and [3] a Shell with inline commands.
/// </summary>
public static class CustomizerCases
{
    private const string C0 = "properties.customize[0]";
    private const string V = "properties.validate";
    private const string PowerShell = """{"type":"PowerShell","inline":["Write-Host hi"]}""";

    public static TheoryData<TemplateCase> Rows => new()
    {
        Good("no customizers", A07, "Q", Json("properties.customize", "[]")),
        Good("customize omitted", A07, "Q", Del("properties.customize")),
        Good("PowerShell elevated as system with exit codes", A07, "Q",
            Json(C0, """{"type":"PowerShell","name":"ps","inline":["Write-Host hi"],"runElevated":true,"runAsSystem":true,"validExitCodes":[0,3010]}""")),
        Good("PowerShell from a script URL", A07, "Q", Json(C0, """{"type":"PowerShell","scriptUri":"https://example.com/s.ps1","sha256Checksum":""}""")),
        Good("WindowsRestart with 5m", A07, "Q", Json(C0, """{"type":"WindowsRestart","restartCheckCommand":"echo ok","restartTimeout":"5m"}""")),
        Good("WindowsRestart with 1h30m", A07, "Q", Json(C0, """{"type":"WindowsRestart","restartTimeout":"1h30m"}""")),
        Good("WindowsUpdate with everything", A07, "Q",
            Json(C0, """{"type":"WindowsUpdate","searchCriteria":"IsInstalled=0","filters":["exclude:$_.Title -like '*Preview*'","include:$true"],"updateLimit":20}""")),
        Good("File to a Windows path", A07, "Q", Str("properties.customize[2].destination", "C:\\buildArtifacts\\index.html")),
        Good("checksum in upper case hex", A07, "Q", Str(C0 + ".sha256Checksum", "2C6FF6902A4A52DEEE69E8DB26D0036A53388651008AAF31795BB20DABD21FD8")),
        Good("customizer type in lower case before 2024-02-01", A07, "Q", Str(C0 + ".type", "shell")),
        Good("validate with a Shell validator (2022-02-14)", A14, "M", Json(V, """{"inVMValidations":[{"type":"Shell","inline":["true"]}]}""")),
        Good("validate with File + PowerShell validators", A07, "Q",
            Json(V, """{"continueDistributeOnFailure":true,"sourceValidationOnly":false,"inVMValidations":[{"type":"File","sourceUri":"https://e.com/x","destination":"/tmp/x"},{"type":"PowerShell","scriptUri":"https://e.com/v.ps1","runElevated":true}]}""")),
        Good("empty validate", A07, "Q", Json(V, "{}")),

        Bad("customize is an object", A07, "Q", "properties.customize", C.InvalidType, Json("properties.customize", "{}")),
        Bad("customizer is a string", A07, "Q", C0, C.InvalidType, Str(C0, "echo hi")),
        Bad("customizer without type", A07, "Q", C0 + ".type", C.MissingField, Del(C0 + ".type")),
        Bad("unknown customizer type", A07, "Q", C0 + ".type", C.UnknownKind, Str(C0 + ".type", "Bash")),
        Bad("Shell with scriptUri and inline", A07, "Q", C0, C.Conflict, Json(C0 + ".inline", """["echo"]""")),
        Bad("Shell with neither scriptUri nor inline", A07, "Q", C0, C.MissingField, Del(C0 + ".scriptUri")),
        Bad("inline empty list", A07, "Q", "properties.customize[3].inline", C.InvalidValue, Json("properties.customize[3].inline", "[]")),
        Bad("inline is a string", A07, "Q", "properties.customize[3].inline", C.InvalidType, Str("properties.customize[3].inline", "sudo mkdir /x")),
        Bad("inline item is a number", A07, "Q", "properties.customize[3].inline[1]", C.InvalidType, Json("properties.customize[3].inline[1]", "5")),
        Bad("inline item empty", A07, "Q", "properties.customize[3].inline[0]", C.InvalidValue, Str("properties.customize[3].inline[0]", "  ")),
        Bad("checksum too short", A07, "Q", C0 + ".sha256Checksum", C.InvalidValue, Str(C0 + ".sha256Checksum", "2c6ff690")),
        Bad("checksum not hex", A07, "Q", C0 + ".sha256Checksum", C.InvalidValue, Str(C0 + ".sha256Checksum", new string('z', 64))),
        Bad("script from a local file URL", A07, "Q", C0 + ".scriptUri", C.InvalidValue, Str(C0 + ".scriptUri", "file:///etc/passwd")),
        Bad("script URL not a URL", A07, "Q", C0 + ".scriptUri", C.InvalidValue, Str(C0 + ".scriptUri", "customizeScript.sh")),
        Bad("customizer name is a number", A07, "Q", C0 + ".name", C.InvalidType, Json(C0 + ".name", "1")),
        Bad("File without sourceUri", A07, "Q", "properties.customize[2].sourceUri", C.MissingField, Del("properties.customize[2].sourceUri")),
        Bad("File without destination", A07, "Q", "properties.customize[2].destination", C.MissingField, Del("properties.customize[2].destination")),
        Bad("File to a relative path", A07, "Q", "properties.customize[2].destination", C.InvalidValue, Str("properties.customize[2].destination", "tmp/index.html")),
        Bad("PowerShell runElevated as a string", A07, "Q", C0 + ".runElevated", C.InvalidType,
            Json(C0, """{"type":"PowerShell","inline":["x"],"runElevated":"yes"}""")),
        Bad("PowerShell runAsSystem without runElevated", A07, "Q", C0 + ".runAsSystem", C.Conflict,
            Json(C0, """{"type":"PowerShell","inline":["x"],"runAsSystem":true}""")),
        Bad("PowerShell exit code 1.5", A07, "Q", C0 + ".validExitCodes[1]", C.InvalidType, Json(C0, PowerShell), Json(C0 + ".validExitCodes", "[0,1.5]")),
        Bad("PowerShell exit codes as a string", A07, "Q", C0 + ".validExitCodes", C.InvalidType, Json(C0, PowerShell), Str(C0 + ".validExitCodes", "0")),
        Bad("PowerShell exit code beyond 32 bits", A07, "Q", C0 + ".validExitCodes[0]", C.OutOfRange, Json(C0, PowerShell), Json(C0 + ".validExitCodes", "[99999999999]")),
        Bad("PowerShell without a script", A07, "Q", C0, C.MissingField, Json(C0, """{"type":"PowerShell","runElevated":true}""")),
        Bad("restart timeout in words", A07, "Q", C0 + ".restartTimeout", C.InvalidValue, Json(C0, """{"type":"WindowsRestart","restartTimeout":"5 minutes"}""")),
        Bad("restart timeout zero", A07, "Q", C0 + ".restartTimeout", C.InvalidValue, Json(C0, """{"type":"WindowsRestart","restartTimeout":"0m"}""")),
        Bad("restart timeout a number", A07, "Q", C0 + ".restartTimeout", C.InvalidType, Json(C0, """{"type":"WindowsRestart","restartTimeout":5}""")),
        Bad("update limit negative", A07, "Q", C0 + ".updateLimit", C.OutOfRange, Json(C0, """{"type":"WindowsUpdate","updateLimit":-1}""")),
        Bad("update limit a string", A07, "Q", C0 + ".updateLimit", C.InvalidType, Json(C0, """{"type":"WindowsUpdate","updateLimit":"10"}""")),
        Bad("update limit fractional", A07, "Q", C0 + ".updateLimit", C.InvalidType, Json(C0, """{"type":"WindowsUpdate","updateLimit":1.5}""")),
        Bad("update filters a string", A07, "Q", C0 + ".filters", C.InvalidType, Json(C0, """{"type":"WindowsUpdate","filters":"include:$true"}""")),
        Bad("field name case under 2024-02-01", A24, "Q", C0 + ".ScriptUri", C.UnknownField, Del(C0 + ".scriptUri"), Str(C0 + ".ScriptUri", "https://e.com/x.sh")),
        Bad("unknown customizer field under 2024-02-01", A24, "Q", C0 + ".timeout", C.UnknownField, Json(C0 + ".timeout", "5")),
        Bad("customizer type case under 2024-02-01", A24, "Q", C0 + ".type", C.UnknownKind, Str(C0 + ".type", "shell")),

        Bad("File validator needs 2022-07-01", A14, "M", V + ".inVMValidations[0].type", C.NotSupportedInApiVersion,
            Json(V, """{"inVMValidations":[{"type":"File","sourceUri":"https://e.com/x","destination":"/tmp/x"}]}""")),
        Bad("validate is a string", A07, "Q", V, C.InvalidType, Str(V, "yes")),
        Bad("inVMValidations is an object", A07, "Q", V + ".inVMValidations", C.InvalidType, Json(V, """{"inVMValidations":{}}""")),
        Bad("validator of a customizer-only kind", A07, "Q", V + ".inVMValidations[0].type", C.UnknownKind,
            Json(V, """{"inVMValidations":[{"type":"WindowsRestart"}]}""")),
        Bad("sourceValidationOnly as a string", A07, "Q", V + ".sourceValidationOnly", C.InvalidType, Json(V, """{"sourceValidationOnly":"true"}""")),
        Bad("continueDistributeOnFailure as 1", A07, "Q", V + ".continueDistributeOnFailure", C.InvalidType, Json(V, """{"continueDistributeOnFailure":1}""")),
        Bad("Shell validator without a script", A07, "Q", V + ".inVMValidations[0]", C.MissingField, Json(V, """{"inVMValidations":[{"type":"Shell"}]}""")),
        Bad("PowerShell validator as system without elevation", A07, "Q", V + ".inVMValidations[0].runAsSystem", C.Conflict,
            Json(V, """{"inVMValidations":[{"type":"PowerShell","inline":["x"],"runAsSystem":true}]}""")),
        Bad("File validator without destination", A07, "Q", V + ".inVMValidations[0].destination", C.MissingField,
            Json(V, """{"inVMValidations":[{"type":"File","sourceUri":"https://e.com/x"}]}""")),
    };
}
