using ScottPlot;

namespace Kiln.Cli.Bench;

/// <summary>Writes benchmark plots as PNG (ScottPlot, headless). One series per benchmark case.</summary>
public static class BenchPlot
{
    public static void WriteLines(string path, string title, string xLabel, string yLabel,
        IEnumerable<BenchSeries> series, int width = 1000, int height = 600)
    {
        var plot = new Plot();
        foreach (var s in series)
        {
            var line = plot.Add.ScatterLine(s.X.ToArray(), s.Y.ToArray());
            line.LegendText = s.Name;
            line.LineWidth = 2;
        }
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.ShowLegend(Alignment.LowerRight);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        plot.SavePng(path, width, height);
    }

    public static void WriteBars(string path, string title, string yLabel, IReadOnlyList<(string Name, double Value)> bars,
        int width = 800, int height = 500)
    {
        var plot = new Plot();
        var positions = Enumerable.Range(0, bars.Count).Select(i => (double)i).ToArray();
        plot.Add.Bars(positions, bars.Select(b => b.Value).ToArray());
        plot.Axes.Bottom.SetTicks(positions, bars.Select(b => b.Name).ToArray());
        plot.Title(title);
        plot.YLabel(yLabel);
        plot.Axes.Margins(bottom: 0);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        plot.SavePng(path, width, height);
    }
}
