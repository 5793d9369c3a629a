using System.Diagnostics;
using System.Text;

namespace Kiln.Guest;

/// <summary>
/// Runs a host tool to completion, capturing stdout and stderr. A non-zero exit throws
/// <see cref="ToolFailedException"/> naming the command and quoting its output, so a failed
/// image build says which step broke and why. Cancellation kills the tool's process tree.
/// </summary>
public static class ToolRunner
{
    public static async Task<string> RunAsync(string fileName, IEnumerable<string> arguments, CancellationToken cancellationToken, string? standardInput = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = standardInput is not null,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        // Tools must not stop to ask questions (mkfs, sgdisk) nor print translated messages.
        info.Environment["LC_ALL"] = "C";
        info.Environment["MTOOLS_SKIP_CHECK"] = "1";

        var commandLine = fileName + " " + string.Join(' ', info.ArgumentList);
        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new ToolFailedException(commandLine, -1, $"cannot start: {e.Message} (is the Debian package installed? see scripts/ensure-deps.sh)");
        }

        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput.AsMemory(), cancellationToken);
            process.StandardInput.Close();
        }
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            throw;
        }

        var output = await stdout;
        var error = await stderr;
        if (process.ExitCode != 0)
            throw new ToolFailedException(commandLine, process.ExitCode, error.Length > 0 ? error : output);
        return output;
    }
}
