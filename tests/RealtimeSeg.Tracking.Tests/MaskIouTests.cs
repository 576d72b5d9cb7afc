using RealtimeSeg.Core;
using RealtimeSeg.TestSupport;
using static RealtimeSeg.Tracking.Tests.Scene;

namespace RealtimeSeg.Tracking.Tests;

/// <summary><see cref="TrackerOptions.MaskIouWeight"/>: mask IoU as a cue of the first association, and <see cref="TrackMasks"/> under it.</summary>
public sealed class MaskIouTests
{
    private const float Cell = 10f;

    /// <summary>The track's box, 100 × 200 px (a 10 × 20 grid of 10-px cells).</summary>
    private static readonly BoundingBox Tracked = new(100f, 100f, 200f, 300f);

    /// <summary>The same box with only its top-left 2 × 2 cells set: box IoU 1 with <see cref="Tracked"/>, mask IoU 0.02.</summary>
    private static readonly MaskedDetection Corner = new(Tracked, (i, j) => i < 2 && j < 2);

    /// <summary>The box 30 px to the right, filled: box and mask IoU 0.54 with <see cref="Tracked"/>.</summary>
    private static readonly MaskedDetection Shifted = new(new BoundingBox(130f, 100f, 230f, 300f), (_, _) => true);

    private static readonly MaskedDetection Full = new(Tracked, (_, _) => true);

    [Theory]
    [InlineData(0f, 0)]
    [InlineData(0.75f, 1)]
    public void Update_BoxesDisagreeWithMasks_TheMaskWeightDecides(float maskIouWeight, int expectedWinner)
    {
        // A filled track; then two detections: its own box with a mask that barely overlaps it, and a box 30 px along
        // whose mask is the track's. By box (score 0.9): 0.90 against 0.48. With α = 0.75: 0.24 against 0.48.
        var tracker = new ByteTracker(new TrackerOptions { MaskIouWeight = maskIouWeight });
        Step(tracker, 0, Full);
        Step(tracker, 1, Full);

        TrackInfo[] r = Step(tracker, 2, Corner, Shifted);

        Assert.Equal(1, r[expectedWinner].TrackId);
        Assert.Equal(0, r[1 - expectedWinner].TrackId);
    }

    [Fact]
    public void Update_MasksDisjointFromTheTrack_StillMatchWhatTheBoxGatePasses()
    {
        // The box gate decides which pairs may match, the mask only which of them do: even at α = 1, two detections 30 px
        // to either side whose masks both miss the track's (mask IoU 0) leave the track one of them.
        var tracker = new ByteTracker(new TrackerOptions { MaskIouWeight = 1f, RecoveryIouThreshold = null }); // recovery would re-find it by box alone
        Step(tracker, 0, Full);
        Step(tracker, 1, Full);

        TrackInfo[] r = Step(tracker, 2,
            new MaskedDetection(Shifted.Box, (i, j) => i >= 8 && j >= 18),
            new MaskedDetection(new BoundingBox(70f, 100f, 170f, 300f), (i, j) => i < 2 && j >= 18));

        Assert.Contains(1, r.Select(t => t.TrackId));
    }

    [Fact]
    public void Update_WithoutMasks_TheWeightChangesNothing()
    {
        // The same frames through the overload without masks: the box decides, as with the weight at 0.
        var tracker = new ByteTracker(new TrackerOptions { MaskIouWeight = 0.75f });
        var boxesOnly = new TrackInfo[2];
        tracker.Update([Full.Detection(0)], 0, boxesOnly);
        tracker.Update([Full.Detection(0)], 1, boxesOnly);

        tracker.Update([Corner.Detection(0), Shifted.Detection(1)], 2, boxesOnly);

        Assert.Equal(1, boxesOnly[0].TrackId);
    }

    [Fact]
    public void Update_EmptyDetectionMask_LeavesTheBoxToDecide()
    {
        // A detection whose soft mask reaches the threshold nowhere (a small object's) is not a mask of nothing:
        // its own box, empty mask, still beats the shifted box.
        var tracker = new ByteTracker(new TrackerOptions { MaskIouWeight = 0.75f });
        Step(tracker, 0, Full);
        Step(tracker, 1, Full);

        TrackInfo[] r = Step(tracker, 2, new MaskedDetection(Tracked, (_, _) => false), Shifted);

        Assert.Equal(1, r[0].TrackId);
    }

