using RealtimeSeg.Core;
using static RealtimeSeg.Tracking.Tests.Scene;

namespace RealtimeSeg.Tracking.Tests;

public sealed class ByteTrackerTests
{
    [Fact]
    public void Update_ConstantVelocityFor100Frames_OneIdAndVelocityConverges()
    {
        var tracker = new ByteTracker(new TrackerOptions());
        TrackInfo last = default;
        for (int f = 0; f < 100; f++)
        {
            last = Step(tracker, f, Det(100f + 3f * f, 300f - 1.5f * f))[0];
            Assert.Equal(1, last.TrackId);
            Assert.Equal(f, last.AgeFrames);
        }

        Assert.Equal(3f, last.VelocityX, 0.05f);
        Assert.Equal(-1.5f, last.VelocityY, 0.05f);
        TrackSnapshot snap = Assert.Single(tracker.ActiveTracks.ToArray());
        Assert.Equal(1, snap.TrackId);
        Assert.Equal(TrackState.Tracked, snap.State);
        Assert.Equal(100f + 3f * 99, snap.Box.CenterX, 0.5f);
        Assert.Equal(2L, tracker.NextTrackId);
    }

    [Fact]
    public void Update_FramesWithGaps_VelocityIsPerFrame()
    {
        var tracker = new ByteTracker(new TrackerOptions());
        TrackInfo last = default;
        for (int k = 0; k < 60; k++)
        {
            long frame = 2L * k;
            last = Step(tracker, frame, Det(100f + 4f * frame, 200f))[0];
            Assert.Equal(1, last.TrackId);
        }

        Assert.Equal(4f, last.VelocityX, 0.05f);
        Assert.Equal(118, last.AgeFrames);
    }

    [Fact]
    public void Update_GapWithinBuffer_TrackPredictedAcrossGapKeepsId()
    {
        var tracker = new ByteTracker(new TrackerOptions { TrackBufferFrames = 30 });
        for (int f = 0; f < 10; f++)
        {
            Step(tracker, f, Det(100f + 3f * f, 300f));
        }

        // Last seen at 9; frame 40 is 31 frames later, the last frame a buffer of 30 can still match.
        TrackInfo r = Step(tracker, 40, Det(100f + 3f * 40, 300f))[0];

        Assert.Equal(1, r.TrackId);
        Assert.Equal(40, r.AgeFrames);
    }

    [Fact]
    public void Update_GapLongerThanBuffer_TrackedTrackNotMatchedAnyMore()
    {
        var tracker = new ByteTracker(new TrackerOptions { TrackBufferFrames = 30 });
        for (int f = 0; f < 10; f++)
        {
            Step(tracker, f, Det(100f, 300f));
        }

        // Had frames 10…40 been processed with nothing in them, the track would have been removed at frame 40.
        TrackInfo r = Step(tracker, 41, Det(100f, 300f))[0];

        Assert.Equal(0, r.TrackId);
        Assert.Equal(0, tracker.LostTrackCount);
        Assert.Equal(2, Step(tracker, 42, Det(100f, 300f))[0].TrackId);
    }

    [Fact]
    public void Update_TrackBornAfterFirstFrame_IdOnlyFromSecondSighting()
    {
        var tracker = new ByteTracker(new TrackerOptions());
        Step(tracker, 0);

        TrackInfo first = Step(tracker, 1, Det(200f, 200f))[0];
        TrackInfo second = Step(tracker, 2, Det(202f, 200f))[0];

        Assert.Equal(0, first.TrackId);
        Assert.Equal(1, second.TrackId);
        Assert.Equal(1, second.AgeFrames);
    }

    [Fact]
    public void Update_OneFrameFalsePositive_BurnsNoId()
    {
        var tracker = new ByteTracker(new TrackerOptions());
        Step(tracker, 0);
        Step(tracker, 1, Det(200f, 200f));
        Step(tracker, 2);
        Step(tracker, 3, Det(500f, 200f));
        TrackInfo confirmed = Step(tracker, 4, Det(500f, 200f))[0];

        Assert.Equal(1, confirmed.TrackId);
    }

