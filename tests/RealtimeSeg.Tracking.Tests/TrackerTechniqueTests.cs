using RealtimeSeg.Core;
using static RealtimeSeg.Tracking.Tests.Scene;

namespace RealtimeSeg.Tracking.Tests;

/// <summary>
/// Each technique beyond ByteTrack (docs/tracking.md), switched on alone over <see cref="TrackerOptions.ByteTrack"/>:
/// a scene where it changes the outcome, and the same scene without it.
/// </summary>
public sealed class TrackerTechniqueTests
{
    [Theory]
    [InlineData(true, 1)]
    [InlineData(false, 0)]
    public void Update_LowScoreDetectionOfLostTrack_ContinuesItOnlyWithBoosting(bool boost, int expectedId)
    {
        // ByteTrack's second association takes low-score detections for tracks tracked on the previous frame only;
        // boosting lets one re-find a track lost for a frame.
        var tracker = new ByteTracker(TrackerOptions.ByteTrack() with { BoostIouThreshold = boost ? 0.3f : null });
        for (int f = 0; f < 5; f++)
        {
            Assert.Equal(1, Step(tracker, f, Det(100f + 4f * f, 200f))[0].TrackId);
        }
        Step(tracker, 5);   // missed: the track is lost

        TrackInfo r = Step(tracker, 6, Det(100f + 4f * 6, 200f, score: 0.3f))[0];

        Assert.Equal(expectedId, r.TrackId);
    }

    [Theory]
    [InlineData(false, 1)]
    [InlineData(true, 0)]
    public void Update_LowScoreDetectionBesideAConfidentOne_IsBoostedOnlyWithoutTheShadowRule(bool shadow, int expectedId)
    {
        // Two cars side by side (IoU 0.33); the first is missed for a frame, then only a low-score box is left where it
        // stood, overlapping the second car's confident box by 0.33: what a detector's second box of that car looks
        // like. Boosting would hand it the lost track; with the shadow rule (0.25) it stays a low-score box, which only
        // tracked tracks may take.
        var tracker = new ByteTracker(TrackerOptions.ByteTrack() with { BoostIouThreshold = 0.3f, BoostShadowIouThreshold = shadow ? 0.25f : null });
        for (int f = 0; f < 5; f++)
        {
            TrackInfo[] both = Step(tracker, f, Det(100f, 200f), Det(120f, 200f));
            Assert.Equal([1L, 2L], [both[0].TrackId, both[1].TrackId]);
        }
        Assert.Equal(2, Step(tracker, 5, Det(120f, 200f))[0].TrackId);   // the first car missed: its track is lost

        TrackInfo[] r = Step(tracker, 6, Det(100f, 200f, score: 0.3f), Det(120f, 200f));

        Assert.Equal(expectedId, r[0].TrackId);
        Assert.Equal(2, r[1].TrackId);
    }

    [Fact]
    public void Update_BoostedDetection_NeverStartsATrack()
    {
        var tracker = new ByteTracker(TrackerOptions.ByteTrack() with { BoostIouThreshold = 0.3f });
        Step(tracker, 0, Det(100f, 200f));

        // A low-score detection far from every track is not boosted; two of them in a row start nothing.
        Assert.Equal(0, Step(tracker, 1, Det(100f, 200f), Det(600f, 200f, score: 0.3f))[1].TrackId);
        Assert.Equal(0, Step(tracker, 2, Det(100f, 200f), Det(600f, 200f, score: 0.3f))[1].TrackId);
        Assert.Equal(2L, tracker.NextTrackId);
    }

    [Theory]
    [InlineData(true, 1)]
    [InlineData(false, 0)]
    public void Update_StopDuringOneMissedFrame_RecoveredByLastObservationOnlyWithOcr(bool recovery, int expectedId)
    {
        // 20 px/frame for 8 frames, missed once, then found stopped 5 px past its last box: the prediction (two steps
        // ahead, +40 px on a 40 px box) barely overlaps, the last observation overlaps by IoU 0.78.
        var tracker = new ByteTracker(TrackerOptions.ByteTrack() with { RecoveryIouThreshold = recovery ? 0.5f : null });
        for (int f = 0; f < 8; f++)
        {
            Assert.Equal(1, Step(tracker, f, Det(100f + 20f * f, 200f))[0].TrackId);
        }
        Step(tracker, 8);

        TrackInfo r = Step(tracker, 9, Det(100f + (20f * 7) + 5f, 200f))[0];

        Assert.Equal(expectedId, r.TrackId);
    }

    [Fact]
    public void Update_OcrGap_OnlyRecentlyLostTracksRecovered()
    {
        var options = TrackerOptions.ByteTrack() with { RecoveryIouThreshold = 0.5f, RecoveryMaxGapSeconds = 0.1, TrackBufferSeconds = 2 };
        var tracker = new ByteTracker(options.ForFrameRate(30));   // 3 frames
        for (int f = 0; f < 8; f++)
        {
            Step(tracker, f, Det(100f + 20f * f, 200f));
        }
        for (int f = 8; f < 12; f++)
        {
            Step(tracker, f);
        }

        // Last seen at 7, now 12: 5 frames > 3, so the last observation is not tried; the prediction is far away.
        Assert.Equal(0, Step(tracker, 12, Det(100f + (20f * 7) + 5f, 200f))[0].TrackId);
    }

