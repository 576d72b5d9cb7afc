using HdrHistogram;
using RealtimeSeg.Core;
using RealtimeSeg.Pipeline.Stats;

namespace RealtimeSeg.Pipeline.Tests.Stats;

public sealed class LatencyRecorderTests
{
    private const long Second = 1_000_000_000;

    private static long[] Stamps(long capturedNs, long publishedNs)
    {
        var s = new long[PipelineStages.Count];
        s[(int)PipelineStage.Captured] = capturedNs;
        s[(int)PipelineStage.Published] = publishedNs;
        return s;
    }

    [Fact]
    public void Windows_LatencyRisesInTheThirdWindow_EachWindowSummarizesOnlyItsFrames()
    {
        var r = new LatencyRecorder(streamCount: 1, window: TimeSpan.FromSeconds(10));
        long origin = 1000 * Second;
        r.Start(origin);
        for (int i = 0; i < 300; i++)
        {
            long published = origin + (i * Second / 10);            // 10 frames/s for 30 s
            long latency = i < 200 ? 50_000_000 : 400_000_000;      // 50 ms, then 400 ms from t = 20 s
            r.Record(Stamps(published - latency, published));
        }
        IReadOnlyList<LatencyWindow> w = r.Windows();
        Assert.Equal(3, w.Count);
        Assert.Equal((0.0, 10.0), (w[0].StartSeconds, w[0].EndSeconds));
        Assert.Equal((10.0, 20.0), (w[1].StartSeconds, w[1].EndSeconds));
        Assert.Equal(20.0, w[2].StartSeconds);
        Assert.Equal(29.9, w[2].EndSeconds, 3);
        Assert.Equal([100L, 100L, 100L], w.Select(x => x.Latency.Count));
        Assert.InRange(w[0].Latency.P99, 49.9, 50.1);
        Assert.InRange(w[1].Latency.P99, 49.9, 50.1);
        Assert.InRange(w[2].Latency.P99, 399, 401);
        // The whole-run histogram mixes them.
        Assert.Equal(300, r.Summarize(LatencyStage.CaptureToPublish).Count);
    }

    [Fact]
    public void SummarizeStream_TwoStreams_KeepTheirLatenciesApart()
    {
        var r = new LatencyRecorder(streamCount: 2);
        r.Start(Second);
        for (int i = 1; i <= 50; i++)
        {
            r.Record(Stamps(i * Second, (i * Second) + 20_000_000), 0);
            r.Record(Stamps(i * Second, (i * Second) + 300_000_000), 1);
        }
        Assert.InRange(r.SummarizeStream(0).P50, 19.9, 20.1);
        Assert.InRange(r.SummarizeStream(1).P50, 299, 301);
        Assert.Equal(50, r.SummarizeStream(1).Count);
        Assert.Empty(r.Windows());
    }

    [Fact]
    public void Summarize_Max_IsWhatHdrHistogramCallsTheMaxValue()
    {
        var r = new LatencyRecorder();
        var reference = new LongHistogram(600_000_000_000L, 3);
        var random = new Random(7);
        r.Start(Second);
        for (int i = 1; i <= 500; i++)
        {
            long latency = random.NextInt64(100_000, 900_000_000);
            r.Record(Stamps(i * Second, (i * Second) + latency));
            reference.RecordValue(latency);
        }

        LatencySummary s = r.Summarize(LatencyStage.CaptureToPublish);

        Assert.Equal(Math.Round(reference.GetMaxValue() / 1_000_000.0, 3), s.Max);
        Assert.Equal(Math.Round(reference.GetValueAtPercentile(99) / 1_000_000.0, 3), s.P99);
    }

    [Fact]
    public void Percentiles_AreTheSummarysP50AndP99_AndZeroBeforeAnyFrame()
    {
        var r = new LatencyRecorder();
        r.Start(Second);
        Assert.Equal((0.0, 0.0), r.Percentiles(LatencyStage.CaptureToPublish));
        for (int i = 1; i <= 100; i++)
        {
            r.Record(Stamps(i * Second, (i * Second) + (i * 1_000_000L)));   // 1…100 ms
        }

        LatencySummary s = r.Summarize(LatencyStage.CaptureToPublish);
        Assert.Equal((s.P50, s.P99), r.Percentiles(LatencyStage.CaptureToPublish));
        Assert.InRange(s.P50, 49.9, 50.1);
    }
}
