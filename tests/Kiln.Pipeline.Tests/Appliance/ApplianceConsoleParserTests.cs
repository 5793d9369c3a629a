using Kiln.Machines;
using Kiln.Pipeline.Appliance;

namespace Kiln.Pipeline.Tests.Appliance;

public class ApplianceConsoleParserTests
{
    [Fact]
    public void Parser_SplitsOutputPerStep_WithExitCodesAndTimings()
    {
        var parser = new ApplianceConsoleParser(["s0", "s1", "s2"]);
        var log = new List<string?>
        {
            parser.Accept(new ConsoleLine(1.0, "[    0.5] some kernel line")),
            parser.Accept(new ConsoleLine(2.0, "KILN-STEP-BEGIN 0")),
            parser.Accept(new ConsoleLine(2.5, "KILN-OUT 0 hello world")),
            parser.Accept(new ConsoleLine(2.6, "KILN-OUT 0 ")),
            parser.Accept(new ConsoleLine(3.5, "KILN-STEP-EXIT 0 0")),
            parser.Accept(new ConsoleLine(4.0, "KILN-STEP-BEGIN 1")),
            parser.Accept(new ConsoleLine(4.1, "KILN-OUT 1 boom")),
            parser.Accept(new ConsoleLine(5.0, "KILN-STEP-EXIT 1 3")),
        };
        Assert.False(parser.Done);
        parser.Accept(new ConsoleLine(6.0, "KILN-JOB-DONE"));

        Assert.True(parser.Done);
        Assert.Equal([null, "s0: started", "s0: | hello world", "s0: | ", "s0: exit code 0 after 1.5 s", "s1: started", "s1: | boom", "s1: exit code 3 after 1.0 s"], log);
        var results = parser.Results();
        Assert.Equal([0, 3, null], results.Select(r => r.ExitCode));
        Assert.Equal(["hello world", ""], results[0].Output);
        Assert.Equal(1.5, results[0].Seconds);
        Assert.Null(results[2].Seconds);
        Assert.False(results[1].Succeeded);
    }

    [Theory]
    [InlineData("KILN-STEP-EXIT 7 0")]      // no such step
    [InlineData("KILN-STEP-EXIT -1 0")]
    [InlineData("KILN-STEP-EXIT 0 zero")]
    [InlineData("KILN-OUT x hello")]
    [InlineData(" KILN-STEP-EXIT 0 0")]     // not at the line start (e.g. inside a script's prefixed output)
    [InlineData("KILN-STEP-EXIT 99999999999999999999 0")]
    public void Parser_TreatsMalformedOrForeignMarkersAsPlainText(string line)
    {
        var parser = new ApplianceConsoleParser(["only"]);
        Assert.Null(parser.Accept(new ConsoleLine(1, line)));
        Assert.Null(parser.Results()[0].ExitCode);
        Assert.Equal(line.TrimEnd('\r'), parser.ConsoleTail[^1]);
    }

    [Fact]
    public void Parser_ReportsApplianceErrors_AndBoundsKeptOutput()
    {
        var parser = new ApplianceConsoleParser(["s"]);
        Assert.Equal("appliance: the job disk /dev/vdb did not appear", parser.Accept(new ConsoleLine(1, "KILN-APPLIANCE-ERROR the job disk /dev/vdb did not appear")));
        Assert.Equal("the job disk /dev/vdb did not appear", parser.ApplianceError);

        for (var i = 0; i < ApplianceConsoleParser.MaxLinesPerStep + 10; i++)
            parser.Accept(new ConsoleLine(2, $"KILN-OUT 0 line {i}"));
        var output = parser.Results()[0].Output;
        Assert.Equal(ApplianceConsoleParser.MaxLinesPerStep, output.Count);
        Assert.Equal($"line {ApplianceConsoleParser.MaxLinesPerStep + 9}", output[^1]); // the tail is what errors quote
        Assert.True(parser.ConsoleTail.Count <= 40);
    }
}
