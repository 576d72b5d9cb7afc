using RealtimeSeg.Core;
using RealtimeSeg.Core.Sinks;
using RealtimeSeg.Protocol;

namespace RealtimeSeg.Publishing.Tests.Support;

/// <summary>What the pipeline's encode stage does, for tests that feed a publisher directly: a panoptic frame copied into a pooled composed frame and encoded once.</summary>
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

    /// <summary>A composed frame (one reference, the caller's) holding a copy of <paramref name="frame"/>, stamped published and encoded.</summary>
    public ComposedFrame Encode(PanopticFrame frame)
    {
        if (!Pool.TryRent(out ComposedFrame composed))
        {
            throw new InvalidOperationException($"all {Pool.Capacity} composed frames are out: the publisher does not release them");
        }
        composed.Panoptic.CopyFrom(frame);
        composed.Panoptic.Stamp(PipelineStage.Published, MonotonicClock.NowNs());
        _serializer.Write(composed.MessageWriter, composed.Panoptic);
        return composed;
    }
}