    [Fact]
    public void Update_FoundAfterGap_ReupdateReplaysTheStraightPathFromTheLastObservation()
    {
        // OC-SORT's ORU: the filter is rewound to the last observation and run over the virtual boxes between it and
        // the new detection. A filter fed exactly those boxes by hand must end in the same state.
        var tracker = new ByteTracker(TrackerOptions.ByteTrack() with { ObservationCentricReupdate = true });
        var reference = default(KalmanBoxFilter);
        BoundingBox last = default;
        for (int f = 0; f < 12; f++)
        {
            last = Det(100f + 10f * f, 200f - 2f * f, w: 200f).Box;
            Step(tracker, f, new Detection(last, Car, 0.9f, -1));
            if (f == 0)
            {
                reference = KalmanBoxFilter.Initiate(last);
            }
            else
            {
                reference.Predict(freezeSize: false);
                reference.Update(last);
            }
        }
        for (int f = 12; f < 16; f++)
        {
            Step(tracker, f);
        }
        BoundingBox found = Det(100f + (10f * 11) + 8f, 200f - 22f + 20f, w: 200f, h: 90f).Box;

        Assert.Equal(1, Step(tracker, 16, new Detection(found, Car, 0.9f, -1))[0].TrackId);

        for (int k = 1; k <= 5; k++)
        {
            float t = k / 5f;
            reference.Predict(freezeSize: false);
            reference.Update(new BoundingBox(last.X1 + ((found.X1 - last.X1) * t), last.Y1 + ((found.Y1 - last.Y1) * t),
                last.X2 + ((found.X2 - last.X2) * t), last.Y2 + ((found.Y2 - last.Y2) * t)));
        }
        TrackSnapshot snap = Assert.Single(tracker.ActiveTracks.ToArray());
        Assert.Equal(reference.Box.CenterX, snap.Box.CenterX, 1e-3f);
        Assert.Equal(reference.Box.CenterY, snap.Box.CenterY, 1e-3f);
        Assert.Equal(reference.Box.Height, snap.Box.Height, 1e-3f);
        Assert.Equal((float)reference.X.Velocity, snap.VelocityX, 1e-4f);
        Assert.Equal((float)reference.Y.Velocity, snap.VelocityY, 1e-4f);
    }

    [Fact]
    public void Update_NewObjectWhileTrackIsLost_NeverGetsTheLostId()
    {
        var tracker = new ByteTracker(new TrackerOptions());
        for (int f = 0; f < 5; f++)
        {
            Assert.Equal(1, Step(tracker, f, Det(100f, 200f))[0].TrackId);
        }

        // The first object is gone (kept as lost); a second appears elsewhere: 0 on its first frame, a new id on the next.
        Assert.Equal(0, Step(tracker, 5, Det(500f, 200f))[0].TrackId);
        Assert.Equal(2, Step(tracker, 6, Det(500f, 200f))[0].TrackId);
        Assert.Equal(1, tracker.LostTrackCount);
        Assert.Equal(1, Step(tracker, 7, Det(500f, 200f), Det(100f, 200f))[1].TrackId);
    }

    [Fact]
    public void Update_EveryTechniqueOn_AllocatesNothing()
    {
        var options = new TrackerOptions { ConfidenceScaledNoise = true, ObservationCentricReupdate = true, MomentumWeight = 0.05f };
        var tracker = new ByteTracker(options);

        long allocated = ByteTrackerTests.AllocatedAfterWarmUp(tracker, seed: 5);

        Assert.Equal(0L, allocated);
        Assert.NotEmpty(tracker.ActiveTracks.ToArray());
    }

    [Fact]
    public void KalmanUpdate_ConfidenceScaledNoise_PullsHarderTowardsTheMeasurement()
    {
        var box = BoundingBox.FromCenter(100f, 100f, 40f, 80f);
        var moved = BoundingBox.FromCenter(110f, 100f, 40f, 80f);
        KalmanBoxFilter plain = KalmanBoxFilter.Initiate(box);
        KalmanBoxFilter confident = plain;
        plain.Predict(freezeSize: false);
        confident.Predict(freezeSize: false);

        plain.Update(moved, 1d);
        confident.Update(moved, 0.1d);   // score 0.9 under NSA

        Assert.True(confident.Box.CenterX > plain.Box.CenterX + 1f, $"{confident.Box.CenterX} vs {plain.Box.CenterX}");
        Assert.True(confident.Box.CenterX < 110f);
    }

    [Fact]
    public void KalmanXywh_WidthChangesAlone_FollowsWidthKeepsHeight()
    {
        KalmanBoxFilter f = KalmanBoxFilter.Initiate(BoundingBox.FromCenter(100f, 100f, 40f, 80f), MotionModel.Xywh);
        Assert.Equal(40f, f.Box.Width, 1e-3f);
        for (int k = 0; k < 20; k++)
        {
            f.Predict(freezeSize: false);
            f.Update(BoundingBox.FromCenter(100f, 100f, 80f, 80f));
        }

        Assert.Equal(80f, f.Box.Width, 1f);
        Assert.Equal(80f, f.Box.Height, 1f);
    }
}
