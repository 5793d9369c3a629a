using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Kiln.Machines;

/// <summary>
/// One running QEMU VM. Owns the process, its private temp folder (the OVMF variables copy, the
/// default console log) and the console capture; <see cref="DisposeAsync"/> kills the process
/// tree if it still runs and deletes the folder, on every path (success, failure, timeout, cancel).
/// </summary>
public sealed class QemuMachine : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConsoleCapture _console;
    private readonly Task _consolePump;
    private readonly Task _stderrPump;
    private readonly StringBuilder _stderr = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly TimeProvider _time;
    private readonly long _start;
    private int _disposed;

    private QemuMachine(VmSpec spec, string workDirectory, Process process, ConsoleCapture console, TimeProvider time, long start)
    {
        Spec = spec;
        WorkDirectory = workDirectory;
        _process = process;
        _console = console;
        _time = time;
        _start = start;
        _consolePump = Task.Run(() => _console.PumpAsync(_process.StandardOutput.BaseStream, _stop.Token));
        _stderrPump = Task.Run(async () =>
        {
            string? line;
            while ((line = await _process.StandardError.ReadLineAsync(_stop.Token)) is not null)
                lock (_stderr) _stderr.AppendLine(line);
        });
    }

    /// <summary>The spec as started (Gen2: with the private OVMF variables path filled in).</summary>
    public VmSpec Spec { get; }

    /// <summary>The VM's private temp folder; gone after disposal.</summary>
    public string WorkDirectory { get; }

    public string ConsoleLogPath => _console.LogPath;
    public IReadOnlyList<ConsoleLine> ConsoleLines => _console.Lines;
    public int ProcessId => _process.Id;
    public bool HasExited => _process.HasExited;

    /// <summary>What QEMU printed on stderr so far (argument errors, firmware problems).</summary>
    public string StandardError
    {
        get { lock (_stderr) return _stderr.ToString(); }
    }

    public static async Task<QemuMachine> StartAsync(VmSpec spec, QemuMachineOptions? options, CancellationToken cancellationToken)
    {
        options ??= new QemuMachineOptions();
        var root = options.TempRoot ?? Path.GetTempPath();
        Directory.CreateDirectory(root);
        var work = Path.Combine(root, spec.Name);
        Directory.CreateDirectory(work);
        ConsoleCapture? console = null;
        try
        {
            if (spec.Generation == MachineGeneration.Gen2 && spec.OvmfVarsPath is null)
            {
                // UEFI writes its variables (boot entries); each VM gets its own copy so
                // concurrent VMs never share, and the template is never modified.
                if (!File.Exists(spec.OvmfVarsTemplatePath))
                    throw new MachineException($"OVMF variables template {spec.OvmfVarsTemplatePath} is missing: install the ovmf package.");
                var vars = Path.Combine(work, "OVMF_VARS.fd");
                File.Copy(spec.OvmfVarsTemplatePath, vars);
                spec = spec with { OvmfVarsPath = vars };
            }
            if (spec.Generation == MachineGeneration.Gen2 && !File.Exists(spec.OvmfCodePath))
                throw new MachineException($"OVMF firmware {spec.OvmfCodePath} is missing: install the ovmf package.");

            var info = new ProcessStartInfo(spec.QemuBinary)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in QemuArguments.Build(spec))
                info.ArgumentList.Add(argument);
            // qemu's snapshot=on overlay lands in TMPDIR: keep it inside the VM's folder.
            info.Environment["TMPDIR"] = work;

            var start = options.TimeProvider.GetTimestamp();
            console = new ConsoleCapture(options.ConsoleLogPath ?? Path.Combine(work, "console.log"), options.TimeProvider, start);
            var process = new Process { StartInfo = info };
            try
            {
                process.Start();
            }
            catch (Win32Exception e)
            {
                process.Dispose();
                throw new MachineException($"Cannot start {spec.QemuBinary}: {e.Message} (install qemu-system-x86).", e);
            }
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            return new QemuMachine(spec, work, process, console, options.TimeProvider, start);
        }
        catch (Exception) when (CleanupFailedStart(work, console))
        {
            throw; // never reached: the filter returns false after cleaning up
        }
    }

    private static bool CleanupFailedStart(string work, ConsoleCapture? console)
    {
        console?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        if (Directory.Exists(work))
            Directory.Delete(work, recursive: true);
        return false;
    }

    /// <summary>
    /// Waits for the first of: a console line matching the ready pattern, the guest powering
    /// off, disk-read quiescence (when a read counter is given), or the hard timeout (which
    /// kills the VM). Cancellation kills the VM and throws. The VM keeps running after a
    /// ReadyPattern or Quiescent result; dispose it (or call <see cref="StopAsync"/>) when done.
    /// </summary>
    public async Task<BootResult> WaitForBootAsync(BootCompletion completion, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
        var token = linked.Token;
        var ready = _console.WaitForMatchAsync(completion.ReadyPattern, token);
        var exited = _process.WaitForExitAsync(token);
        var quiescent = completion.ReadCounter is { } counter
            ? WatchQuiescenceAsync(counter, completion.QuiescencePeriod, completion.PollInterval, token)
            : Task.Delay(Timeout.Infinite, token);
        var remaining = completion.Timeout - _time.GetElapsedTime(_start);
        var timeout = Task.Delay(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, _time, token);

        Task first;
        try
        {
            first = await Task.WhenAny(ready, exited, quiescent, timeout);
        }
        finally
        {
            await linked.CancelAsync();
        }
        if (cancellationToken.IsCancellationRequested)
        {
            await StopAsync();
            cancellationToken.ThrowIfCancellationRequested();
        }

        if (first == ready && ready.IsCompletedSuccessfully)
            return Result(BootCompletionReason.ReadyPattern, ready.Result.Seconds, ready.Result.Text);
        if (first == exited && exited.IsCompletedSuccessfully)
        {
            // The ready line may still sit in the pipe when the exit is noticed: drain it first.
            await _consolePump.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            var line = _console.Lines.FirstOrDefault(l => completion.ReadyPattern.IsMatch(l.Text));
            if (line is not null)
                return Result(BootCompletionReason.ReadyPattern, line.Seconds, line.Text);
            return GuestExit.Classify(_process.ExitCode, _console.Lines) == BootCompletionReason.PoweredOff
                ? Result(BootCompletionReason.PoweredOff, Elapsed(), null)
                : Result(BootCompletionReason.Crashed, null, null);
        }
        if (first == quiescent && quiescent.IsCompletedSuccessfully)
            return Result(BootCompletionReason.Quiescent, Elapsed(), null);

        await StopAsync();
        return Result(BootCompletionReason.Timeout, null, null);
    }

    private async Task WatchQuiescenceAsync(Func<long> counter, TimeSpan period, TimeSpan poll, CancellationToken cancellationToken)
    {
        var last = counter();
        var lastChange = _time.GetTimestamp();
        while (true)
        {
            await Task.Delay(poll, _time, cancellationToken);
            var now = counter();
            if (now != last)
            {
                last = now;
                lastChange = _time.GetTimestamp();
            }
            else if (now > 0 && _time.GetElapsedTime(lastChange) >= period)
            {
                return;
            }
        }
    }

    private double Elapsed() => _time.GetElapsedTime(_start).TotalSeconds;

    private BootResult Result(BootCompletionReason reason, double? seconds, string? line) =>
        new(reason, seconds, ConsoleLogPath, line, _process.HasExited ? _process.ExitCode : null);

    /// <summary>Kills QEMU (and anything it started) if it still runs, and waits for it to go.</summary>
    public async Task StopAsync()
    {
        try
        {
            if (!_process.HasExited)
                _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill: nothing left to stop.
        }
        await _process.WaitForExitAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        try
        {
            await StopAsync();
            await _stop.CancelAsync();
            await Task.WhenAll(_consolePump, _stderrPump).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await _console.DisposeAsync();
        }
        finally
        {
            _process.Dispose();
            _stop.Dispose();
            if (Directory.Exists(WorkDirectory))
                Directory.Delete(WorkDirectory, recursive: true);
        }
    }
}
