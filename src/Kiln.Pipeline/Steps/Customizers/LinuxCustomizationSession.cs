using System.Globalization;
using Kiln.Domain.Templates;
using Kiln.Pipeline.Appliance;
using Kiln.Pipeline.Runner;
using Kiln.Pipeline.Steps.Customizers.File;
using Kiln.Pipeline.Steps.Customizers.Shell;
using Kiln.Pipeline.Steps.Generalize;

namespace Kiln.Pipeline.Steps.Customizers;

/// <summary>
/// Consecutive Linux customizers (Shell, File) and, optionally, the generalization, run in one
/// appliance boot (a TCG boot costs far more than a script). Every source is fetched and its
/// sha256 checked before the VM starts. customization.log still gets, per customizer, a start
/// line, its output lines as they come, and an end line with exit code and seconds.
/// A non-zero exit fails the step with the last <see cref="TailLines"/> output lines in the message.
/// </summary>
public sealed class LinuxCustomizationSession : IPipelineStep
{
    public const int TailLines = 20;

    private readonly IReadOnlyList<(int Index, Customizer Customizer)> _customizers;
    private readonly ApplianceOptions _options;
    private readonly SourceFetcher _fetcher;
    private string? _work;

    /// <param name="customizers">Shell and File customizers with their index in properties.customize[].</param>
    /// <param name="generalize">Deprovision after the customizers (<see cref="LinuxDeprovision"/>).</param>
    public LinuxCustomizationSession(IReadOnlyList<(int Index, Customizer Customizer)> customizers, bool generalize,
        ApplianceOptions? options = null, SourceFetcher? fetcher = null)
    {
        foreach (var (index, c) in customizers)
        {
            if (c is not (ShellCustomizer or FileCustomizer))
                throw new ArgumentException($"customize[{index}] is a {c.Type} customizer; a Linux session runs Shell and File only.", nameof(customizers));
        }
        if (customizers.Count == 0 && !generalize)
            throw new ArgumentException("A Linux customization session needs a customizer or generalization.", nameof(customizers));
        _customizers = customizers;
        Generalize = generalize;
        _options = options ?? new ApplianceOptions();
        _fetcher = fetcher ?? new SourceFetcher();
        var parts = customizers.Select(c => StepName(c.Index, c.Customizer)).ToList();
        if (generalize) parts.Add("generalize");
        Name = string.Join(" + ", parts);
    }

    public string Name { get; }
    public bool Generalize { get; }
    public BuildPhase Phase => BuildPhase.Customizing;

    /// <summary>"customize[0] Shell (install-nginx)": the name Azure's log would show.</summary>
    public static string StepName(int index, Customizer customizer) =>
        string.Create(CultureInfo.InvariantCulture, $"customize[{index}] {customizer.Type}") + (customizer.Name is { Length: > 0 } n ? $" ({n})" : "");

    public async Task RunAsync(BuildContext context, CancellationToken ct)
    {
        var image = context.StagedImagePath
            ?? throw new InvalidOperationException($"{Name}: no staged image (the source step sets BuildContext.StagedImagePath).");
        _work = Path.Combine(context.StagingDirectory, "customize-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_work);

        var steps = new List<ApplianceStep>();
        foreach (var (index, customizer) in _customizers)
        {
            var name = StepName(index, customizer);
            var dir = Path.Combine(_work, steps.Count.ToString(CultureInfo.InvariantCulture));
            Directory.CreateDirectory(dir);
            steps.Add(customizer switch
            {
                ShellCustomizer shell => await ShellStepBuilder.BuildAsync(shell, name, dir, _fetcher, ct),
                FileCustomizer file => await FileStepBuilder.BuildAsync(file, name, steps.Count, dir, _fetcher, ct),
                _ => throw new InvalidOperationException($"{name}: unexpected customizer type."),
            });
        }
        if (Generalize) steps.Add(LinuxDeprovision.Step());

        var options = _options with { WorkRoot = _work, TimeProvider = context.Time };
        var result = await ApplianceRunner.RunAsync(image, new ApplianceJob(steps), options, context.Log.Write, ct);
        context.Log.Write(string.Create(CultureInfo.InvariantCulture, $"appliance: done in {result.Seconds:F1} s"));

        if (result.Steps.FirstOrDefault(s => s.ExitCode is not null and not 0) is { } failed)
            throw new CustomizationFailedException(
                $"{failed.Name} failed with exit code {failed.ExitCode}. Last lines of its output:\n{Tail(failed.Output)}",
                failed.Name, failed.ExitCode);
        if (!result.Completed || result.Steps.Any(s => s.ExitCode is null))
        {
            var unfinished = result.Steps.FirstOrDefault(s => s.ExitCode is null);
            throw new CustomizationFailedException(
                $"The customization appliance stopped before finishing{(unfinished is null ? "" : $" ({unfinished.Name} did not complete)")}. " +
                $"Last console lines:\n{Tail(unfinished is { Output.Count: > 0 } ? unfinished.Output : result.ConsoleTail)}",
                unfinished?.Name ?? Name, null);
        }
        if (Generalize) context.Generalized = true;
    }

    private static string Tail(IReadOnlyList<string> lines) =>
        lines.Count == 0 ? "(no output)" : string.Join("\n", lines.Skip(Math.Max(0, lines.Count - TailLines)));

    public Task CleanupAsync(BuildContext context, BuildOutcome outcome)
    {
        // Fetched sources and the appliance's files are scaffolding; the customized image stays.
        if (_work is not null && Directory.Exists(_work))
            Directory.Delete(_work, recursive: true);
        return Task.CompletedTask;
    }
}
