using RealtimeSeg.Core;
using RealtimeSeg.Synthetic;
using static RealtimeSeg.Synthetic.Tests.SyntheticRendering;

namespace RealtimeSeg.Synthetic.Tests;

public sealed class SyntheticGroundTruthTests
{
    [Fact]
    public void CopyTo_PanopticFrame_CarriesTheMapAndEverySegmentWithObjectIdsAsTrackIds()
    {
        using var scene = new SyntheticDriveScene(Small(seed: 4, density: 1));
        SyntheticGroundTruth truth = scene.CreateGroundTruth();
        scene.RenderGroundTruth(21, truth);
        var frame = new PanopticFrame();

        truth.CopyTo(frame);

        Assert.Equal(21, frame.Sequence);
        Assert.Equal((truth.Width, truth.Height), (frame.MapWidth, frame.MapHeight));
        Assert.Equal((truth.Width, truth.Height), (frame.ImageWidth, frame.ImageHeight));
        Assert.Equal(SyntheticCategories.Table.Version, frame.CategoryTableVersion);
        Assert.True(truth.Map.SequenceEqual(frame.Map));
        Assert.Equal(truth.Segments.Length, frame.SegmentCount);
        for (int i = 0; i < frame.SegmentCount; i++)
        {
            SyntheticSegment s = truth.Segments[i];
            PanopticSegment p = frame.Segments[i];
            Assert.Equal((s.Id, s.CategoryId, s.IsThing, s.ObjectId, s.Area), (p.Id, p.CategoryId, p.IsThing, p.TrackId, p.Area));
            Assert.Equal((s.X, s.Y, s.Width, s.Height), ((int)p.BboxX, (int)p.BboxY, (int)p.BboxWidth, (int)p.BboxHeight));
            Assert.Equal((s.CentroidX, s.CentroidY), (p.CentroidX, p.CentroidY));
            Assert.Equal(1f, p.Score);
        }
    }

    [Fact]
    public void CopyFrom_AnotherFrame_KeepsItWhileTheSourceMovesOn()
    {
        using var scene = new SyntheticDriveScene(Small(seed: 4));
        SyntheticGroundTruth live = scene.CreateGroundTruth();
        SyntheticGroundTruth kept = scene.CreateGroundTruth();
        scene.RenderGroundTruth(10, live);
        (ushort[] map, SyntheticSegment[] segments) = Snapshot(live);

        kept.CopyFrom(live);
        scene.RenderGroundTruth(80, live);

        Assert.Equal(10, kept.FrameIndex);
        Assert.Equal(map, kept.Map.ToArray());
        Assert.Equal(segments, kept.Segments.ToArray());
        Assert.NotEqual(map, live.Map.ToArray());
        Assert.Throws<ArgumentException>(() => new SyntheticGroundTruth(8, 8).CopyFrom(live));
    }

    [Fact]
    public void TryGetSegmentAndTryGetObject_FindWhatIsListedAndNothingElse()
    {
        using var scene = new SyntheticDriveScene(Small(seed: 4, density: 1));
        SyntheticGroundTruth truth = scene.CreateGroundTruth();
        scene.RenderGroundTruth(5, truth);
        SyntheticSegment thing = truth.Segments[^1];

        Assert.True(thing.IsThing);
        Assert.True(truth.TryGetSegment(thing.Id, out SyntheticSegment byId));
        Assert.Equal(thing, byId);
        Assert.True(truth.TryGetObject(thing.ObjectId, out SyntheticSegment byObject));
        Assert.Equal(thing, byObject);
        Assert.True(truth.TryGetSegment(SyntheticCategories.Sky, out SyntheticSegment sky));
        Assert.Equal(0, sky.ObjectId);
        Assert.False(truth.TryGetSegment(0, out _));
        Assert.False(truth.TryGetSegment(1000, out _));
        Assert.False(truth.TryGetObject(0, out _));
        Assert.False(truth.TryGetObject(int.MaxValue, out _));
    }

    [Fact]
    public void NewTruth_BeforeAnyRender_IsEmptyAndMarkedUnrendered()
    {
        var truth = new SyntheticGroundTruth(64, 32);

        Assert.Equal(-1, truth.FrameIndex);
        Assert.Equal(0, truth.Segments.Length);
        Assert.Equal(64 * 32, truth.Map.Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SyntheticGroundTruth(0, 32));
    }
}
