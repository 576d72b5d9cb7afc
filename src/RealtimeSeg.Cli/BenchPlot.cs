using RealtimeSeg.Pipeline.Bench;
using ScottPlot;
using SkiaSharp;

namespace RealtimeSeg.Cli;

/// <summary>bench.png: latency over time per stage, with the budget lines, for the lockstep and the overload phases.</summary>
internal static class BenchPlot
{
    private const int Width = 1400;
    private const int Height = 1000;

    public static void Save(BenchReport r, string path)
    {
        BenchSeries series = r.Series;
        var multiplot = new Multiplot();
        Plot work = multiplot.Subplots.GetPlot(0);
        work.Title($"(b) lockstep: pipeline work per frame outside ORT Run and decode — {r.Model}");
        work.XLabel("seconds");
        work.YLabel("ms");
        Line(work, series.OverheadSeconds, series.OverheadMs, "pipeline work");
        Budget(work, 1.0, "budget: median ≤ 1 ms");
        Budget(work, 2.0, "budget: p99 ≤ 2 ms");
        work.ShowLegend();

        var overload = new Plot();
        overload.Title($"(c) overload: {r.Overload.Description}");
        overload.XLabel("seconds");
        overload.YLabel("ms");
        Line(overload, series.OverloadSeconds, series.CaptureToPublishMs, "capture → publish");
        Line(overload, series.OverloadSeconds, series.InferenceMs, "inference (ORT Run)");
        Line(overload, series.OverloadSeconds, series.QueueWaitMs, "queue wait (capture ring)");
        Budget(overload, 2 * r.Overload.InferenceP99Ms, "budget: capture → publish p99 ≤ 2 × inference p99");
        overload.ShowLegend();
        multiplot.Subplots.Add(overload);

        using SKSurface surface = SKSurface.Create(new SKImageInfo(Width, Height));
        multiplot.Render(surface.Canvas, new PixelRect(0, Width, Height, 0));
        using SKImage image = surface.Snapshot();
        using SKData png = image.Encode(SKEncodedImageFormat.Png, 100);
        string temp = path + ".tmp";
        File.WriteAllBytes(temp, png.ToArray());
        File.Move(temp, path, overwrite: true);
    }

    private static void Line(Plot plot, double[] xs, double[] ys, string label)
    {
        if (xs.Length == 0)
        {
            return;
        }
        var scatter = plot.Add.Scatter(xs, ys);
        scatter.LegendText = label;
        scatter.MarkerSize = 2;
        scatter.LineWidth = 1;
    }

    private static void Budget(Plot plot, double y, string label)
    {
        var line = plot.Add.HorizontalLine(y);
        line.LegendText = label;
        line.LinePattern = LinePattern.Dashed;
    }
}
