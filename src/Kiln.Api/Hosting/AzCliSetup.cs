using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Kiln.Api.Hosting;

/// <summary>
/// Prepares a private AZURE_CONFIG_DIR so the real az CLI (Debian 2.45) talks to Kiln and nothing
/// else (az-cli-local.md §2): a cloud whose activeDirectory ends in /adfs (MSAL skips instance
/// discovery), a pre-seeded version check, the env vars that keep telemetry/survey/extension
/// lookups off, the trusted cert, a service-principal login, and a sitecustomize shim for the
/// Debian `az role assignment` bug (client.config vs ._config, Azure/azure-cli#24959).
/// </summary>
public static class AzCliSetup
{
    public const string CloudName = "Kiln";

    /// <summary>The environment az needs; every value is also what `kiln az-setup` prints as export lines.</summary>
    public static IReadOnlyDictionary<string, string> Environment(string configDir, KilnCredentials credentials) =>
        new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["AZURE_CONFIG_DIR"] = configDir,
            ["REQUESTS_CA_BUNDLE"] = credentials.CaCertPath,
            ["AZURE_CORE_COLLECT_TELEMETRY"] = "no",
            ["AZURE_CORE_ERROR_RECOMMENDATION"] = "off",
            ["AZURE_EXTENSION_USE_DYNAMIC_INSTALL"] = "no",
            ["AZURE_CORE_SURVEY_MESSAGE"] = "no",
            ["AZURE_CORE_ONLY_SHOW_ERRORS"] = "true",
            ["PYTHONPATH"] = Path.Combine(configDir, "kiln-python"),
        };

    /// <summary>Recreates <paramref name="configDir"/>, registers the cloud and logs in; returns the environment.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> PrepareAsync(KilnCredentials credentials, string configDir,
        CancellationToken ct)
    {
        configDir = Path.GetFullPath(configDir);
        if (Directory.Exists(configDir))
            Directory.Delete(configDir, recursive: true);
        Directory.CreateDirectory(configDir);
        var env = Environment(configDir, credentials);
        File.WriteAllText(Path.Combine(configDir, "versionCheck.json"),
            """{"versions": {"azure-cli": {"local": "2.45.0"}, "core": {"local": "2.45.0"}, "telemetry": {"local": "1.0.8"}}, "update_time": "2099-01-01 00:00:00.000000"}""");
        string u = credentials.ArmEndpoint.TrimEnd('/');
        var cloud = new JsonObject
        {
            ["endpoints"] = new JsonObject
            {
                ["resourceManager"] = $"{u}/", ["management"] = $"{u}/",
                ["activeDirectory"] = $"{u}/adfs", ["activeDirectoryResourceId"] = $"{u}/",
                ["activeDirectoryGraphResourceId"] = $"{u}/graph/", ["microsoftGraphResourceId"] = $"{u}/graph/",
                ["gallery"] = $"{u}/gallery/", ["portal"] = $"{u}/portal/",
            },
            ["suffixes"] = new JsonObject
            {
                ["storageEndpoint"] = "kiln.invalid", ["keyvaultDns"] = ".vault.kiln.invalid", ["acrLoginServerEndpoint"] = ".azurecr.kiln.invalid",
            },
        };
        string cloudFile = Path.Combine(configDir, "kiln-cloud.json");
        File.WriteAllText(cloudFile, cloud.ToJsonString());
        Directory.CreateDirectory(env["PYTHONPATH"]);
        File.WriteAllText(Path.Combine(env["PYTHONPATH"], "sitecustomize.py"), SitecustomizeShim);
        await RunAzAsync(env, ct, "cloud", "register", "-n", CloudName, "--cloud-config", "@" + cloudFile, "--only-show-errors");
        await RunAzAsync(env, ct, "cloud", "set", "-n", CloudName, "--only-show-errors");
        await RunAzAsync(env, ct, "login", "--service-principal", "--username=" + credentials.ClientId,
            // '=' form: a secret starting with '-' would otherwise be read as an option by argparse
            "--password=" + credentials.ClientSecret,
            "--tenant", credentials.TenantId, "--only-show-errors", "-o", "none");
        return env;
    }

    public static string ExportLines(IReadOnlyDictionary<string, string> env) =>
        string.Concat(env.Select(kv => $"export {kv.Key}='{kv.Value.Replace("'", "'\\''", StringComparison.Ordinal)}'\n"));

    private static async Task RunAzAsync(IReadOnlyDictionary<string, string> env, CancellationToken ct, params string[] args)
    {
        var psi = new ProcessStartInfo("az") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        foreach (var (k, v) in env)
            psi.Environment[k] = v;
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("Could not start 'az'; is azure-cli installed?");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"'az {args[0]} {args[1]}' exited with {process.ExitCode}: {await stderr}{await stdout}");
    }

    /// <summary>
    /// Debian's azure-cli 2.45 reads client.config where azure-mgmt-authorization 3.0 has
    /// client._config; alias it on the authorization operation classes as they are imported.
    /// </summary>
    private const string SitecustomizeShim = """
        # Written by `kiln az-setup`: works around Azure/azure-cli#24959 (Debian azure-cli 2.45).
        import sys
        import importlib.abc
        import importlib.machinery


        class _KilnAliasConfig(importlib.abc.MetaPathFinder):
            def find_spec(self, name, path, target=None):
                if not name.startswith("azure.mgmt.authorization.") or not name.rsplit(".", 1)[-1].endswith("_operations"):
                    return None
                spec = importlib.machinery.PathFinder.find_spec(name, path)
                if spec is None or spec.loader is None:
                    return None
                original = spec.loader.exec_module

                def exec_module(module, _original=original):
                    _original(module)
                    for obj in list(vars(module).values()):
                        if isinstance(obj, type) and obj.__name__.endswith("Operations") and not hasattr(obj, "config"):
                            obj.config = property(lambda self: self._config)

                spec.loader.exec_module = exec_module
                return spec


        sys.meta_path.insert(0, _KilnAliasConfig())

        """;
}
