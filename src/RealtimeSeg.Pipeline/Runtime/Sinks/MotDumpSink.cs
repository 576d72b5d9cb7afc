using RealtimeSeg.Core;
using RealtimeSeg.Core.Sinks;
using RealtimeSeg.Formats.Mot;

namespace RealtimeSeg.Pipeline.Runtime.Sinks;

/// <summary>
/// <c>--dump-mot FILE</c>: every published frame's tracked things as MOTChallenge tracker rows, which
/// <c>realtimeseg eval mot</c> and TrackEval read. Frame <c>seq</c> becomes MOT frame <c>seq + 1</c>, the number
/// <c>synth export</c> gives the same frame. Formats text, so it runs on its own thread, off the socket's.
/// </summary>
/// <remarks>
/// Crash-safe: the file only ever receives whole rows (<see cref="MotTrackWriter.Create"/>), and rows go to the
/// operating system at a frame's end once <see cref="FlushInterval"/> has passed, or when no frame came for a quarter of
/// it — so <c>kill -9</c> loses at most about the last second of rows and never leaves half a row.
/// </remarks>
internal sealed class MotDumpSink : ThreadedFrameSink
{
    /// <summary>The longest a written row waits before it reaches the operating system.</summary>
    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(1);

    private readonly string _path;
    private readonly long _flushIntervalNs = (long)FlushInterval.TotalNanoseconds;
    private MotTrackWriter? _writer;
    private long _nextFlushNs;
    private bool _pending;

    public MotDumpSink(string path)
    {
        _path = path;
    }

    public override string Name => "mot-dump";

    protected override TimeSpan IdleInterval => FlushInterval / 4;

    public override Task StartAsync(SinkContext context, CancellationToken ct)
    {
        _writer = MotTrackWriter.Create(_path);
        _nextFlushNs = MonotonicClock.NowNs() + _flushIntervalNs;
        return Task.CompletedTask;
    }

    protected override void Write(ComposedFrame frame)
    {
        PanopticFrame panoptic = frame.Panoptic;
        int number = checked((int)panoptic.Sequence + 1);
        foreach (ref readonly PanopticSegment s in panoptic.Segments)
        {
            if (s.IsThing && s.TrackId > 0)
            {
                _writer!.WriteTrack(number, s.TrackId, s.BboxX, s.BboxY, s.BboxWidth, s.BboxHeight, s.Score);
                _pending = true;
            }
        }
        if (MonotonicClock.NowNs() >= _nextFlushNs)
        {
            Flush();
        }
    }

    protected override void OnIdle()
    {
        if (_pending)
        {
            Flush();
        }
    }

    protected override void Complete() => Flush();

    public override ValueTask DisposeAsync()
    {
        _writer?.Dispose();
        _writer = null;
        return base.DisposeAsync();
    }

    private void Flush()
    {
        _writer?.Flush();
        _pending = false;
        _nextFlushNs = MonotonicClock.NowNs() + _flushIntervalNs;
    }
}