    [Fact]
    public void Update_TwoCrossingObjects_KeepTheirIds()
    {
        var tracker = new ByteTracker(new TrackerOptions());
        int idA = 0, idB = 0;
        for (int f = 0; f < 80; f++)
        {
            // A goes right, B goes left; they overlap heavily around frame 40. Listing order alternates so ids
            // cannot follow the detection index.
            Detection a = Det(100f + 5f * f, 300f);
            Detection b = Det(500f - 5f * f, 310f);
            bool swap = f % 2 == 1;
            TrackInfo[] r = swap ? Step(tracker, f, b, a) : Step(tracker, f, a, b);
            TrackInfo ra = swap ? r[1] : r[0];
            TrackInfo rb = swap ? r[0] : r[1];
            if (f == 0)
            {
                (idA, idB) = (ra.TrackId, rb.TrackId);
                Assert.NotEqual(0, idA);
                Assert.NotEqual(0, idB);
                Assert.NotEqual(idA, idB);
            }
            Assert.Equal(idA, ra.TrackId);
            Assert.Equal(idB, rb.TrackId);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(30)]
    public void Update_OccludedForAtMostBufferFrames_GetsOldIdBack(int occludedFrames)
    {
        var tracker = new ByteTracker(new TrackerOptions { TrackBufferFrames = 30 });
        int id = RunWithOcclusion(tracker, occludedFrames, out TrackInfo afterReturn);

        Assert.Equal(id, afterReturn.TrackId);
        Assert.Equal(2L, tracker.NextTrackId);
    }

    [Theory]
    [InlineData(31)]
    [InlineData(45)]
    public void Update_OccludedLongerThanBuffer_GetsNewId(int occludedFrames)
    {
        var tracker = new ByteTracker(new TrackerOptions { TrackBufferFrames = 30 });
        int id = RunWithOcclusion(tracker, occludedFrames, out TrackInfo afterReturn);

        Assert.Equal(0, afterReturn.TrackId); // unconfirmed on its first frame back
        TrackInfo next = Step(tracker, 20 + occludedFrames + 1, Det(100f + 3f * (20 + occludedFrames + 1), 300f))[0];
        Assert.NotEqual(id, next.TrackId);
        Assert.Equal(id + 1, next.TrackId);
    }

    private static int RunWithOcclusion(ByteTracker tracker, int occludedFrames, out TrackInfo afterReturn)
    {
        int id = 0;
        for (int f = 0; f < 20; f++)
        {
            id = Step(tracker, f, Det(100f + 3f * f, 300f))[0].TrackId;
        }
        for (int f = 20; f < 20 + occludedFrames; f++)
        {
            Step(tracker, f);
            Assert.Empty(tracker.ActiveTracks.ToArray());
            // Last seen at frame 19: kept while f − 19 ≤ buffer, removed after.
            Assert.Equal(f - 19 <= tracker.Options.LostTrackBufferFrames ? 1 : 0, tracker.LostTrackCount);
        }
        int back = 20 + occludedFrames;
        afterReturn = Step(tracker, back, Det(100f + 3f * back, 300f))[0];
        return id;
    }

    [Theory]
    [InlineData(10, 10)]
    [InlineData(25, 25)]
    [InlineData(30, 30)]
    public void Update_BufferInSecondsAtStreamRate_LostTrackKeptForOneSecondOfFrames(double fps, int frames)
    {
        var tracker = new ByteTracker(new TrackerOptions { TrackBufferSeconds = 1.0 }.ForFrameRate(fps));

        int id = RunWithOcclusion(tracker, frames, out TrackInfo back);
        Assert.Equal(id, back.TrackId); // back after exactly one second: still the same track

        var late = new ByteTracker(new TrackerOptions { TrackBufferSeconds = 1.0 }.ForFrameRate(fps));
        RunWithOcclusion(late, frames + 1, out TrackInfo tooLate);
        Assert.Equal(0, tooLate.TrackId); // one frame later the track was removed: a new, unconfirmed one starts
    }

    [Fact]
    public void Update_IdsAfterRemovalAndReset_NeverReused()
    {
        var tracker = new ByteTracker(new TrackerOptions { TrackBufferFrames = 5 });
        int first = Step(tracker, 0, Det(100f, 100f))[0].TrackId;
        for (int f = 1; f < 10; f++)
        {
            Step(tracker, f);
        }
        Step(tracker, 10, Det(100f, 100f));
        int second = Step(tracker, 11, Det(100f, 100f))[0].TrackId;
        tracker.Reset();
        int third = Step(tracker, 0, Det(100f, 100f))[0].TrackId;

        Assert.Equal(1, first);
        Assert.Equal(2, second);
        Assert.Equal(3, third);
        Assert.Equal(4L, tracker.NextTrackId);
    }

    [Fact]
    public void Update_LowScoreDetections_ExtendExistingTrack()
    {
        var tracker = new ByteTracker(new TrackerOptions());
        for (int f = 0; f < 10; f++)
        {
            Step(tracker, f, Det(100f + 2f * f, 300f, score: 0.9f));
        }
        for (int f = 10; f < 30; f++)
        {
            TrackInfo r = Step(tracker, f, Det(100f + 2f * f, 300f, score: 0.3f))[0];
            Assert.Equal(1, r.TrackId);
        }
        Assert.Equal(0, tracker.LostTrackCount);
    }

    [Fact]
    public void Update_LowAndMidScoreDetectionsAlone_NeverStartTrack()
    {
        var tracker = new ByteTracker(new TrackerOptions());
        for (int f = 0; f < 50; f++)
        {
            // 0.3 is low; 0.55 is high (takes part in association) but below the new-track threshold 0.6.
            TrackInfo[] r = Step(tracker, f, Det(100f + 2f * f, 300f, score: 0.3f), Det(500f, 300f, score: 0.55f));
            Assert.Equal(0, r[0].TrackId);
            Assert.Equal(0, r[1].TrackId);
        }
        Assert.Equal(1L, tracker.NextTrackId);
        Assert.Empty(tracker.ActiveTracks.ToArray());
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    public void Update_TentativeStart_IdAfterConfirmFramesInARow(int confirmFrames)
    {
        var tracker = new ByteTracker(new TrackerOptions { HighScoreThreshold = 0.3f, TentativeTrackThreshold = 0.3f, TentativeConfirmFrames = confirmFrames });
        for (int f = 0; f < 20; f++)
        {
            TrackInfo r = Step(tracker, f, Det(100f + 2f * f, 300f, score: 0.4f))[0];

            // frames 0 … confirmFrames − 2 are probation (even on the tracker's first frame); then one id for good
            Assert.Equal(f < confirmFrames - 1 ? 0 : 1, r.TrackId);
        }
        Assert.Equal(2L, tracker.NextTrackId);
    }

    [Fact]
    public void Update_TentativeBlipsShorterThanConfirmFrames_BurnNoId()
    {
        var tracker = new ByteTracker(new TrackerOptions { HighScoreThreshold = 0.3f, TentativeTrackThreshold = 0.3f, TentativeConfirmFrames = 4 });
        for (int f = 0; f < 40; f++)
        {
            // three frames on, one off, over and over: never four in a row
            TrackInfo[] r = f % 4 == 3 ? Step(tracker, f) : Step(tracker, f, Det(200f, 300f, score: 0.45f));
            Assert.All(r, a => Assert.Equal(0, a.TrackId));
        }
        Assert.Equal(1L, tracker.NextTrackId);
        Assert.Empty(tracker.ActiveTracks.ToArray());
    }

    [Fact]
    public void Update_TentativeOn_DetectionAtNewTrackThresholdStillConfirmsOnSecondSighting()
    {
        var tracker = new ByteTracker(new TrackerOptions { HighScoreThreshold = 0.3f, TentativeTrackThreshold = 0.3f, TentativeConfirmFrames = 5 });
        Step(tracker, 0);

        Assert.Equal(0, Step(tracker, 1, Det(200f, 200f, score: 0.9f))[0].TrackId);
        Assert.Equal(1, Step(tracker, 2, Det(202f, 200f, score: 0.35f))[0].TrackId);
    }

    [Fact]
    public void Update_TentativeOff_SameScoresNeverStartTrack()
    {
        var tracker = new ByteTracker(new TrackerOptions { HighScoreThreshold = 0.3f });
        for (int f = 0; f < 20; f++)
        {
            Assert.Equal(0, Step(tracker, f, Det(100f + 2f * f, 300f, score: 0.4f))[0].TrackId);
        }
        Assert.Equal(1L, tracker.NextTrackId);
    }

    [Fact]
    public void Update_BelowLowThreshold_IgnoredEvenNextToTrack()
    {
        var tracker = new ByteTracker(new TrackerOptions());
        Step(tracker, 0, Det(100f, 300f));
        Step(tracker, 1, Det(100f, 300f));

        TrackInfo r = Step(tracker, 2, Det(100f, 300f, score: 0.05f))[0];

        Assert.Equal(0, r.TrackId);
        Assert.Equal(1, tracker.LostTrackCount);
    }

    [Fact]
    public void Update_ClassAware_PersonNeverTakesCarId()
    {
        var tracker = new ByteTracker(new TrackerOptions { ClassAware = true });
        int carId = RunCarThenPerson(tracker, out int personId);

        Assert.NotEqual(0, personId);
        Assert.NotEqual(carId, personId);
    }

    [Fact]
    public void Update_ClassAgnostic_PersonTakesOverCarTrack()
    {
        var tracker = new ByteTracker(new TrackerOptions { ClassAware = false });
        int carId = RunCarThenPerson(tracker, out int personId);

        Assert.Equal(carId, personId);
        Assert.Equal(Person, tracker.ActiveTracks[0].ClassId);
    }

    private static int RunCarThenPerson(ByteTracker tracker, out int personId)
    {
        int carId = 0;
        for (int f = 0; f < 10; f++)
        {
            carId = Step(tracker, f, Det(200f, 300f, classId: Car))[0].TrackId;
        }
        Step(tracker, 10, Det(200f, 300f, classId: Person));
        personId = Step(tracker, 11, Det(200f, 300f, classId: Person))[0].TrackId;
        return carId;
    }

    [Fact]
    public void Update_SameInputTwice_SameOutput()
    {
        var a = new ByteTracker(new TrackerOptions());
        var b = new ByteTracker(new TrackerOptions());
        Detection[][] frames = RandomScene(seed: 7, frames: 120, objects: 30);
        var ra = new TrackInfo[64];
        var rb = new TrackInfo[64];
        for (int f = 0; f < frames.Length; f++)
        {
            a.Update(frames[f], f, ra);
            b.Update(frames[f], f, rb);
            Assert.Equal(ra.AsSpan(0, frames[f].Length).ToArray(), rb.AsSpan(0, frames[f].Length).ToArray());
            Assert.Equal(a.ActiveTracks.ToArray(), b.ActiveTracks.ToArray());
            Assert.Equal(a.LostTrackCount, b.LostTrackCount);
        }
        Assert.True(a.NextTrackId > 20, "the scene should create many tracks");
    }

    [Fact]
    public void Update_AfterWarmUp_AllocatesNothing()
    {
        var tracker = new ByteTracker(new TrackerOptions());

        long allocated = AllocatedAfterWarmUp(tracker, seed: 3);

        Assert.Equal(0L, allocated);
        Assert.NotEmpty(tracker.ActiveTracks.ToArray());
    }

    /// <summary>Bytes this thread allocates in <paramref name="tracker"/>'s updates over a 50-object random scene after 20 warm-up frames (each preceded by <paramref name="motion"/> when given).</summary>
    internal static long AllocatedAfterWarmUp(ByteTracker tracker, int seed, CameraMotion? motion = null)
    {
        Detection[][] frames = RandomScene(seed, frames: 200, objects: 50);
        var result = new TrackInfo[64];
        for (int f = 0; f < 20; f++)
        {
            tracker.Update(frames[f], f, result);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int f = 20; f < frames.Length; f++)
        {
            if (motion is { } m)
            {
                tracker.ApplyCameraMotion(m);
            }
            tracker.Update(frames[f], f, result);
        }
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Fact]
    public void Update_FrameIndexNotIncreasing_Throws()
    {
        var tracker = new ByteTracker(new TrackerOptions());
        Step(tracker, 5, Det(100f, 100f));

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Step(tracker, 5, Det(100f, 100f)));
        Assert.Equal("frameIndex", ex.ParamName);
    }

    [Fact]
    public void Update_MoreDetectionsThanCapacity_Throws()
    {
        var tracker = new ByteTracker(new TrackerOptions { MaxDetections = 2 });

        var ex = Assert.Throws<ArgumentException>(() => Step(tracker, 0, Det(1f, 1f), Det(100f, 1f), Det(200f, 1f)));
        Assert.Equal("detections", ex.ParamName);
    }

    [Fact]
    public void Update_AssignmentsTooShort_Throws()
    {
        var tracker = new ByteTracker(new TrackerOptions());
        var detections = new[] { Det(1f, 1f), Det(100f, 1f) };

        var ex = Assert.Throws<ArgumentException>(() => tracker.Update(detections, 0, new TrackInfo[1]));
        Assert.Equal("assignments", ex.ParamName);
    }

    [Fact]
    public void Update_DegenerateBoxes_IgnoredNotTracked()
    {
        var tracker = new ByteTracker(new TrackerOptions());
        var zero = new Detection(new BoundingBox(10f, 10f, 10f, 50f), Car, 0.9f, -1);
        var nan = new Detection(new BoundingBox(float.NaN, 10f, 20f, 50f), Car, 0.9f, -1);

        TrackInfo[] r = Step(tracker, 0, zero, nan);

        Assert.Equal([default, default], r);
        Assert.Equal(1L, tracker.NextTrackId);
    }

    [Fact]
    public void Update_MaxTracksReached_NewTracksRejectedAndCounted()
    {
        var tracker = new ByteTracker(new TrackerOptions { MaxTracks = 2 });

        TrackInfo[] r = Step(tracker, 0, Det(100f, 100f), Det(300f, 100f), Det(500f, 100f));

        Assert.Equal(1, r[0].TrackId);
        Assert.Equal(2, r[1].TrackId);
        Assert.Equal(0, r[2].TrackId);
        Assert.Equal(1L, tracker.RejectedNewTracks);
    }

    /// <summary>Objects on straight lines with per-frame jitter, some missed frames and score flicker.</summary>
    internal static Detection[][] RandomScene(int seed, int frames, int objects)
    {
        var random = new Random(seed);
        var start = new (float X, float Y, float Vx, float Vy, float W, float H, int Class)[objects];
        for (int o = 0; o < objects; o++)
        {
            start[o] = (random.NextSingle() * 1200f, random.NextSingle() * 680f, random.NextSingle() * 6f - 3f,
                random.NextSingle() * 4f - 2f, 20f + random.NextSingle() * 80f, 30f + random.NextSingle() * 120f, random.Next(3));
        }
        var result = new Detection[frames][];
        var list = new List<Detection>();
        for (int f = 0; f < frames; f++)
        {
            list.Clear();
            for (int o = 0; o < objects; o++)
            {
                if (random.NextSingle() < 0.08f)
                {
                    continue;
                }
                var s = start[o];
                float cx = s.X + s.Vx * f + random.NextSingle() * 2f - 1f;
                float cy = s.Y + s.Vy * f + random.NextSingle() * 2f - 1f;
                float score = random.NextSingle() < 0.2f ? 0.2f + random.NextSingle() * 0.3f : 0.6f + random.NextSingle() * 0.4f;
                list.Add(new Detection(BoundingBox.FromCenter(cx, cy, s.W, s.H), s.Class, score, -1));
            }
            result[f] = list.ToArray();
        }
        return result;
    }
}
