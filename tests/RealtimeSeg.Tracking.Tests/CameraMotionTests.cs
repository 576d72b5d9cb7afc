using RealtimeSeg.Core;
using static RealtimeSeg.Tracking.Tests.Scene;

namespace RealtimeSeg.Tracking.Tests;

/// <summary><see cref="ByteTracker.ApplyCameraMotion"/>: tracks follow the camera's motion given from outside (BoT-SORT's GMC).</summary>
public sealed class CameraMotionTests
{
    [Theory]
    [InlineData(true, 1)]
    [InlineData(false, 2)]
    public void Update_CameraJumpsByMoreThanABox_TrackStaysMatchedOnlyWithCompensation(bool compensate, int expectedId)
    {
        // A parked car (40 px wide) seen for 10 frames; then the camera pans 60 px in one frame (a jolt, a turn): the car
        // appears 60 px further left, no overlap with its prediction. Told the camera's shift, the tracker keeps its id.
        var tracker = new ByteTracker(new TrackerOptions());
        for (int f = 0; f < 10; f++)
        {
            Assert.Equal(1, Step(tracker, f, Det(400f, 300f))[0].TrackId);
        }
        if (compensate)
        {
            tracker.ApplyCameraMotion(CameraMotion.Translation(-60f, 0f));
        }

        Step(tracker, 10, Det(340f, 300f));
        TrackInfo r = Step(tracker, 11, Det(340f, 300f))[0];

        Assert.Equal(expectedId, r.TrackId);
    }

    [Fact]
    public void Update_SteadyPan_TrackVelocityIsTheObjectsOwnNotTheCameras()
    {
        // A car driving right at 5 px/frame while the camera pans so the whole image shifts 20 px/frame left: in the image
        // it moves −15 px/frame. With the pan given to the tracker, the filter learns only the car's own +5 px/frame.
        var tracker = new ByteTracker(new TrackerOptions());
        float x = 600f;
        TrackInfo last = default;
        for (int f = 0; f < 30; f++)
        {
            if (f > 0)
            {
                tracker.ApplyCameraMotion(CameraMotion.Translation(-20f, 0f));
                x += -20f + 5f;
            }
            last = Step(tracker, f, Det(x, 300f))[0];
            Assert.Equal(1, last.TrackId);
        }

        Assert.InRange(last.VelocityX, 4f, 6f);
    }

    [Fact]
    public void ApplyCameraMotion_ZoomAboutTheCentre_ScalesPredictedBoxes()
    {
        var tracker = new ByteTracker(new TrackerOptions());
        for (int f = 0; f < 5; f++)
        {
            Step(tracker, f, Det(300f, 200f, w: 40f, h: 80f));
        }
        // Scale 1.5 about (100, 100): the centre moves to (400, 250), the box grows to 60 × 120.
        tracker.ApplyCameraMotion(new CameraMotion(1.5f, 0f, -50f, 0f, 1.5f, -50f));

        TrackInfo r = Step(tracker, 5, Det(400f, 250f, w: 60f, h: 120f))[0];

        Assert.Equal(1, r.TrackId);
        TrackSnapshot s = tracker.ActiveTracks[0];
        Assert.InRange(s.Box.CenterX, 399f, 401f);
        Assert.InRange(s.Box.Width, 59f, 61f);
        Assert.InRange(s.Box.Height, 119f, 121f);
    }

    [Fact]
    public void ApplyCameraMotion_NonFiniteOrDegenerate_ChangesNothing()
    {
        var tracker = new ByteTracker(new TrackerOptions());
        for (int f = 0; f < 5; f++)
        {
            Step(tracker, f, Det(300f, 200f));
        }
        tracker.ApplyCameraMotion(new CameraMotion(float.NaN, 0f, 0f, 0f, 1f, 0f));
        tracker.ApplyCameraMotion(new CameraMotion(0f, 0f, 500f, 0f, 0f, 500f));

        Assert.Equal(1, Step(tracker, 5, Det(300f, 200f))[0].TrackId);
    }

    [Fact]
    public void Update_WithCameraMotionEveryFrame_AllocatesNothing()
    {
        var tracker = new ByteTracker(new TrackerOptions { ConfidenceScaledNoise = true, ObservationCentricReupdate = true, MomentumWeight = 0.05f });

        long allocated = ByteTrackerTests.AllocatedAfterWarmUp(tracker, seed: 7, new CameraMotion(1.001f, 0.002f, 1.5f, -0.002f, 1.001f, -0.5f));

        Assert.Equal(0L, allocated);
        Assert.NotEmpty(tracker.ActiveTracks.ToArray());
    }
}
