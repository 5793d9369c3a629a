namespace Kiln.Api.Hosting;

/// <summary>Secrets (keys, client secret) are readable by the owner only.</summary>
public static class PrivateFile
{
    public static void Restrict(string path)
    {
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
