using Kiln.Domain.Templates;
using Kiln.Pipeline.Runner;

namespace Kiln.Pipeline.Steps.Customizers.Windows;

/// <summary>
/// PowerShell, WindowsRestart and WindowsUpdate customizers. They are validated with the
/// template, but running them needs a Windows build VM (WinRM, reboots, Windows Update) that
/// this Kiln host does not have: the step fails at once, before any VM starts, saying so.
/// </summary>
public sealed class WindowsCustomizerStep : IPipelineStep
{
    /// <summary>The message for <paramref name="type"/> (PowerShell, WindowsRestart, WindowsUpdate).</summary>
    public static string NoRunnerMessage(string type) =>
        $"{type} customizers need a Windows build runner; this Kiln host has none (Linux images only).";

    public WindowsCustomizerStep(Customizer customizer, int index)
    {
        if (customizer is not (PowerShellCustomizer or WindowsRestartCustomizer or WindowsUpdateCustomizer))
            throw new ArgumentException($"customize[{index}] is a {customizer.Type} customizer, not a Windows one.", nameof(customizer));
        Customizer = customizer;
        Name = $"customize[{index}] {customizer.Type}" + (customizer.Name is { Length: > 0 } n ? $" ({n})" : "");
    }

    public Customizer Customizer { get; }
    public string Name { get; }
    public BuildPhase Phase => BuildPhase.Customizing;

    public Task RunAsync(BuildContext context, CancellationToken ct) =>
        Task.FromException(new NotSupportedException($"{Name}: {NoRunnerMessage(Customizer.Type)}"));

    public Task CleanupAsync(BuildContext context, BuildOutcome outcome) => Task.CompletedTask;
}
