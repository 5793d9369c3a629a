using System.IO.Pipelines;
using System.Text;
using System.Text.RegularExpressions;
using Kiln.Machines;

namespace Kiln.Machines.Tests;

public sealed class ConsoleCaptureTests : IDisposable
{
    private readonly string _log = Path.Combine(Path.GetTempPath(), $"kiln-console-test-{Guid.NewGuid():N}.log");

    public void Dispose() => File.Delete(_log);

    [Fact]
    public async Task Lines_AreCleanedTimestampedAndLogged()
    {
        await using var capture = new ConsoleCapture(_log, TimeProvider.System, TimeProvider.System.GetTimestamp());
        var input = new MemoryStream(Encoding.UTF8.GetBytes("\u001b[2J\u001b[01;01Hfirst line\r\nsecond\nthird without newline"));
        await capture.PumpAsync(input, CancellationToken.None);

        Assert.Equal(["first line", "second", "third without newline"], capture.Lines.Select(l => l.Text));
        var logged = await File.ReadAllLinesAsync(_log);
        Assert.Equal(3, logged.Length);
        Assert.Matches(@"^\[\s*\d+\.\d{3}\] first line$", logged[0]);
    }

    [Fact]
    public async Task UnfinishedLine_MatchesAPrompt()
    {
        await using var capture = new ConsoleCapture(_log, TimeProvider.System, TimeProvider.System.GetTimestamp());
        var pipe = new Pipe();
        var pump = capture.PumpAsync(pipe.Reader.AsStream(), CancellationToken.None);
        var wait = capture.WaitForMatchAsync(new Regex(BootCompletion.DefaultReadyPattern), CancellationToken.None);

        await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes("Debian GNU/Linux 12 kiln ttyS0\n\nkiln login: "));
        var line = await wait.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("kiln login: ", line.Text);

        await pipe.Writer.CompleteAsync();
        await pump;
    }

    [Fact]
    public async Task LineArrivingInPieces_IsMatchedWhole()
    {
        await using var capture = new ConsoleCapture(_log, TimeProvider.System, TimeProvider.System.GetTimestamp());
        var pipe = new Pipe();
        var pump = capture.PumpAsync(pipe.Reader.AsStream(), CancellationToken.None);
        var wait = capture.WaitForMatchAsync(new Regex("KILN-READY"), CancellationToken.None);

        await pipe.Writer.WriteAsync("KILN-READY files=1"u8.ToArray());
        await pipe.Writer.WriteAsync("2\n"u8.ToArray());
        var line = await wait.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("KILN-READY files=12", line.Text);

        await pipe.Writer.CompleteAsync();
        await pump;
    }

    [Fact]
    public async Task LinesSeenBeforeTheWait_StillMatch()
    {
        await using var capture = new ConsoleCapture(_log, TimeProvider.System, TimeProvider.System.GetTimestamp());
        await capture.PumpAsync(new MemoryStream("boot\nKILN-READY files=3\n"u8.ToArray()), CancellationToken.None);
        var line = await capture.WaitForMatchAsync(new Regex("KILN-READY"), CancellationToken.None);
        Assert.Equal("KILN-READY files=3", line.Text);
    }

    [Theory]
    [InlineData("kiln-test login: ", true)]
    [InlineData("Cloud-init v. 23.1.2 finished at Thu, 03 Dec 2026 10:00:00 +0000. Datasource DataSourceAzure.  Up 21.5 seconds", true)]
    [InlineData("[  OK  ] Reached target Multi-User System.", true)]
    [InlineData("[  OK  ] Reached target multi-user.target - Multi-User System.", true)]
    [InlineData("KILN-READY files=32", true)]
    [InlineData("Last login: yesterday on ttyS0 from nowhere", false)]
    [InlineData("Starting Cloud-init: Final Stage...", false)]
    [InlineData("[  OK  ] Reached target Basic System.", false)]
    public void DefaultReadyPattern(string line, bool ready) =>
        Assert.Equal(ready, new Regex(BootCompletion.DefaultReadyPattern).IsMatch(line));
}
