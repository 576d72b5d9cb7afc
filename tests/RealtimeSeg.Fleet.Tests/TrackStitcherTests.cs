using RealtimeSeg.Fleet;
using RealtimeSeg.Formats.Mot;

namespace RealtimeSeg.Fleet.Tests;

public sealed class TrackStitcherTests
{
    // Two segments of frames 0…9 and 10…19; the second also processed 6…9 (MOT frames 7…10).
    private static readonly FleetJob First = Job(0, 0, 0, 10);
    private static readonly FleetJob Second = Job(1, 6, 10, 20);

    private static FleetJob Job(int segment, long first, long start, long end) => new()
    {
        JobId = $"j{segment}", Source = "s", SourceKey = "k", Segment = segment, Segments = 2,
        FirstFrame = first, StartFrame = start, EndFrame = end, Fps = 10, ConfigHash = "h",
    };

    /// <summary>Rows of one track moving right 2 px a frame, MOT frames <paramref name="from"/>…<paramref name="to"/>.</summary>
    private static IEnumerable<MotRecord> Track(int id, int from, int to, double y = 50, double dx = 0)
        => Enumerable.Range(from, to - from + 1).Select(f => MotRecord.Track(f, id, 10 + (2 * f) + dx, y, 40, 30));

    [Fact]
    public void Stitch_TrackCrossingTheBoundary_KeepsOneIdAndEachFrameOnce()
    {
        var first = new StitchedSegment(First, [.. Track(3, 1, 10)]);
        var second = new StitchedSegment(Second, [.. Track(1, 7, 20)]); // the second run called it 1
        var (rows, _, joins) = TrackStitcher.Stitch([first, second]);
        Assert.Equal(Enumerable.Range(1, 20), rows.Select(r => r.Frame));
        Assert.All(rows, r => Assert.Equal(1, r.Id));
        SegmentJoin join = Assert.Single(joins);
        Assert.Equal((1, 0, 4L), (join.Joined, join.New, join.SharedFrames));
        Assert.Equal(1.0, join.MeanIou, 6);
    }

    [Fact]
    public void Stitch_TrackStartingAfterTheOverlap_GetsANewId()
    {
        var first = new StitchedSegment(First, [.. Track(1, 1, 10)]);
        var second = new StitchedSegment(Second, [.. Track(1, 7, 20), .. Track(2, 15, 20, y: 150)]);
        var (rows, _, joins) = TrackStitcher.Stitch([first, second]);
        Assert.Equal([1, 2], rows.Select(r => r.Id).Distinct().Order());
        Assert.Equal(15, rows.Where(r => r.Id == 2).Min(r => r.Frame));
        Assert.Equal(1, joins[0].New);
    }

    [Fact]
    public void Stitch_BoxesThatDoNotOverlapInTheSharedFrames_AreNotJoined()
    {
        var first = new StitchedSegment(First, [.. Track(1, 1, 10)]);
        var second = new StitchedSegment(Second, [.. Track(1, 7, 20, dx: 30)]); // 30 px off: IoU 0.14
        var (rows, _, joins) = TrackStitcher.Stitch([first, second]);
        Assert.Equal([1, 2], rows.Select(r => r.Id).Distinct().Order());
        Assert.Equal(0, joins[0].Joined);
    }

    [Fact]
    public void Stitch_TwoCandidates_JoinsTheOneThatAgreesOnMoreFrames()
    {
        // Previous segment: track 1 overlaps the new track in all 4 shared frames, track 2 only in the last one.
        var first = new StitchedSegment(First, [.. Track(1, 1, 10), .. Track(2, 10, 10)]);
        var second = new StitchedSegment(Second, [.. Track(5, 7, 20)]);
        var (rows, maps, _) = TrackStitcher.Stitch([first, second]);
        Assert.Equal(1, maps[1][5]);
        Assert.All(rows.Where(r => r.Frame > 10), r => Assert.Equal(1, r.Id));
    }
}
