using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Kiln.Domain.Templates;

/// <summary>
/// <c>properties.customize[]</c> and <c>properties.validate.inVMValidations[]</c>: the kinds and
/// their fields. Shell/PowerShell/File look the same in both lists, so the field rules are shared.
/// </summary>
internal static partial class ScriptRules
{
    public static readonly string[] CustomizerKinds = ["Shell", "PowerShell", "File", "WindowsRestart", "WindowsUpdate"];
    public static readonly string[] ValidatorKinds = ["Shell", "PowerShell", "File"];
    // Bounds work on hostile bodies; real templates have a handful of steps.
    private const int MaxSteps = 200;
    private const int MaxInlineLines = 1000;

    private static readonly FieldSet ShellFields = new(FieldSet.Base("type", "name", "scriptUri", "inline", "sha256Checksum"));
    private static readonly FieldSet PowerShellFields = new(FieldSet.Base("type", "name", "scriptUri", "inline", "sha256Checksum", "runElevated", "runAsSystem", "validExitCodes"));
    private static readonly FieldSet FileFields = new(FieldSet.Base("type", "name", "sourceUri", "destination", "sha256Checksum"));
    private static readonly FieldSet RestartFields = new(FieldSet.Base("type", "name", "restartCommand", "restartCheckCommand", "restartTimeout"));
    private static readonly FieldSet UpdateFields = new(FieldSet.Base("type", "name", "searchCriteria", "filters", "updateLimit"));

    public static void CheckCustomizers(RuleContext ctx, JsonArray list, string path) =>
        CheckList(ctx, list, path, CustomizerKinds, "customizer");

    public static void CheckValidators(RuleContext ctx, JsonArray list, string path) =>
        CheckList(ctx, list, path, ValidatorKinds, "validator");

    private static void CheckList(RuleContext ctx, JsonArray list, string path, string[] kinds, string what)
    {
        if (list.Count > MaxSteps)
            ctx.Fail(ValidationCodes.OutOfRange, path, $"has {list.Count} entries: at most {MaxSteps} are allowed.");
        var kindList = string.Join(", ", kinds.Select(k => "'" + k + "'"));
        for (var i = 0; i < list.Count && i < MaxSteps; i++)
        {
            var itemPath = RuleContext.Index(path, i);
            if (list[i] is not JsonObject item)
            {
                ctx.Fail(ValidationCodes.InvalidType, itemPath, $"must be a {what} object, not {RuleContext.KindOf(list[i])}.");
                continue;
            }
            var type = ctx.String(item, "type", itemPath, required: true, hint: "use one of " + kindList);
            if (type is null)
                continue;
            var kind = ctx.Kind(type, itemPath + ".type", kinds, what);
            if (kind is null)
                continue;
            ctx.String(item, "name", itemPath);
            switch (kind)
            {
                case "Shell":
                    ctx.CheckFields(item, itemPath, ShellFields);
                    CheckScript(ctx, item, itemPath);
                    break;
                case "PowerShell":
                    ctx.CheckFields(item, itemPath, PowerShellFields);
                    CheckScript(ctx, item, itemPath);
                    CheckPowerShell(ctx, item, itemPath);
                    break;
                case "File":
                    if (what == "validator" && ctx.Level < TemplateApiLevel.V2022_07_01)
                    {
                        ctx.Fail(ValidationCodes.NotSupportedInApiVersion, itemPath + ".type",
                            $"'File' validators are not available in api-version {ctx.ApiVersion}: use api-version 2022-07-01 or later.");
                        break;
                    }
                    ctx.CheckFields(item, itemPath, FileFields);
                    CheckFile(ctx, item, itemPath);
                    break;
                case "WindowsRestart":
                    ctx.CheckFields(item, itemPath, RestartFields);
                    ctx.String(item, "restartCommand", itemPath);
                    ctx.String(item, "restartCheckCommand", itemPath);
                    var timeout = ctx.String(item, "restartTimeout", itemPath);
                    if (!string.IsNullOrEmpty(timeout) && ParseDuration(timeout) is null)
                        ctx.Fail(ValidationCodes.InvalidValue, itemPath + ".restartTimeout",
                            $"'{ImageTemplateNames.Printable(timeout)}' is invalid: use a number and a unit, e.g. '5m', '90s', '1h' or '1h30m' (at most 24h).");
                    break;
                default:
                    ctx.CheckFields(item, itemPath, UpdateFields);
                    ctx.String(item, "searchCriteria", itemPath);
                    StringList(ctx, item, "filters", itemPath, allowEmptyItems: false);
                    ctx.Integer(item, "updateLimit", itemPath, 0, int.MaxValue, "use 0 (default, 1000) or a positive number of updates");
                    break;
            }
        }
    }

    /// <summary>Shell/PowerShell: exactly one of scriptUri and inline, plus an optional checksum.</summary>
    private static void CheckScript(RuleContext ctx, JsonObject item, string path)
    {
        var uri = ctx.String(item, "scriptUri", path);
        var hasUri = !string.IsNullOrEmpty(uri);
        var inlineNode = ctx.Get(item, "inline");
        if (hasUri && inlineNode is not null)
            ctx.Fail(ValidationCodes.Conflict, path,
                "sets both scriptUri and inline: give exactly one of them (a script URL, or a list of commands).");
        else if (!hasUri && inlineNode is null)
            ctx.Fail(ValidationCodes.MissingField, path,
                "needs a script: give exactly one of scriptUri (a script URL) or inline (a list of commands).");
        if (hasUri)
            CheckUri(ctx, uri!, path + ".scriptUri");
        var inline = StringList(ctx, item, "inline", path, allowEmptyItems: false);
        if (inline is not null && inline.Count == 0)
            ctx.Fail(ValidationCodes.InvalidValue, path + ".inline", "is empty: give at least one command, or use scriptUri instead.");
        CheckChecksum(ctx, item, path);
    }

