using RealtimeSeg.Core;

namespace RealtimeSeg.Publishing.Overlay;

/// <summary>
/// What the heads-up line says about a stream, from the frames themselves (so a replay shows the recorded run's
/// figures): frames per second as the pipeline published them (the frames' own <see cref="PipelineStage.Published"/>
/// stamps over the last two seconds), capture → publish latency of the latest frame, and frames dropped — sequence
/// numbers that never reached this output, whether the pipeline or this output's queue dropped them.
/// </summary>
internal sealed class StreamMeter
{
    private const int Window = 64;
    private const long WindowNs = 2_000_000_000;

    private readonly long[] _times = new long[Window];
    private int _count;
    private int _next;
    private long _firstSequence = -1;
    private long _lastSequence = -1;
    private long _seen;

    public double FramesPerSecond { get; private set; }
    public double LatencyMs { get; private set; }
    public long Dropped { get; private set; }

    public void Observe(PanopticFrame frame)
    {
        long published = frame.StageNs[(int)PipelineStage.Published];
        long captured = frame.StageNs[(int)PipelineStage.Captured];
        long time = published != 0 ? published : captured;
        LatencyMs = published != 0 && captured != 0 ? (published - captured) / 1e6 : 0;

        if (_firstSequence < 0 || frame.Sequence <= _lastSequence)
        {
            // First frame, or the sequence started over (a replay's loop, a new run): count afresh.
            _firstSequence = frame.Sequence;
            _seen = 0;
            _count = 0;
        }
        _lastSequence = frame.Sequence;
        _seen++;
        Dropped = (frame.Sequence - _firstSequence + 1) - _seen;

        _times[_next] = time;
        _next = (_next + 1) % Window;
        _count = Math.Min(_count + 1, Window);
        FramesPerSecond = 0;
        long oldest = time;
        int frames = 0;
        for (int i = 1; i < _count; i++)
        {
            long t = _times[(_next - 1 - i + Window) % Window];
            if (time - t > WindowNs)
            {
                break;
            }
            oldest = t;
            frames = i;
        }
        if (frames > 0 && time > oldest)
        {
            FramesPerSecond = frames * 1e9 / (time - oldest);
        }
    }
}
