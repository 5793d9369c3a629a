using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Kiln.Cli.Commands;

namespace Kiln.Cli.Tests.Commands;

public sealed class InspectCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kiln-cli-inspect-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static void Run(string file, string? stdin, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardInput = stdin is not null, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        if (stdin is not null) { p.StandardInput.Write(stdin); p.StandardInput.Close(); }
        var err = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{file} failed: {err.Result}");
    }

    /// <summary>MBR disk, one active ext4 partition with os-release and an empty machine-id (mke2fs -d + sfdisk, no mount).</summary>
    private string LinuxDisk()
    {
        var tree = Path.Combine(_dir, "root");
        Directory.CreateDirectory(Path.Combine(tree, "etc/ssh"));
        File.WriteAllText(Path.Combine(tree, "etc/os-release"), "NAME=\"Kiln Test Linux\"\nVERSION=\"1.0\"\n");
        File.WriteAllText(Path.Combine(tree, "etc/machine-id"), "");
        var volume = Path.Combine(_dir, "root.img");
        Run("mke2fs", null, "-q", "-F", "-t", "ext4", "-d", tree, volume, "8M");
        var disk = Path.Combine(_dir, "disk.img");
        using (var f = new FileStream(disk, FileMode.Create)) f.SetLength(16 << 20);
        Run("sfdisk", "label: dos\nstart=2048, size=16384, type=83, bootable\n", "-q", disk);
        using (var src = File.OpenRead(volume))
        using (var dst = new FileStream(disk, FileMode.Open)) { dst.Position = 1 << 20; src.CopyTo(dst); }
        return disk;
    }

    private static async Task<(int Code, string Out, string Err)> Invoke(params string[] args)
    {
        var root = new RootCommand { InspectCommand.Create() };
        var output = new StringWriter();
        var error = new StringWriter();
        int code = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Json_HasTheContractFields()
    {
        var (code, output, error) = await Invoke("inspect", LinuxDisk(), "--json");
        Assert.True(code == 0, error);
        using var doc = JsonDocument.Parse(output);
        var r = doc.RootElement;
        Assert.Equal("raw", r.GetProperty("format").GetString());
        Assert.Equal(16 << 20, r.GetProperty("virtualSizeBytes").GetInt64());
        Assert.Equal("MBR", r.GetProperty("partitionScheme").GetString());
        Assert.Equal("ext4", r.GetProperty("partitions")[0].GetProperty("fileSystem").GetString());
        Assert.Equal("V1", r.GetProperty("hyperVGeneration").GetString());
        Assert.Equal("Linux", r.GetProperty("osType").GetString());
        Assert.Equal("Kiln Test Linux 1.0", r.GetProperty("distro").GetString());
        Assert.Equal("Generalized", r.GetProperty("osState").GetString());
        Assert.True(r.GetProperty("vmBootOptimization").GetProperty("eligible").GetBoolean());
    }

    [Fact]
    public async Task Table_IsShortAndAligned()
    {
        var (code, output, _) = await Invoke("inspect", LinuxDisk());
        Assert.Equal(0, code);
        var lines = output.TrimEnd().Split('\n');
        Assert.InRange(lines.Length, 8, 30);
        Assert.Contains(lines, l => l.StartsWith("OS                Linux (Kiln Test Linux 1.0)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Boot optimization eligible", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CorruptImage_ExitsWith2_AndAClearMessage_NoStackTrace()
    {
        var disk = LinuxDisk();
        using (var f = new FileStream(disk, FileMode.Open))
        {
            // Turn the MBR into a protective MBR whose GPT does not exist.
            f.Position = 446 + 4;
            f.WriteByte(0xEE);
        }
        var (code, output, error) = await Invoke("inspect", disk, "--json");
        Assert.Equal(InspectCommand.UnreadableImage, code);
        Assert.Equal("", output);
        Assert.Contains("corrupt image", error);
        Assert.Contains("GPT", error);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public async Task MissingImage_ExitsWith2()
    {
        var (code, _, error) = await Invoke("inspect", Path.Combine(_dir, "absent.img"));
        Assert.Equal(2, code);
        Assert.Contains("does not exist", error);
    }
}
