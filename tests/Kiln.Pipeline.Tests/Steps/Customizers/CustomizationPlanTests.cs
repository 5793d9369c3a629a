using Kiln.Domain.Templates;
using Kiln.Pipeline.Appliance;
using Kiln.Pipeline.Runner;
using Kiln.Pipeline.Steps.Customizers;
using Kiln.Pipeline.Steps.Customizers.Windows;

namespace Kiln.Pipeline.Tests.Steps.Customizers;

public class CustomizationPlanTests
{
    private static readonly ShellCustomizer Inline = new("a", null, ["true"], "");
    private static readonly FileCustomizer Copy = new("f", "file:///etc/hostname", "/tmp/h", "");

    [Fact]
    public void LinuxCustomizers_AndGeneralize_ShareOneSession()
    {
        var steps = CustomizationPlan.Build([Inline, Copy], generalize: true);
        var session = Assert.IsType<LinuxCustomizationSession>(Assert.Single(steps));
        Assert.True(session.Generalize);
        Assert.Equal("customize[0] Shell (a) + customize[1] File (f) + generalize", session.Name);
        Assert.Equal(BuildPhase.Customizing, session.Phase);
    }

    [Fact]
    public void NothingToDo_GivesNoStep_GeneralizeAlone_GivesOneSession()
    {
        Assert.Empty(CustomizationPlan.Build([], generalize: false));
        var session = Assert.IsType<LinuxCustomizationSession>(Assert.Single(CustomizationPlan.Build([], generalize: true)));
        Assert.Equal("generalize", session.Name);
    }

    public static TheoryData<Customizer> WindowsCustomizers => new()
    {
        new PowerShellCustomizer("ps", null, ["Write-Host hi"], "", false, false, [0]),
        new WindowsRestartCustomizer("restart", null, null, WindowsRestartCustomizer.DefaultRestartTimeout),
        new WindowsUpdateCustomizer("update", null, [], 0),
    };

    [Theory]
    [MemberData(nameof(WindowsCustomizers))]
    public async Task WindowsCustomizers_FailAtOnce_SayingThereIsNoWindowsRunner(Customizer windows)
    {
        using var temp = new TempDirectory();
        var steps = CustomizationPlan.Build([Inline, windows], generalize: true);
        var step = Assert.IsType<WindowsCustomizerStep>(Assert.Single(steps)); // no Linux boot whose work would be thrown away
        var log = new ListLog();
        var result = await new PipelineRunner(TimeProvider.System).RunAsync(steps, new BuildContext("r", temp.Path, log, TimeProvider.System),
            Timeout.InfiniteTimeSpan, CancellationToken.None);

        Assert.Equal(BuildOutcome.Failed, result.Outcome);
        Assert.Equal($"customize[1] {windows.Type} ({windows.Name}): {windows.Type} customizers need a Windows build runner; this Kiln host has none (Linux images only).",
            result.Error!.Message);
        Assert.Equal(step.Name, result.FailedStep);
    }

    [Fact]
    public void PowerShellMessage_IsTheDocumentedSentence() =>
        Assert.Equal("PowerShell customizers need a Windows build runner; this Kiln host has none (Linux images only).",
            WindowsCustomizerStep.NoRunnerMessage("PowerShell"));

    [Fact]
    public async Task ScriptUriChecksumMismatch_IsRefused_BeforeAnyVmStarts()
    {
        using var temp = new TempDirectory();
        var script = Path.Combine(temp.Path, "s.sh");
        await File.WriteAllTextAsync(script, "echo hi\n");
        var staging = Path.Combine(temp.Path, "staging");
        Directory.CreateDirectory(staging);
        // No kernel and no image: reaching the appliance would fail differently (and later).
        var options = new ApplianceOptions { KernelDirectory = Path.Combine(temp.Path, "no-kernel"), WorkRoot = Path.Combine(temp.Path, "appliance") };
        var steps = CustomizationPlan.Build([Inline, new ShellCustomizer("bad", new Uri(script).AbsoluteUri, null, new string('0', 64))], generalize: true, options);
        var context = new BuildContext("r", staging, new ListLog(), TimeProvider.System) { StagedImagePath = Path.Combine(temp.Path, "absent.raw") };

        var result = await new PipelineRunner(TimeProvider.System).RunAsync(steps, context, Timeout.InfiniteTimeSpan, CancellationToken.None);

        Assert.Equal(BuildOutcome.Failed, result.Outcome);
        var e = Assert.IsType<CustomizerSourceException>(result.Error);
        Assert.Contains("customize[1] Shell (bad): scriptUri", e.Message);
        Assert.Contains("sha256Checksum", e.Message);
        Assert.False(Directory.Exists(options.WorkRoot)); // the appliance never started
        Assert.Empty(Directory.EnumerateFileSystemEntries(staging));
    }

    [Fact]
    public void Session_RefusesWindowsCustomizersAndEmptyWork()
    {
        Assert.Throws<ArgumentException>(() => new LinuxCustomizationSession([(0, new WindowsUpdateCustomizer(null, null, [], 0))], false));
        Assert.Throws<ArgumentException>(() => new LinuxCustomizationSession([], false));
    }
}
