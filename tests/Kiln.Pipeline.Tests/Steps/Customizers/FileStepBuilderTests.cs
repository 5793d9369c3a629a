using Kiln.Pipeline.Steps.Customizers.File;

namespace Kiln.Pipeline.Tests.Steps.Customizers;

public class FileStepBuilderTests
{
    [Fact]
    public void CopyScript_CreatesTheParent_ThenCopiesThePayload_Quoted()
    {
        var script = FileStepBuilder.CopyScript("/etc/my app/it's.conf", 3);
        var lines = script.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("mkdir -p '/etc/my app'", lines[0]);
        Assert.Equal("cp /.kiln/job/files/3 '/etc/my app/it'\\''s.conf'", lines[1]);
    }

    [Fact]
    public void CopyScript_AtTheRoot_UsesSlashAsParent() =>
        Assert.StartsWith("mkdir -p '/'\n", FileStepBuilder.CopyScript("/motd", 0));

    [Theory]
    [InlineData("tmp/x", "absolute")]
    [InlineData("", "absolute")]
    [InlineData("/tmp/", "names a folder")]
    [InlineData("/tmp/a\nb", "line break")]
    public void BadDestinations_AreRefused(string destination, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => FileStepBuilder.CheckDestination(destination, "customize[0] File"));
        Assert.Contains(expected, e.Message);
        Assert.Contains("customize[0] File", e.Message);
    }
}
