using Kiln.Domain.Templates;
using Kiln.Pipeline.Appliance;
using Kiln.Pipeline.Runner;
using Kiln.Pipeline.Steps.Customizers.Windows;

namespace Kiln.Pipeline.Steps.Customizers;

/// <summary>
/// Turns properties.customize[] (+ whether to generalize) into pipeline steps:
/// consecutive Shell/File customizers share one appliance boot (<see cref="LinuxCustomizationSession"/>),
/// and the generalization joins the last session when it comes right after it.
/// A template with any Windows customizer gets only its Windows steps, so the run fails at
/// once with the "no Windows build runner" message instead of first booting Linux sessions
/// whose work would be thrown away.
/// </summary>
public static class CustomizationPlan
{
    public static IReadOnlyList<IPipelineStep> Build(IReadOnlyList<Customizer> customizers, bool generalize,
        ApplianceOptions? options = null, SourceFetcher? fetcher = null)
    {
        var windows = customizers
            .Select((c, i) => (Index: i, Customizer: c))
            .Where(c => c.Customizer is PowerShellCustomizer or WindowsRestartCustomizer or WindowsUpdateCustomizer)
            .Select(c => (IPipelineStep)new WindowsCustomizerStep(c.Customizer, c.Index))
            .ToList();
        if (windows.Count > 0) return windows;

        var linux = new List<(int Index, Customizer Customizer)>();
        for (var i = 0; i < customizers.Count; i++)
        {
            if (customizers[i] is not (ShellCustomizer or FileCustomizer))
                throw new ArgumentException($"customize[{i}]: customizer type '{customizers[i].Type}' is not supported.", nameof(customizers));
            linux.Add((i, customizers[i]));
        }
        return linux.Count == 0 && !generalize
            ? []
            : [new LinuxCustomizationSession(linux, generalize, options, fetcher)];
    }
}
