using BenchmarkDotNet.Running;

namespace RealtimeSeg.Benchmarks;

internal static class Program
{
    private static void Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "overlay-cpu")
        {
            // The overlay's per-frame operations in thread CPU time (docs/benchmarks.md, "Overlay video").
            Publishing.OverlayBenchmarks.MeasureCpuTime(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 200);
            return;
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