    [Fact]
    public void Update_TrackMovedByCompaction_KeepsItsOwnMask()
    {
        // Track 1 (a corner mask, far away) is dropped on its first miss, so track 2 moves into its slot. Were the mask
        // left behind, track 2 would carry the corner mask and take the corner detection.
        var tracker = new ByteTracker(new TrackerOptions { MaskIouWeight = 0.75f, TrackBufferSeconds = 0 });
        var far = new MaskedDetection(new BoundingBox(700f, 400f, 800f, 600f), (i, j) => i < 2 && j < 2);
        Step(tracker, 0, far, Full);
        Step(tracker, 1, far, Full);
        Step(tracker, 2, Full);
        Assert.Equal(0, tracker.LostTrackCount);

        TrackInfo[] r = Step(tracker, 3, Corner, Shifted);

        Assert.Equal(2, r[1].TrackId);
    }

    [Fact]
    public void Update_WithMasks_AllocatesNothing()
    {
        var tracker = new ByteTracker(new TrackerOptions { MaskIouWeight = 0.5f });
        DetectionSet[] frames = MaskedScene(frames: 120, objects: 50);
        var result = new TrackInfo[64];
        for (int f = 0; f < 20; f++)
        {
            tracker.Update(frames[f], f, result);
        }

        // Five windows of 20 frames each (frames 20–119), the fewest bytes counted (AllocationProbe: the runtime's one-off
        // recompilations are not the tracker's).
        int next = 20;
        long allocated = AllocationProbe.MinAllocatedBytes(() =>
        {
            for (int end = next + 20; next < end; next++)
            {
                tracker.Update(frames[next], next, result);
            }
        });

        Assert.Equal(0L, allocated);
        Assert.NotEmpty(tracker.ActiveTracks.ToArray());
    }

    [Theory]
    [InlineData(0f)]     // the same mask where it was
    [InlineData(35f)]    // moved with its box
    public void Iou_SameMaskInTheBoxItMovedTo_IsOne(float shift)
    {
        var masks = new TrackMasks(1, 0.5f);
        DetectionSet set = Build(Full);
        masks.Store(0, Tracked, set.Masks[0], set.MaskCells(0));
        var moved = new MaskedDetection(new BoundingBox(Tracked.X1 + shift, Tracked.Y1, Tracked.X2 + shift, Tracked.Y2), (_, _) => true);
        DetectionSet next = Build(moved);

        float iou = masks.Iou(0, moved.Box, next.Masks[0], next.MaskCells(0), masks.DetectionArea(next.Masks[0], next.MaskCells(0)));

        Assert.Equal(1f, iou, 3);
    }

    [Fact]
    public void Iou_SameShapeInABoxTwiceTheSize_IsOne()
    {
        // An object coming closer: the left half of its box set, seen in a box twice as large, read through 10-px cells
        // (so twice as many of them): the stored mask scales with the predicted box.
        var masks = new TrackMasks(1, 0.5f);
        DetectionSet near = Build(new MaskedDetection(Tracked, (i, _) => i < 5));
        masks.Store(0, Tracked, near.Masks[0], near.MaskCells(0));
        var doubled = new BoundingBox(100f, 100f, 300f, 500f);
        DetectionSet nearer = Build(new MaskedDetection(doubled, (i, _) => i < 10));

        float iou = masks.Iou(0, doubled, nearer.Masks[0], nearer.MaskCells(0), masks.DetectionArea(nearer.Masks[0], nearer.MaskCells(0)));

        Assert.Equal(1f, iou, 3);
    }

    [Theory]
    [InlineData(true, 0.5f)]   // left half against the whole box
    [InlineData(false, 0f)]    // left half against the right half
    public void Iou_HalvesOfTheBox_IsTheirOverlap(bool otherFull, float expected)
    {
        var masks = new TrackMasks(1, 0.5f);
        DetectionSet left = Build(new MaskedDetection(Tracked, (i, _) => i < 5));
        masks.Store(0, Tracked, left.Masks[0], left.MaskCells(0));
        DetectionSet other = Build(new MaskedDetection(Tracked, (i, _) => otherFull || i >= 5));

        float iou = masks.Iou(0, Tracked, other.Masks[0], other.MaskCells(0), masks.DetectionArea(other.Masks[0], other.MaskCells(0)));

        Assert.Equal(expected, iou, 3);
    }

