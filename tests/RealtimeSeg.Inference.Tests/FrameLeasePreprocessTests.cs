using RealtimeSeg.Core;
using RealtimeSeg.Frames;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Inference.Tests;

public sealed class FrameLeasePreprocessTests
{
    [AssetFact]
    public void Preprocess_FrameInAPooledSlotWithAlignedStride_SameInputAsFromTheDecoderBuffer()
    {
        using SegmentationModel model = SegmentationModel.Load(new ModelOptions { Path = TestAssets.YoloSeg }, NullPipelineLog.Instance);
        using InferenceSlot fromVideo = model.CreateSlot();
        using InferenceSlot fromLease = model.CreateSlot();
        using VideoFrame frame = VideoFrame.Read(TestAssets.UdacityCars, 5);
        // A row stride wider than the decoder's, so the slot's rows really are laid out differently.
        int stride = FramePool.AlignedStride(frame.Width) + FramePool.Alignment;
        Assert.NotEqual(frame.Stride, stride);
        using var pool = new FramePool(2, stride * frame.Height, diagnostics: true);
        Assert.True(pool.TryRent(out FrameLease lease));
        lease.SetFormat(frame.Width, frame.Height, stride);
        unsafe
        {
            for (int y = 0; y < frame.Height; y++)
            {
                new ReadOnlySpan<byte>((byte*)frame.Pointer + (long)y * frame.Stride, frame.Width * 3)
                    .CopyTo(lease.Pixels.Slice(y * stride, frame.Width * 3));
            }
        }

        model.Preprocess(frame.Pointer, frame.Width, frame.Height, frame.Stride, fromVideo);
        model.Preprocess(lease, fromLease);
        lease.Dispose();

        Assert.True(fromVideo.Input.SequenceEqual(fromLease.Input));
        Assert.Equal(fromVideo.Transform, fromLease.Transform);
        pool.AssertNoLeaks();
    }
}
