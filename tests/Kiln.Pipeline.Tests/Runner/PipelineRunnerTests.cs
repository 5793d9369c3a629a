using Kiln.Pipeline.Runner;

namespace Kiln.Pipeline.Tests.Runner;

public class PipelineRunnerTests
{
    private sealed class ListLog : IBuildLog
    {
        public List<string> Lines { get; } = new();
        public void Write(string line) { lock (Lines) Lines.Add(line); }
    }

    /// <summary>A step that records its run and cleanup into a shared journal.</summary>
    private sealed class JournalStep(string name, List<string> journal, Func<CancellationToken, Task>? body = null) : IPipelineStep
    {
        public string Name => name;
        public BuildPhase Phase => BuildPhase.Customizing;
        public async Task RunAsync(BuildContext context, CancellationToken ct)
        {
            journal.Add("run " + name);
            if (body != null) await body(ct);
        }
        public Task CleanupAsync(BuildContext context, BuildOutcome outcome)
        {
            journal.Add($"cleanup {name} ({outcome})");
            return Task.CompletedTask;
        }
    }

    private static BuildContext NewContext() => new("r1", Path.GetTempPath(), new ListLog(), TimeProvider.System);

    [Fact]
    public async Task Success_RunsAllInOrder_ThenCleansUpInReverse()
    {
        var j = new List<string>();
        var result = await new PipelineRunner(TimeProvider.System).RunAsync(
            [new JournalStep("a", j), new JournalStep("b", j)], NewContext(), Timeout.InfiniteTimeSpan, default);
        Assert.Equal(BuildOutcome.Succeeded, result.Outcome);
        Assert.Equal(["run a", "run b", "cleanup b (Succeeded)", "cleanup a (Succeeded)"], j);
    }

    [Fact]
    public async Task Failure_StopsAtTheFailingStep_AndCleansUpOnlyStartedSteps()
    {
        var j = new List<string>();
        var result = await new PipelineRunner(TimeProvider.System).RunAsync(
            [new JournalStep("a", j), new JournalStep("b", j, _ => throw new InvalidOperationException("script exited 3")), new JournalStep("c", j)],
            NewContext(), Timeout.InfiniteTimeSpan, default);
        Assert.Equal(BuildOutcome.Failed, result.Outcome);
        Assert.Equal("b", result.FailedStep);
        Assert.Equal("script exited 3", result.Error!.Message);
        Assert.Equal(["run a", "run b", "cleanup b (Failed)", "cleanup a (Failed)"], j);
    }

    [Fact]
    public async Task Cancel_EndsCanceled_AndCleansUp()
    {
        var j = new List<string>();
        using var cts = new CancellationTokenSource();
        var result = await new PipelineRunner(TimeProvider.System).RunAsync(
            [new JournalStep("a", j, async ct => { cts.Cancel(); await Task.Delay(Timeout.Infinite, ct); }), new JournalStep("b", j)],
            NewContext(), Timeout.InfiniteTimeSpan, cts.Token);
        Assert.Equal(BuildOutcome.Canceled, result.Outcome);
        Assert.Equal(["run a", "cleanup a (Canceled)"], j);
    }

    [Fact]
    public async Task Timeout_EndsTimedOut_WithAMessageNamingTheSetting()
    {
        var j = new List<string>();
        var result = await new PipelineRunner(TimeProvider.System).RunAsync(
            [new JournalStep("a", j, ct => Task.Delay(Timeout.Infinite, ct))],
            NewContext(), TimeSpan.FromMilliseconds(50), default);
        Assert.Equal(BuildOutcome.TimedOut, result.Outcome);
        Assert.Contains("buildTimeoutInMinutes", result.Error!.Message);
        Assert.Equal(["run a", "cleanup a (TimedOut)"], j);
    }

    [Fact]
    public async Task FailingCleanup_IsReported_AndOtherCleanupsStillRun()
    {
        var j = new List<string>();
        var bad = new FailingCleanupStep();
        var result = await new PipelineRunner(TimeProvider.System).RunAsync(
            [new JournalStep("a", j), bad, new JournalStep("c", j)], NewContext(), Timeout.InfiniteTimeSpan, default);
        Assert.Equal(BuildOutcome.Succeeded, result.Outcome);
        Assert.Equal(["run a", "run c", "cleanup c (Succeeded)", "cleanup a (Succeeded)"], j);
        Assert.Single(result.CleanupErrors);
    }

    private sealed class FailingCleanupStep : IPipelineStep
    {
        public string Name => "bad";
        public BuildPhase Phase => BuildPhase.Building;
        public Task RunAsync(BuildContext context, CancellationToken ct) => Task.CompletedTask;
        public Task CleanupAsync(BuildContext context, BuildOutcome outcome) => throw new IOException("disk gone");
    }
}
