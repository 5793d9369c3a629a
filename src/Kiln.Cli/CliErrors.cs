namespace Kiln.Cli;

/// <summary>Which exceptions reaching the top of a command are the user's to fix (shown as one line), not Kiln's bugs (shown with their stack).</summary>
public static class CliErrors
{
    public static bool IsUsers(Exception e) =>
        Environment.GetEnvironmentVariable("KILN_DEBUG") is not ("1" or "true")
        && e is ArgumentException or FormatException or IOException or UnauthorizedAccessException or InvalidDataException or TimeoutException;
}
