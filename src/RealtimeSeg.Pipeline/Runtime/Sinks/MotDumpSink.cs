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
/// Crash-safe: the file only ever receives whole rows (<see cref="MotTrackWriter.Create"/>), flushed at least once a
/// <see cref="TimedFlushSink.FlushInterval"/> — so <c>kill -9</c> loses at most about the last second of rows and never
/// leaves half a row.
/// </remarks>
internal sealed class MotDumpSink : TimedFlushSink
{
    private readonly string _path;
    private MotTrackWriter? _writer;

    public MotDumpSink(string path)
    {
        _path = path;
    }

    public override string Name => "mot-dump";

    public override Task StartAsync(SinkContext context, CancellationToken ct)
    {
        _writer = MotTrackWriter.Create(_path);
        StartClock();
        return Task.CompletedTask;
    }

    protected override bool WriteRows(ComposedFrame frame)
    {
        PanopticFrame panoptic = frame.Panoptic;
        int number = checked((int)panoptic.Sequence + 1);
        bool any = false;
        foreach (ref readonly PanopticSegment s in panoptic.Segments)
        {
            if (s.IsThing && s.TrackId > 0)
            {
                _writer!.WriteTrack(number, s.TrackId, s.BboxX, s.BboxY, s.BboxWidth, s.BboxHeight, s.Score);
                any = true;
            }
        }
        return any;
    }

    protected override void FlushRows() => _writer?.Flush();

    public override ValueTask DisposeAsync()
    {
        _writer?.Dispose();
        _writer = null;
        return base.DisposeAsync();
    }
}
