using RealtimeSeg.Core;

namespace RealtimeSeg.Core.Tests;

public sealed class PanopticFrameTests
{
    [Fact]
    public void Reset_SmallerMap_ReusesTheBuffer()
    {
        var frame = new PanopticFrame(100);
        frame.Reset(10, 10);
        frame.Map.Fill(7);
        frame.Reset(5, 4);
        Assert.Equal(20, frame.Map.Length);
    }

    [Fact]
    public void AddSegment_BeyondInitialCapacity_Grows()
    {
        var frame = new PanopticFrame(0, segmentCapacity: 2);
        frame.Reset(1, 1);
        for (int i = 1; i <= 5; i++)
        {
            frame.AddSegment().Id = i;
        }
        Assert.Equal([1, 2, 3, 4, 5], frame.Segments.ToArray().Select(s => s.Id));
    }

    [Fact]
    public void Reset_ClearsSegmentsAndStamps()
    {
        var frame = new PanopticFrame();
        frame.Reset(2, 2);
        frame.AddSegment().Id = 1;
        frame.Stamp(PipelineStage.Inferred, 123);
        frame.Reset(2, 2);
        Assert.Equal(0, frame.SegmentCount);
        Assert.All(frame.StageNs, v => Assert.Equal(0, v));
    }

    [Fact]
    public void CopyFrom_CopiesHeaderMapAndSegments()
    {
        var a = new PanopticFrame();
        a.Reset(3, 1);
        a.StreamName = "front";
        a.Sequence = 42;
        a.CaptureUtcNs = 99;
        a.Map[1] = 1;
        ref PanopticSegment s = ref a.AddSegment();
        s.Id = 1;
        s.TrackId = 5;
        a.Stamp(PipelineStage.Published, 7);
        var b = new PanopticFrame();
        b.CopyFrom(a);
        Assert.Equal("front", b.StreamName);
        Assert.Equal(42, b.Sequence);
        Assert.Equal(new ushort[] { 0, 1, 0 }, b.Map.ToArray());
        Assert.Equal(5, b.Segments[0].TrackId);
        Assert.Equal(7, b.StageNs[(int)PipelineStage.Published]);
    }
}
