using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Kiln.Machines;

/// <summary>
/// Reads the guest's serial console from QEMU's stdout, splits it into lines, strips terminal
/// control sequences (OVMF clears the screen), writes each line to a log prefixed with the
/// seconds since start, and lets callers wait for a line matching a pattern. The unfinished
/// last line is matched too once the console has been quiet for <see cref="PromptQuietTime"/>:
/// a login prompt ("host login: ") has no newline after it.
/// </summary>
public sealed partial class ConsoleCapture : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly List<ConsoleLine> _lines = [];
    private readonly List<(Regex Pattern, TaskCompletionSource<ConsoleLine> Done)> _waiters = [];
    private readonly StreamWriter _log;
    private readonly TimeProvider _time;
    private readonly long _start;
    private string _partial = "";

    /// <summary>How long the console must stay silent before an unfinished line (a prompt) is matched.</summary>
    public static readonly TimeSpan PromptQuietTime = TimeSpan.FromMilliseconds(300);

    public ConsoleCapture(string logPath, TimeProvider time, long startTimestamp)
    {
        _log = new StreamWriter(new FileStream(logPath, FileMode.Create, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
        _time = time;
        _start = startTimestamp;
        LogPath = logPath;
    }

    public string LogPath { get; }

    public IReadOnlyList<ConsoleLine> Lines
    {
        get { lock (_gate) return [.. _lines]; }
    }

    /// <summary>Pumps <paramref name="console"/> until end of stream (QEMU exited) or cancellation.</summary>
    public async Task PumpAsync(Stream console, CancellationToken cancellationToken)
    {
        var decoder = Encoding.UTF8.GetDecoder();
        var bytes = new byte[4096];
        var chars = new char[Encoding.UTF8.GetMaxCharCount(bytes.Length)];
        var pending = new StringBuilder();
        while (true)
        {
            int read;
            try
            {
                var reading = console.ReadAsync(bytes, cancellationToken).AsTask();
                // An unfinished line only counts once the console has gone quiet after it (a
                // prompt waits for input); matching it mid-transfer would cut "files=12" to "files=1".
                if (pending.Length > 0 && await Task.WhenAny(reading, Task.Delay(PromptQuietTime, _time, cancellationToken)) != reading)
                    SetPartial(Clean(pending.ToString()));
                read = await reading;
            }
            catch (OperationCanceledException)
            {
                break;
            }
            if (read == 0) break;
            SetPartial("");
            var count = decoder.GetChars(bytes, 0, read, chars, 0);
            pending.Append(chars, 0, count);
            var text = pending.ToString();
            var newline = text.LastIndexOf('\n');
            if (newline >= 0)
            {
                foreach (var line in text[..newline].Split('\n'))
                    Complete(line);
                pending.Clear().Append(text[(newline + 1)..]);
            }
            // A long run without newline is still a line worth keeping; bound memory.
            if (pending.Length > 16_384)
            {
                Complete(pending.ToString());
                pending.Clear();
            }
        }
        if (pending.Length > 0)
            Complete(pending.ToString());
        SetPartial("");
    }

    /// <summary>Completes with the first line (already seen or to come, including the unfinished one) matching <paramref name="pattern"/>.</summary>
    public Task<ConsoleLine> WaitForMatchAsync(Regex pattern, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource<ConsoleLine>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            var seen = _lines.FirstOrDefault(l => pattern.IsMatch(l.Text));
            if (seen is not null) return Task.FromResult(seen);
            if (_partial.Length > 0 && pattern.IsMatch(_partial)) return Task.FromResult(new ConsoleLine(Now(), _partial));
            _waiters.Add((pattern, done));
        }
        cancellationToken.Register(() =>
        {
            lock (_gate) _waiters.RemoveAll(w => w.Done == done);
            done.TrySetCanceled(cancellationToken);
        });
        return done.Task;
    }

    private void Complete(string raw)
    {
        var line = new ConsoleLine(Now(), Clean(raw));
        lock (_gate)
        {
            _lines.Add(line);
            _log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{line.Seconds,9:F3}] {line.Text}"));
            Notify(line);
        }
    }

    private void SetPartial(string partial)
    {
        lock (_gate)
        {
            _partial = partial;
            if (partial.Length > 0)
                Notify(new ConsoleLine(Now(), partial));
        }
    }

    private void Notify(ConsoleLine line)
    {
        for (var i = _waiters.Count - 1; i >= 0; i--)
        {
            if (_waiters[i].Pattern.IsMatch(line.Text))
            {
                _waiters[i].Done.TrySetResult(line);
                _waiters.RemoveAt(i);
            }
        }
    }

    private double Now() => _time.GetElapsedTime(_start).TotalSeconds;

    /// <summary>Removes ANSI/VT escape sequences and other control characters (keeps tabs).</summary>
    internal static string Clean(string raw) => ControlCharacters().Replace(EscapeSequences().Replace(raw, ""), "");

    [GeneratedRegex(@"\x1B(\[[0-9;?=]*[ -/]*[@-~]|[()][A-Za-z0-9]|[@-Z\\-_])")]
    private static partial Regex EscapeSequences();

    [GeneratedRegex(@"[\x00-\x08\x0B-\x1F\x7F]")]
    private static partial Regex ControlCharacters();

    public async ValueTask DisposeAsync() => await _log.DisposeAsync();
}
