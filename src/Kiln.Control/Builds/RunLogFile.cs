using Kiln.Pipeline.Runner;

namespace Kiln.Control.Builds;

/// <summary>
/// A run's customization.log: each line is timestamped and flushed at once so `kiln logs -f`
/// and the logs endpoint see it while the run goes; the file is kept after the run.
/// </summary>
public sealed class RunLogFile : IBuildLog, IDisposable
{
    private readonly StreamWriter _writer;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();

    public RunLogFile(string path, TimeProvider time)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        Path = path;
        _time = time;
        // FileShare.Read: readers may follow the file while it is written.
        _writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
    }

    public string Path { get; }

    public void Write(string line)
    {
        lock (_lock)
            _writer.WriteLine($"{_time.GetUtcNow():yyyy-MM-ddTHH:mm:ss.fffZ} {line}");
    }

    public void Dispose()
    {
        lock (_lock)
            _writer.Dispose();
    }
}
