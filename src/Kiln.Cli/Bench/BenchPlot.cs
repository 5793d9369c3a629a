using ScottPlot;

namespace Kiln.Cli.Bench;

/// <summary>Writes benchmark plots as PNG (ScottPlot, headless). One series per benchmark case.</summary>
public static class BenchPlot
{
    public static void WriteLines(string path, string title, string xLabel, string yLabel,
        IEnumerable<BenchSeries> series, int width = 1000, int height = 600,
        IReadOnlyDictionary<string, double>? markers = null)
    {
        var plot = new Plot();
        int index = 0;
        double right = 0;
        foreach (var s in series)
        {
            // Palette colours chosen here (not by ScottPlot) so a series' marker can share its colour.
            var color = plot.Add.Palette.GetColor(index++);
            double? ready = markers is not null && markers.TryGetValue(s.Name, out var r) ? r : null;
            // The ready time goes in the legend: labels on the axis overlap when two cases finish close together.
            string name = ready is { } t ? $"{s.Name} (ready {t:0.0} s)" : s.Name;
            if (s.X.Count > 0)
            {
                var line = plot.Add.ScatterLine(s.X.ToArray(), s.Y.ToArray(), color);
                line.LegendText = name;
                line.LineWidth = 2;
                right = Math.Max(right, s.X.Max());
            }
            if (ready is { } x)
            {
                // A dashed vertical line: "this case was ready here" (also for cases without a curve).
                var v = plot.Add.VerticalLine(x, 1.5f, color, LinePattern.Dashed);
                if (s.X.Count == 0) v.LegendText = name;
                right = Math.Max(right, x);
            }
        }
        if (right > 0) plot.Axes.SetLimitsX(0, right * 1.05);
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
