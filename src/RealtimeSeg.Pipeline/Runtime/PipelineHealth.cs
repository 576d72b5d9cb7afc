using RealtimeSeg.Core;
using RealtimeSeg.Web.Health;

namespace RealtimeSeg.Pipeline.Runtime;

/// <summary>The run's streams as <c>/readyz</c> and the viewer's figures see them, read from the counters each stream keeps anyway.</summary>
internal sealed class PipelineHealth : IHealthSource
{
    private readonly StreamContext[] _streams;

    public PipelineHealth(StreamContext[] streams)
    {
        _streams = streams;
    }

    public IReadOnlyList<StreamHealth> Streams()
    {
        long now = MonotonicClock.NowNs();
        var list = new StreamHealth[_streams.Length];
        for (int i = 0; i < list.Length; i++)
        {
            StreamContext s = _streams[i];
            long last = s.LastPublishedNs;
            list[i] = new StreamHealth(s.Name, s.State, last == 0 ? null : Math.Max(0, now - last) / 1e9, s.FramesPublished, s.FramesDropped,
                s.Input.Reconnects, s.Failure?.Message ?? s.Input.LastError);
        }
        return list;
    }
}
