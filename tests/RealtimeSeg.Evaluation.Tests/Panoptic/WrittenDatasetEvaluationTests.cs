using RealtimeSeg.Core;
using RealtimeSeg.Evaluation.Panoptic;
using RealtimeSeg.Formats.Panoptic;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Evaluation.Tests.Panoptic;

/// <summary>What the dump writer (<see cref="CocoPanopticWriter"/>) saves scores as it should when evaluated.</summary>
public sealed class WrittenDatasetEvaluationTests : IDisposable
{
    private static readonly CategoryTable Table = new([.. Grid.Categories.Select(c => new Category(c.Id, c.Name, c.IsThing, 0))]);

    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void SaveThenEvaluate_SequenceAgainstItself_PqAndStqAre100()
    {
        string gtJson = WriteSequence("gt", [(5, 7), (6, 7), (5, 8)]);

        PqResult pq = PanopticEvaluator.Evaluate(gtJson, null, gtJson, null);
        StqResult stq = StqEvaluator.Evaluate(gtJson, null, gtJson, null);

        Assert.Equal(new PqSummary(1, 1, 1, 2), pq.Things);
        Assert.Equal(new PqSummary(1, 1, 1, 1), pq.Stuff);
        Assert.Equal((1.0, 1.0, 1.0), (stq.Stq, stq.Aq, stq.Sq));
        Assert.Equal(3, stq.FrameCount);
    }

    [Fact]
    public void SaveThenEvaluate_TrackSwitch_ReachesStqThroughTrackIds()
    {
        // Ground truth: the car is track 7 in both frames although its segment id changes (5, then 6). The
        // prediction keeps segment id 5 but switches track 1 → 2, so only track_id tells the switch.
        string gtJson = WriteSequence("gt", [(5, 7), (6, 7)]);
        string predJson = WriteSequence("pred", [(5, 1), (5, 2)]);

        StqResult stq = StqEvaluator.Evaluate(gtJson, null, predJson, null);

        // Car: |g| = 2 frames × 4 px = 8; each predicted track: TPA 4, IoU 4 / (8 + 4 − 4) = ½ → (4·½ + 4·½) / 8 = ½.
        // The person (track 50 in both) is tracked perfectly: 1. AQ = (½ + 1) / 2 gt tracks = ¾.
        Assert.Equal(0.75, stq.Aq, 1e-12);
        Assert.Equal(1.0, stq.Sq, 1e-12);
        Assert.Equal((2, 3), (stq.GtTrackCount, stq.PredTrackCount));
    }

    private string WriteSequence(string name, (int SegmentId, int Track)[] frames)
    {
        var writer = new CocoPanopticWriter(Path.Combine(_dir.Path, name + ".json"), Table);
        for (int f = 0; f < frames.Length; f++)
        {
            (int id, int track) = frames[f];
            char c = (char)('0' + id);
            PanopticFrame frame = Frame([$"{c}{c}33", $"{c}{c}33", "4433"], (id, 1, track), (3, 10, 0), (4, 2, 50));
            writer.Add(frame, new CocoImage(f + 1, $"{f + 1:D6}.png", 4, 3));
        }
        writer.Save();
        return writer.JsonPath;
    }

    /// <summary>A frame whose map is drawn as text (see <see cref="Grid"/>); its segments are (id, category, track).</summary>
    private static PanopticFrame Frame(string[] rows, params (int Id, int Category, int Track)[] segments)
    {
        IdMap map = Grid.Map(rows);
        var frame = new PanopticFrame();
        frame.Reset(map.Width, map.Height);
        Span<ushort> target = frame.Map;
        for (int i = 0; i < target.Length; i++)
        {
            target[i] = checked((ushort)map.Ids[i]);
        }
        foreach ((int id, int category, int track) in segments)
        {
            ref PanopticSegment s = ref frame.AddSegment();
            (s.Id, s.CategoryId, s.TrackId) = (id, category, track);
            s.IsThing = category is 1 or 2;
        }
        return frame;
    }
}
