namespace Kiln.Guest.Tests;

public sealed class CpioNewcWriterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kiln-guest-cpio-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Cpio_IsReadByCpio()
    {
        var archive = Path.Combine(_dir, "a.cpio");
        await using (var file = File.Create(archive))
        {
            var cpio = new CpioNewcWriter(file);
            cpio.AddDirectory("bin");
            cpio.AddFile("bin/hello", "hello, kiln\n"u8, executable: true);
            cpio.AddSymlink("bin/hi", "hello");
            cpio.Finish();
        }
        var listing = await ToolRunner.RunAsync("cpio", ["-itv", "-F", archive], CancellationToken.None);
        Assert.Contains("bin/hello", listing);
        Assert.Contains("bin/hi -> hello", listing);
        Assert.Contains("rwxr-xr-x", listing);
        var content = await ToolRunner.RunAsync("cpio", ["-i", "--to-stdout", "-F", archive, "bin/hello"], CancellationToken.None);
        Assert.Equal("hello, kiln\n", content);
    }
}
