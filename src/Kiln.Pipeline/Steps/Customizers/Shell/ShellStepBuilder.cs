using System.Text;
using Kiln.Domain.Templates;
using Kiln.Pipeline.Appliance;

namespace Kiln.Pipeline.Steps.Customizers.Shell;

/// <summary>
/// Turns a Shell customizer into an appliance step. Inline lines become one script run with
/// <c>sh -e</c> (the first failing line fails the step, as in Azure); a scriptUri is fetched and
/// checked on the host (<see cref="SourceFetcher"/>) and runs with its own #! interpreter when
/// the image has it.
/// </summary>
public static class ShellStepBuilder
{
    public static async Task<ApplianceStep> BuildAsync(ShellCustomizer shell, string name, string workDirectory, SourceFetcher fetcher, CancellationToken ct)
    {
        if (shell.ScriptUri is { Length: > 0 } uri)
        {
            var local = Path.Combine(workDirectory, "script");
            await fetcher.FetchAsync(uri, shell.Sha256Checksum, local, $"{name}: scriptUri", ct);
            return new ApplianceStep(name, await System.IO.File.ReadAllBytesAsync(local, ct), ScriptInterpreter.Shebang);
        }
        if (shell.Inline is { Count: > 0 } inline)
            return new ApplianceStep(name, Encoding.UTF8.GetBytes(InlineScript(inline)), ScriptInterpreter.ShellStopOnError);
        throw new ArgumentException($"{name}: a Shell customizer needs scriptUri or inline (the template validation should have said so).", nameof(shell));
    }

    /// <summary>The inline lines as one script, one command a line (Azure runs them in order in one shell).</summary>
    public static string InlineScript(IReadOnlyList<string> lines) =>
        string.Join("\n", lines.Select(l => l.ReplaceLineEndings("\n"))) + "\n";
}
