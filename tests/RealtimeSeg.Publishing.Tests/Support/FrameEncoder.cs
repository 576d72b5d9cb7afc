using System.Buffers;
using RealtimeSeg.Core;
using RealtimeSeg.Core.Sinks;
using RealtimeSeg.Protocol;

namespace RealtimeSeg.Publishing.Tests.Support;

/// <summary>
/// What the pipeline's encode stage does, for tests that feed a publisher directly: a panoptic frame copied into a pooled
/// composed frame and encoded once — with its image message when given a JPEG — or an end of stream.
/// </summary>
public sealed class FrameEncoder
{
    private readonly PanopticFrameSerializer _serializer;

    public FrameEncoder(int capacity = 16, MapEncoding encoding = MapEncoding.Rle16)
    {
        Pool = new ComposedFramePool(capacity, diagnostics: true);
        _serializer = new PanopticFrameSerializer(encoding);
    }

    /// <summary>A diagnostic pool: frames used after their release throw, and <see cref="ComposedFramePool.AssertNoLeaks"/> names any frame never released.</summary>
    public ComposedFramePool Pool { get; }

    /// <summary>
    /// A composed frame (one reference, the caller's) holding a copy of <paramref name="frame"/>, stamped published and
    /// encoded; with a non-empty <paramref name="jpeg"/> it also carries the image message the publisher sends before the frame.
    /// </summary>
    public ComposedFrame Encode(PanopticFrame frame, ReadOnlySpan<byte> jpeg = default, int jpegWidth = 0, int jpegHeight = 0)
    {
        ComposedFrame composed = Rent(frame);
        composed.Panoptic.Stamp(PipelineStage.Published, MonotonicClock.NowNs());
        _serializer.Write(composed.MessageWriter, composed.Panoptic);
        if (!jpeg.IsEmpty)
        {
            PanopticFrame p = composed.Panoptic;
            var header = new ImageHeader(p.StreamName, p.Run, p.Sequence, p.CaptureUtcNs, p.CaptureMonotonicNs, p.MediaNs,
                jpegWidth, jpegHeight, p.ImageWidth, p.ImageHeight);
            ImageMessageSerializer.Write(composed.ImageMessageWriter, header, jpeg);
        }
        return composed;
    }

    /// <summary>A composed frame holding a copy of <paramref name="frame"/> whose wire message is <paramref name="message"/> as given (e.g. what an older or newer publisher would send).</summary>
    public ComposedFrame EncodeAs(PanopticFrame frame, ReadOnlySpan<byte> message)
    {
        ComposedFrame composed = Rent(frame);
        composed.MessageWriter.Write(message);
        return composed;
    }

    /// <summary>The end of stream <paramref name="streamIndex"/>, as the pipeline's compose and encode stages make it.</summary>
    public ComposedFrame EncodeEnd(int streamIndex, StreamEndMessage end)
    {
        ComposedFrame composed = RentEmpty();
        composed.MarkEndOfStream(end.Reason);
        PanopticFrame p = composed.Panoptic;
        p.Reset(0, 0);
        p.StreamIndex = streamIndex;
        p.StreamName = end.Stream;
        p.Run = end.Run;
        p.Sequence = end.LastSequence;
        StreamEndSerializer.Write(composed.MessageWriter, end);
        return composed;
    }

    private ComposedFrame Rent(PanopticFrame frame)
    {
        ComposedFrame composed = RentEmpty();
        composed.Panoptic.CopyFrom(frame);
        return composed;
    }

    private ComposedFrame RentEmpty()
    {
        if (!Pool.TryRent(out ComposedFrame composed))
        {
            throw new InvalidOperationException($"all {Pool.Capacity} composed frames are out: the publisher does not release them");
        }
        return composed;
    }
}
