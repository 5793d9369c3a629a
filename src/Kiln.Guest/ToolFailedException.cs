namespace Kiln.Guest;

/// <summary>A host tool (mke2fs, sfdisk, objcopy, …) exited non-zero; carries the command line and its stderr.</summary>
public sealed class ToolFailedException : Exception
{
    public ToolFailedException(string commandLine, int exitCode, string standardError)
        : base($"'{commandLine}' failed with exit code {exitCode}: {standardError.Trim()}")
    {
        CommandLine = commandLine;
        ExitCode = exitCode;
        StandardError = standardError;
    }

    public string CommandLine { get; }
    public int ExitCode { get; }
    public string StandardError { get; }
}
