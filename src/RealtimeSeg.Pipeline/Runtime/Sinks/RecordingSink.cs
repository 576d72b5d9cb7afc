using RealtimeSeg.Core;
using RealtimeSeg.Core.Sinks;
using RealtimeSeg.Pipeline.Configuration;
using RealtimeSeg.Pipeline.Recorder;

namespace RealtimeSeg.Pipeline.Runtime.Sinks;

/// <summary>
/// <c>--record FILE.mcap</c>: the run into an MCAP recording (<see cref="RecordingWriter"/>, docs/recording.md), in
/// process — the same bytes the socket carries, no socket in between. Disk writes and JPEG encoding happen on this
/// sink's own thread behind its own queue, so a slow disk costs recorded frames (counted), never the pipeline's. When
/// frames stop coming, the open chunk is still closed on time (<see cref="IdleInterval"/>), so <c>kill -9</c> loses at
/// most about a second.
/// </summary>
internal sealed class RecordingSink : ThreadedFrameSink
{
    private readonly string _path;
    private readonly TimeSpan _chunkDuration;
    private readonly ImageOptions _images;
    private RecordingWriter? _writer;

    public RecordingSink(string path, TimeSpan chunkDuration, ImageOptions images)
    {
        _path = path;
        _chunkDuration = chunkDuration;
        _images = images;
    }

    public override string Name => "recorder";

    /// <summary>Deep enough to ride out a disk pause of a second at 30 frames/s.</summary>
    public override int QueueCapacity => 32;

    /// <summary>A quarter of the chunk duration: an idle chunk closes at most a quarter late.</summary>
    protected override TimeSpan IdleInterval => _chunkDuration / 4;

    public override Task StartAsync(SinkContext context, CancellationToken ct)
    {
        try
        {
            _writer = new RecordingWriter(_path, RecordingWriter.DefaultOptions with { ChunkDuration = _chunkDuration });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw SourceUnavailableException.Output($"the recording '{_path}'", e.Message, e);
        }
        long now = MonotonicClock.UtcNowNs();
        foreach (SinkStream stream in context.Streams)
        {
            _writer.AddStream(stream.Name, context.Categories, now);
        }
        return Task.CompletedTask;
    }

    protected override void Write(ComposedFrame frame)
    {
        PanopticFrame panoptic = frame.Panoptic;
        if (frame.JpegWidth > 0)
        {
            _writer!.WriteImage(panoptic.StreamName, panoptic.Sequence, panoptic.CaptureUtcNs, frame.Jpeg.Span);
        }
        // Boxes in the camera image's pixels (the JPEG is scaled to at most images.max_width).
        (int w, int h) = _images.Enabled ? _images.ScaledSize(panoptic.ImageWidth, panoptic.ImageHeight) : (panoptic.ImageWidth, panoptic.ImageHeight);
        _writer!.WriteFrame(panoptic, frame.Message.Span, w, h);
        _writer.FlushIfDue();
    }

    protected override void OnEndOfStream(ComposedFrame end)
        => _writer!.WriteEnd(end.Panoptic.StreamName, end.Message.Span, MonotonicClock.UtcNowNs());

    protected override void OnIdle() => _writer?.FlushIfDue();

    protected override void Complete() => _writer?.Close();

    public override ValueTask DisposeAsync()
    {
        // Also after an abort: what was written is closed cleanly.
        _writer?.Dispose();
        _writer = null;
        return base.DisposeAsync();
    }
}
