using Kiln.Streaming.Hydration;

namespace Kiln.Streaming.Tests.Hydration;

public sealed class BackgroundLaneTests
{
    [Fact]
    public async Task Work_RunsInOrder_AndFailuresReachTheCaller()
    {
        var order = new List<int>();
        using var lane = new BackgroundLane("test-lane");
        var tasks = Enumerable.Range(0, 50).Select(i => lane.RunAsync(() => order.Add(i))).ToList();
        var failing = lane.RunAsync(() => throw new IOException("disk full"));
        await Task.WhenAll(tasks);
        var e = await Assert.ThrowsAsync<IOException>(() => failing);
        Assert.Equal("disk full", e.Message);
        Assert.Equal(Enumerable.Range(0, 50), order);
        await lane.RunAsync(() => order.Add(99)); // a failure does not stop the lane
        Assert.Equal(99, order[^1]);
    }

    [Fact]
    public void Dispose_RunsWhatIsAlreadyQueued()
    {
        int ran = 0;
        var lane = new BackgroundLane("test-lane");
        var gate = new ManualResetEventSlim();
        _ = lane.RunAsync(gate.Wait);
        var queued = Enumerable.Range(0, 5).Select(_ => lane.RunAsync(() => Interlocked.Increment(ref ran))).ToList();
        gate.Set();
        lane.Dispose();
        Assert.Equal(5, ran);
        Assert.All(queued, t => Assert.True(t.IsCompletedSuccessfully));
    }

    [Fact]
    public async Task OnLinux_TheLaneRunsAtItsNiceness_AndTheCallerIsUntouched()
    {
        if (!OperatingSystem.IsLinux()) return;
        using var lane = new BackgroundLane("test-lane");
        int laneNice = int.MinValue;
        await lane.RunAsync(() => laneNice = CurrentThreadNice());
        Assert.Equal(BackgroundLane.Niceness, laneNice);
        Assert.NotEqual(BackgroundLane.Niceness, CurrentThreadNice());
    }

    /// <summary>Field 19 of /proc/thread-self/stat; the command name (field 2) may hold spaces, so count from its closing parenthesis.</summary>
    private static int CurrentThreadNice()
    {
        var stat = File.ReadAllText("/proc/thread-self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[19 - 3], System.Globalization.CultureInfo.InvariantCulture);
    }
}
