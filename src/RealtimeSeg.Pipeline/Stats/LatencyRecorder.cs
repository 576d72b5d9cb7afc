using HdrHistogram;
using RealtimeSeg.Core;

namespace RealtimeSeg.Pipeline.Stats;

/// <summary>
/// Per-stage latency histograms (HdrHistogram, ns resolution to 3 significant digits, up to 10 minutes), plus capture →
/// publish per stream and per time window, from a published frame's stage stamps. Single-threaded by design, with no
/// lock: the stats sink records and reads it on its own thread while the run lasts, and the report reads it after the
/// sink has ended (HdrHistogram's percentile walk must not see counts change under it). Recording allocates nothing,
/// except that closing a window appends one summary to a list sized for 64 windows up front.
/// </summary>
internal sealed class LatencyRecorder
{
    private const long MaxNs = 600_000_000_000L;
    private static readonly int StageCount = Enum.GetValues<LatencyStage>().Length;
    private readonly LongHistogram[] _histograms;
    private readonly LongHistogram[] _perStream;
    private readonly LongHistogram _work = new(MaxNs, 3);
    private readonly long _windowNs;
    private readonly LongHistogram? _window;
    private readonly LongHistogram? _windowInference;
    private readonly List<LatencyWindow> _closedWindows = new(64);
    private long _originNs;
    private long _windowStartNs;
    private long _lastPublishNs;

    /// <param name="streamCount">Streams to keep a capture → publish histogram for.</param>
    /// <param name="window">Length of a latency window; zero keeps no windows.</param>
    public LatencyRecorder(int streamCount = 1, TimeSpan window = default)
    {
        _histograms = new LongHistogram[StageCount];
        for (int i = 0; i < _histograms.Length; i++)
        {
            _histograms[i] = new LongHistogram(MaxNs, 3);
        }
        _perStream = new LongHistogram[streamCount];
        for (int i = 0; i < _perStream.Length; i++)
        {
            _perStream[i] = new LongHistogram(MaxNs, 3);
        }
        _windowNs = (long)window.TotalNanoseconds;
        _window = _windowNs > 0 ? new LongHistogram(MaxNs, 3) : null;
        _windowInference = _windowNs > 0 ? new LongHistogram(MaxNs, 3) : null;
    }

    /// <summary>Sets time zero of the windows (the pipeline's start on the monotonic clock).</summary>
    public void Start(long originNs)
    {
        _originNs = originNs;
        _windowStartNs = originNs;
    }

    /// <summary>Records one published frame: its stage stamps and, when known, its pipeline work outside the model run.</summary>
    public void Record(long[] stageNs, int streamIndex = 0, long workNs = 0)
    {
        if (workNs > 0)
        {
            _work.RecordValue(Math.Min(workNs, MaxNs));
        }
        for (int stage = 0; stage < _histograms.Length; stage++)
        {
            long ns = LatencyStageSpans.Duration(stageNs, (LatencyStage)stage);
            if (ns >= 0)
            {
                _histograms[stage].RecordValue(Math.Min(ns, MaxNs));
            }
        }

        long captured = stageNs[(int)PipelineStage.Captured], published = stageNs[(int)PipelineStage.Published];
        if (captured == 0 || published == 0)
        {
            return;
        }
        long e2e = Math.Clamp(published - captured, 0, MaxNs);
        if ((uint)streamIndex < (uint)_perStream.Length)
        {
            _perStream[streamIndex].RecordValue(e2e);
        }
        if (_window is not null)
        {
            while (published - _windowStartNs >= _windowNs)
            {
                CloseWindow(_windowStartNs + _windowNs);
            }
            _window.RecordValue(e2e);
            long preprocessed = stageNs[(int)PipelineStage.Preprocessed], inferred = stageNs[(int)PipelineStage.Inferred];
            if (preprocessed != 0 && inferred != 0)
            {
                _windowInference!.RecordValue(Math.Clamp(inferred - preprocessed, 0, MaxNs));
            }
            _lastPublishNs = published;
        }
    }

    private void CloseWindow(long endNs)
    {
        _closedWindows.Add(new LatencyWindow(Seconds(_windowStartNs), Seconds(endNs), Summarize(_window!), Summarize(_windowInference!)));
        _window!.Reset();
        _windowInference!.Reset();
        _windowStartNs = endNs;
    }

    public LatencySummary Summarize(LatencyStage stage) => Summarize(_histograms[(int)stage]);

    public LatencySummary SummarizeStream(int streamIndex) => Summarize(_perStream[streamIndex]);

    /// <summary>Pipeline work per frame outside the model run and video decode (preprocess, decode, track, compose, encode).</summary>
    public LatencySummary SummarizeWork() => Summarize(_work);

    /// <summary>
    /// Median and 99th percentile of one stage in ms (0 before any frame) — what a live status line needs, read without
    /// allocating (<see cref="Summarize(LatencyStage)"/> builds the whole summary).
    /// </summary>
    public (double P50, double P99) Percentiles(LatencyStage stage)
    {
        LongHistogram h = _histograms[(int)stage];
        return h.TotalCount == 0 ? (0, 0) : (Ms(h.GetValueAtPercentile(50)), Ms(h.GetValueAtPercentile(99)));
    }

    /// <summary>The closed windows and, when it holds frames, the open one (ending at the last publish).</summary>
    public IReadOnlyList<LatencyWindow> Windows()
    {
        if (_window is null)
        {
            return [];
        }
        var all = new List<LatencyWindow>(_closedWindows.Count + 1);
        all.AddRange(_closedWindows);
        if (_window.TotalCount > 0)
        {
            all.Add(new LatencyWindow(Seconds(_windowStartNs), Seconds(Math.Max(_windowStartNs, _lastPublishNs)), Summarize(_window), Summarize(_windowInference!)));
        }
        return all;
    }

    private double Seconds(long ns) => Math.Round((ns - _originNs) / 1e9, 3);

    private static LatencySummary Summarize(LongHistogram h)
    {
        long count = h.TotalCount;
        if (count == 0)
        {
            return new LatencySummary(0, 0, 0, 0, 0);
        }
        // The 100th percentile is the highest equivalent value of the top recorded bucket, which is what GetMaxValue()
        // returns, without its LINQ walk over the recorded values (it allocates an enumerator chain per call, and windows
        // close on the publisher thread).
        return new LatencySummary(
            Ms(h.GetValueAtPercentile(50)), Ms(h.GetValueAtPercentile(90)), Ms(h.GetValueAtPercentile(99)), Ms(h.GetValueAtPercentile(100)), count);
    }

    private static double Ms(long ns) => Math.Round(ns / 1_000_000.0, 3);
}
