using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Kiln.Streaming.Hydration;

/// <summary>
/// One dedicated thread, below normal priority, that runs the prefetch's CPU work (verifying a
/// pack segment's sha256 and copying it into the cache file) in order.
/// <para>
/// Why: on a small host the guest's vCPU thread owns one core and every guest disk read is a
/// round trip through QEMU's I/O thread and the NBD server on the other. The boot pack arrives in
/// the first second of the boot, and at normal priority its hashing and copying (about 2 ms per
/// MiB) delay those round trips just when the firmware issues thousands of tiny reads; measured on
/// a Gen1 boot, the first MiB took 0.68 s instead of 0.3 s. At nice 10 the scheduler runs this
/// work in the gaps instead. A guest read that needs a segment still queued waits for it, as it
/// would for the network: the lane never drops work.
/// </para>
/// </summary>
public sealed partial class BackgroundLane : IDisposable
{
    /// <summary>Niceness of the lane's thread on Linux: low enough to yield to QEMU and the NBD server, high enough not to starve on a busy host.</summary>
    public const int Niceness = 10;

    private readonly BlockingCollection<(Action Work, TaskCompletionSource Done)> _work = new();
    private readonly BlockingCollection<(TaskCompletionSource Done, Exception? Failure)> _finished = new();
    private readonly Thread _worker;
    private readonly Thread _completer;

    public BackgroundLane(string name)
    {
        _worker = new Thread(Work) { IsBackground = true, Name = name };
        _completer = new Thread(Complete) { IsBackground = true, Name = name + "-done" };
        _worker.Start();
        _completer.Start();
    }

    /// <summary>Runs <paramref name="work"/> on the lane; the task completes (or faults) when it has run.</summary>
    public Task RunAsync(Action work)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _work.Add((work, done));
        return done.Task;
    }

    private void Work()
    {
        LowerPriority();
        foreach (var (work, done) in _work.GetConsumingEnumerable())
        {
            Exception? failure = null;
            try
            {
                work();
            }
            catch (Exception e)
            {
                failure = e; // handed to the awaiting caller, which decides what it means
            }
            _finished.Add((done, failure));
        }
        _finished.CompleteAdding();
    }

    /// <summary>
    /// Completes the callers' tasks from a normal-priority thread. Completing one queues its
    /// continuation to the thread pool, and .NET's pool may start a new worker on the queueing
    /// thread; Linux threads inherit their creator's niceness, so completing from the low-priority
    /// thread would, now and then, leave a pool thread (and all it later runs) at nice 10.
    /// </summary>
    private void Complete()
    {
        foreach (var (done, failure) in _finished.GetConsumingEnumerable())
        {
            if (failure is null) done.SetResult();
            else done.SetException(failure);
        }
    }

    /// <summary>Lowers only this thread (on Linux, setpriority on a thread id applies to that thread); elsewhere the lane runs at normal priority.</summary>
    private static void LowerPriority()
    {
        if (!OperatingSystem.IsLinux()) return;
        // A refusal (a container without the capability never refuses a raise of niceness) only costs the optimization.
        _ = SetPriority(PrioProcess, GetThreadId(), Niceness);
    }

    /// <summary>Ends the thread after the work already queued has run.</summary>
    public void Dispose()
    {
        _work.CompleteAdding();
        _worker.Join();
        _completer.Join();
        _work.Dispose();
        _finished.Dispose();
    }

    private const int PrioProcess = 0;

    [LibraryImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static partial int SetPriority(int which, int who, int priority);

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetThreadId();
}
