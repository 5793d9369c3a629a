using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Kiln.Vms;

/// <summary>
/// The benchmark's peer: nbdkit serving an image file through its own filters, read-only, on a
/// Unix socket. nbdkit lists filters outermost first, so
/// <code>
///   client ─► readahead ─► cache ─► log ─► stats ─► rate ─► delay ─► file
/// </code>
/// makes the cache filter's block reads (filled ahead by the readahead's prefetches, when that
/// filter is on: see <see cref="NbdkitPeerOptions.Readahead"/>) the ones that pay the latency, and the
/// log and stats filters see exactly the requests that crossed the modelled link. The delay filter
/// sleeps per request in the request's own thread, so concurrent requests overlap their
/// latencies, as Kiln's remote model does.
/// </summary>
public sealed partial class NbdkitPeer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly NbdkitPeerOptions _options;
    private readonly ManualResetEventSlim _releaseParentThread;
    private int _stopped;

    private NbdkitPeer(Process process, NbdkitPeerOptions options, ManualResetEventSlim releaseParentThread)
    {
        _process = process;
        _options = options;
        _releaseParentThread = releaseParentThread;
    }

    public string NbdUri => "nbd:unix:" + _options.SocketPath;
    public int ProcessId => _process.Id;

    /// <summary>nbdkit's command line (pure, for tests).</summary>
    public static IReadOnlyList<string> BuildArguments(NbdkitPeerOptions options)
    {
        var args = new List<string> { "--foreground", "--readonly", "--unix", options.SocketPath };
        if (options.Readahead) args.Add("--filter=readahead");
        if (options.Cache) args.Add("--filter=cache");
        if (options.LogFile is not null) args.Add("--filter=log");
        if (options.StatsFile is not null) args.Add("--filter=stats");
        if (options.BytesPerSecond is not null) args.Add("--filter=rate");
        if (options.Latency > TimeSpan.Zero) args.Add("--filter=delay");
        args.Add("file");
        args.Add(options.ImagePath);
        if (options.Latency > TimeSpan.Zero)
            args.Add("rdelay=" + Math.Max(1, (long)Math.Round(options.Latency.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture) + "ms");
        if (options.BytesPerSecond is { } rate)
            args.Add("rate=" + (rate * 8).ToString(CultureInfo.InvariantCulture)); // the rate filter counts bits per second
        if (options.StatsFile is not null) args.Add("statsfile=" + options.StatsFile);
        if (options.LogFile is not null) args.Add("logfile=" + options.LogFile);
        if (options.Cache) args.Add("cache-on-read=true"); // without it only writes and prefetches are cached
        return args;
    }

    /// <summary>Starts nbdkit and waits (up to <paramref name="startTimeout"/>) for its socket to appear.</summary>
    public static async Task<NbdkitPeer> StartAsync(NbdkitPeerOptions options, TimeSpan startTimeout, CancellationToken ct = default)
    {
        var info = new ProcessStartInfo("nbdkit") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in BuildArguments(options)) info.ArgumentList.Add(a);
        var release = new ManualResetEventSlim();
        Process process;
        try
        {
            process = await StartFromOwnThreadAsync(info, release);
        }
        catch (Win32Exception e)
        {
            release.Set();
            release.Dispose();
            throw new InvalidOperationException($"Cannot start nbdkit: {e.Message} (install the nbdkit package; scripts/ensure-deps.sh lists it).", e);
        }
        var peer = new NbdkitPeer(process, options, release);
        try
        {
            var deadline = Stopwatch.StartNew();
            while (!File.Exists(options.SocketPath))
            {
                if (process.HasExited)
                    throw new InvalidOperationException($"nbdkit exited with code {process.ExitCode} before listening: {await process.StandardError.ReadToEndAsync(ct)}");
                if (deadline.Elapsed > startTimeout)
                    throw new TimeoutException($"nbdkit did not create {options.SocketPath} within {startTimeout.TotalSeconds:0} s.");
                await Task.Delay(20, ct);
            }
            return peer;
        }
        catch (Exception)
        {
            await peer.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// nbdkit --foreground calls prctl(PR_SET_PDEATHSIG, SIGTERM), and Linux sends that signal when
    /// the <em>thread</em> that forked it exits, not the process. Started from a thread-pool thread,
    /// nbdkit was killed whenever the pool retired that thread: at start-up (exit code 143 before
    /// listening) or mid-boot. So nbdkit is started from a thread of its own that lives until
    /// <paramref name="release"/> is set, which <see cref="DisposeAsync"/> does once nbdkit has exited.
    /// </summary>
    private static Task<Process> StartFromOwnThreadAsync(ProcessStartInfo info, ManualResetEventSlim release)
    {
        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        var parent = new Thread(() =>
        {
            Process process;
            try
            {
                process = Process.Start(info) ?? throw new InvalidOperationException("nbdkit did not start.");
            }
            catch (Exception e)
            {
                started.SetException(e);
                return;
            }
            started.SetResult(process);
            release.Wait();
        })
        { IsBackground = true, Name = "nbdkit parent" };
        parent.Start();
        return started.Task;
    }

    /// <summary>Stops nbdkit with SIGTERM (so the stats filter writes its file) and returns its counts, if it kept any.</summary>
    public async Task<NbdkitStats?> StopAsync(CancellationToken ct = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0 && !_process.HasExited)
        {
            _ = Kill(_process.Id, SigTerm);
            using var grace = CancellationTokenSource.CreateLinkedTokenSource(ct);
            grace.CancelAfter(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                _process.Kill(entireProcessTree: true); // ignored SIGTERM: no stats, but no leftover process either
                await _process.WaitForExitAsync(CancellationToken.None);
            }
        }
        if (_options.StatsFile is null || !File.Exists(_options.StatsFile)) return null;
        return NbdkitStats.Parse(await File.ReadAllTextAsync(_options.StatsFile, ct));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
            _releaseParentThread.Set(); // nbdkit is gone: its parent thread may end now
            _process.Dispose();
            if (File.Exists(_options.SocketPath)) File.Delete(_options.SocketPath);
        }
    }

    private const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
