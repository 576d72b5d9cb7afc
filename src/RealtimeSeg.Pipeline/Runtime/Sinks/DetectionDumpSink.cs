using System.Globalization;
using RealtimeSeg.Core;
using RealtimeSeg.Core.Sinks;
using RealtimeSeg.Formats.Mot;

namespace RealtimeSeg.Pipeline.Runtime.Sinks;

/// <summary>
/// <c>--dump-detections FILE</c>: every detection each stream's tracker received, per frame in the tracker's input order,
/// as MOTChallenge detection rows <c>frame,-1,x,y,w,h,score,class,-1,-1</c> (frame <c>seq + 1</c>, class the model's
/// class id as the tracker saw it) — what <c>realtimeseg track --dets</c> and <c>tools/tracker-tune</c> replay, so a
/// tracker change can be measured on a model's real detections in a fraction of a second instead of a pipeline run.
/// One stream writes FILE; with several, stream <c>NAME</c> writes <c>FILE</c> with <c>.NAME</c> before its extension
/// (<see cref="PathFor"/>). A sink like <c>--dump-mot</c> (docs/architecture.md): its own thread and drop-oldest queue,
/// never a wait in the stages (in lockstep the fan-out waits for it, so a replay gets every frame).
/// </summary>
/// <remarks>
/// The detections travel in <see cref="ComposedFrame.TrackerInput"/>, copied by the compose stage. A frame the pipeline
/// dropped after tracking (realtime pacing, a full hand-off) is missing from the file although the tracker saw it; the
/// sink's drop counter and the stream's <c>frames_dropped</c> say so. Crash-safe as <see cref="MotDumpSink"/>.
/// </remarks>
internal sealed class DetectionDumpSink : TimedFlushSink
{
    private readonly string _path;
    private MotTrackWriter?[] _writers = [];

    public DetectionDumpSink(string path)
    {
        _path = path;
    }

    public override string Name => "detection-dump";

    public override Task StartAsync(SinkContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        _writers = new MotTrackWriter?[context.Streams.Count];
        for (int i = 0; i < _writers.Length; i++)
        {
            _writers[i] = MotTrackWriter.Create(PathFor(_path, context.Streams[i].Name, _writers.Length));
        }
        StartClock();
        return Task.CompletedTask;
    }

    /// <summary>The file of stream <paramref name="streamName"/>: <paramref name="path"/> itself for a single stream, else <c>DIR/NAME.STREAM.EXT</c>.</summary>
    public static string PathFor(string path, string streamName, int streamCount)
    {
        if (streamCount == 1)
        {
            return path;
        }
        string file = string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileNameWithoutExtension(path)}.{streamName}{Path.GetExtension(path)}");
        return Path.Combine(Path.GetDirectoryName(path) ?? string.Empty, file);
    }

    protected override bool WriteRows(ComposedFrame frame)
    {
        ReadOnlySpan<Detection> detections = frame.TrackerInput;
        MotTrackWriter writer = _writers[frame.StreamIndex]!;
        int number = checked((int)frame.Panoptic.Sequence + 1);
        foreach (ref readonly Detection d in detections)
        {
            writer.WriteDetection(number, d.Box, d.Score, d.ClassId);
        }
        return detections.Length > 0;
    }

    protected override void FlushRows()
    {
        foreach (MotTrackWriter? w in _writers)
        {
            w?.Flush();
        }
    }

    public override ValueTask DisposeAsync()
    {
        for (int i = 0; i < _writers.Length; i++)
        {
            _writers[i]?.Dispose();
            _writers[i] = null;
        }
        return base.DisposeAsync();
    }
}