    private static void CheckPowerShell(RuleContext ctx, JsonObject item, string path)
    {
        var elevated = ctx.Bool(item, "runElevated", path);
        var system = ctx.Bool(item, "runAsSystem", path);
        if (system == true && elevated != true)
            ctx.Fail(ValidationCodes.Conflict, path + ".runAsSystem", "can only be true when runElevated is true: set \"runElevated\": true as well.");
        var codes = ctx.Array(item, "validExitCodes", path, hint: "use a list of integers, e.g. [0, 3010]");
        if (codes is null)
            return;
        for (var i = 0; i < codes.Count && i < 1000; i++)
        {
            var t = RuleContext.Index(path + ".validExitCodes", i);
            if (codes[i] is null)
                ctx.Fail(ValidationCodes.InvalidType, t, "must be an integer, not null.");
            else
                ctx.IntegerValue(codes[i]!, t, int.MinValue, int.MaxValue, "exit codes are 32-bit integers");
        }
    }

    private static void CheckFile(RuleContext ctx, JsonObject item, string path)
    {
        var source = ctx.String(item, "sourceUri", path, required: true, hint: "give the URL of the file to download");
        if (source is not null)
            CheckUri(ctx, source, path + ".sourceUri");
        var destination = ctx.String(item, "destination", path, required: true, hint: "give the absolute path of the file in the VM, e.g. \"/tmp/index.html\"");
        if (destination is not null && !IsAbsolutePath(destination))
            ctx.Fail(ValidationCodes.InvalidValue, path + ".destination",
                $"'{ImageTemplateNames.Printable(destination)}' is not an absolute path: use e.g. \"/tmp/file\" (Linux) or \"C:\\\\file\" (Windows).");
        CheckChecksum(ctx, item, path);
    }

    private static bool IsAbsolutePath(string p) =>
        !p.Any(char.IsControl)
        && (p.StartsWith('/') || (p.Length >= 3 && char.IsAsciiLetter(p[0]) && p[1] == ':' && p[2] is '\\' or '/'));

    private static void CheckChecksum(RuleContext ctx, JsonObject item, string path)
    {
        var sha = ctx.String(item, "sha256Checksum", path);
        if (!string.IsNullOrEmpty(sha) && !Sha256().IsMatch(sha))
            ctx.Fail(ValidationCodes.InvalidValue, path + ".sha256Checksum",
                $"'{ImageTemplateNames.Printable(sha)}' is not a SHA-256 checksum: use 64 hexadecimal digits (sha256sum prints it), or leave it empty.");
    }

    /// <summary>Scripts and files are fetched over http(s) only: other schemes would read the host.</summary>
    private static void CheckUri(RuleContext ctx, string value, string target)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) || string.IsNullOrEmpty(uri.Host))
            ctx.Fail(ValidationCodes.InvalidValue, target,
                $"'{ImageTemplateNames.Printable(value)}' is not an http(s) URL: use e.g. \"https://raw.githubusercontent.com/org/repo/main/script.sh\" or a storage blob URL.");
    }

    /// <summary>A list of strings; null when absent or not a list (reported). Items that are not strings are reported.</summary>
    public static List<string>? StringList(RuleContext ctx, JsonObject obj, string name, string path, bool allowEmptyItems)
    {
        var arr = ctx.Array(obj, name, path, hint: "use a list of strings, e.g. [\"...\"]");
        if (arr is null)
            return null;
        var result = new List<string>(Math.Min(arr.Count, MaxInlineLines));
        var listPath = RuleContext.Join(path, name);
        if (arr.Count > MaxInlineLines)
            ctx.Fail(ValidationCodes.OutOfRange, listPath, $"has {arr.Count} entries: at most {MaxInlineLines} are allowed.");
        for (var i = 0; i < arr.Count && i < MaxInlineLines; i++)
        {
            var t = RuleContext.Index(listPath, i);
            if (arr[i] is not JsonValue v || v.GetValueKind() != JsonValueKind.String)
            {
                ctx.Fail(ValidationCodes.InvalidType, t, $"must be a string, not {RuleContext.KindOf(arr[i])}.");
                continue;
            }
            var s = v.GetValue<string>();
            if (!allowEmptyItems && s.Trim().Length == 0)
                ctx.Fail(ValidationCodes.InvalidValue, t, "is empty: remove it or give a command.");
            result.Add(s);
        }
        return result;
    }

    /// <summary>
    /// Parses a Packer-style duration ("5m", "90s", "1h30m"); null when malformed, zero, or
    /// longer than a day (a restart that needs longer is a hung build).
    /// </summary>
    public static TimeSpan? ParseDuration(string text)
    {
        var m = Duration().Match(text);
        if (!m.Success)
            return null;
        var total = TimeSpan.Zero;
        foreach (Capture c in m.Groups["part"].Captures)
        {
            var unit = c.Value[^1];
            if (!long.TryParse(c.Value[..^1], out var n) || n > 100_000)
                return null;
            total += unit switch { 'h' => TimeSpan.FromHours(n), 'm' => TimeSpan.FromMinutes(n), _ => TimeSpan.FromSeconds(n) };
        }
        return total > TimeSpan.Zero && total <= TimeSpan.FromDays(1) ? total : null;
    }

    [GeneratedRegex(@"^(?<part>[0-9]{1,6}[hms]){1,3}$", RegexOptions.CultureInvariant)]
    private static partial Regex Duration();

    [GeneratedRegex(@"^[0-9A-Fa-f]{64}$", RegexOptions.CultureInvariant)]
    private static partial Regex Sha256();
}