    [Fact]
    public void Store_GridFinerThanTheSlot_IsSubsampledAndStillMatchesItself()
    {
        // 2-px cells: a 50 × 100 grid, stored as 25 × 34 (every second column, every third row); the left 40 % set.
        var masks = new TrackMasks(1, 0.5f);
        var fine = new DetectionSet(1, 50 * 100);
        int index = fine.TryAllocateMask(50, 100, Tracked.X1, Tracked.Y1, 2f, 2f, out Span<float> cells);
        for (int k = 0; k < cells.Length; k++)
        {
            cells[k] = k % 50 < 20 ? 1f : 0f;
        }
        masks.Store(0, Tracked, fine.Masks[index], fine.MaskCells(index));

        float iou = masks.Iou(0, Tracked, fine.Masks[index], fine.MaskCells(index), masks.DetectionArea(fine.Masks[index], fine.MaskCells(index)));

        Assert.InRange(iou, 0.95f, 1f);
    }

    [Theory]
    [InlineData(1.5f, 0.5f, "MaskIouWeight")]
    [InlineData(-0.1f, 0.5f, "MaskIouWeight")]
    [InlineData(0.5f, 0f, "MaskThreshold")]
    [InlineData(0.5f, float.NaN, "MaskThreshold")]
    public void Validate_MaskOptionOutOfRange_NamesIt(float weight, float threshold, string name)
    {
        var options = new TrackerOptions { MaskIouWeight = weight, MaskThreshold = threshold };

        var e = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Equal(name, e.ParamName);
    }

    private static TrackInfo[] Step(ByteTracker tracker, long frame, params MaskedDetection[] detections)
    {
        var result = new TrackInfo[detections.Length];
        tracker.Update(Build(detections), frame, result);
        return result;
    }

    private static DetectionSet Build(params MaskedDetection[] detections)
    {
        var set = new DetectionSet(detections.Length, 4096 * detections.Length);
        foreach (MaskedDetection d in detections)
        {
            Assert.True(set.TryAdd(d.Detection(d.WriteMask(set))));
        }
        return set;
    }

    /// <summary>50 objects on fixed paths with filled masks of 10-px cells; every 7th sighting missed.</summary>
    private static DetectionSet[] MaskedScene(int frames, int objects)
    {
        var scene = new DetectionSet[frames];
        for (int f = 0; f < frames; f++)
        {
            var set = new DetectionSet(objects, 4096 * objects);
            for (int o = 0; o < objects; o++)
            {
                if ((f + o) % 7 == 0)
                {
                    continue;
                }
                float x = 20f + (o % 10 * 120f) + (f * (1 + (o % 3))), y = 20f + (o / 10 * 130f);
                var d = new MaskedDetection(new BoundingBox(x, y, x + 60f + (o % 4 * 10f), y + 100f), (i, j) => (i + j) % 5 != 0, o % 3);
                set.TryAdd(d.Detection(d.WriteMask(set)));
            }
            scene[f] = set;
        }
        return scene;
    }

    /// <summary>A box with a mask of 10-px cells over it: cell (i, j) is 1 where <paramref name="Inside"/> says so, else 0.</summary>
    private sealed record MaskedDetection(BoundingBox Box, Func<int, int, bool> Inside, int ClassId = Car)
    {
        public Detection Detection(int maskIndex) => new(Box, ClassId, 0.9f, maskIndex);

        public int WriteMask(DetectionSet set)
        {
            int w = (int)MathF.Ceiling(Box.Width / Cell), h = (int)MathF.Ceiling(Box.Height / Cell);
            int index = set.TryAllocateMask(w, h, Box.X1, Box.Y1, Cell, Cell, out Span<float> cells);
            for (int j = 0; j < h; j++)
            {
                for (int i = 0; i < w; i++)
                {
                    cells[(j * w) + i] = Inside(i, j) ? 1f : 0f;
                }
            }
            return index;
        }
    }
}
