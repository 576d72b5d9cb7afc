using RealtimeSeg.Core;

namespace RealtimeSeg.Protocol.Tests.Support;

/// <summary>Field-by-field equality of panoptic frames, naming the first difference.</summary>
public static class FrameAssert
{
    public static void Equal(PanopticFrame expected, PanopticFrame actual)
    {
        Assert.Equal(expected.StreamName, actual.StreamName);
        Assert.Equal(expected.Sequence, actual.Sequence);
        Assert.Equal(expected.CaptureUtcNs, actual.CaptureUtcNs);
        Assert.Equal(expected.CaptureMonotonicNs, actual.CaptureMonotonicNs);
        Assert.Equal(expected.Run, actual.Run);
        Assert.Equal(expected.MediaNs, actual.MediaNs);
        Assert.Equal(expected.ImageWidth, actual.ImageWidth);
        Assert.Equal(expected.ImageHeight, actual.ImageHeight);
        Assert.Equal(expected.MapWidth, actual.MapWidth);
        Assert.Equal(expected.MapHeight, actual.MapHeight);
        Assert.Equal(expected.CategoryTableVersion, actual.CategoryTableVersion);
        Assert.Equal(expected.StageNs, actual.StageNs);
        MapEqual(expected.Map, actual.Map);
        Assert.Equal(expected.SegmentCount, actual.SegmentCount);
        for (int i = 0; i < expected.SegmentCount; i++)
        {
            Assert.Equal(expected.Segments[i], actual.Segments[i]);
        }
    }

    public static void MapEqual(ReadOnlySpan<ushort> expected, ReadOnlySpan<ushort> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (expected[i] != actual[i])
            {
                Assert.Fail($"map differs first at pixel {i}: expected {expected[i]}, got {actual[i]}");
            }
        }
    }
}
