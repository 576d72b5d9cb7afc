namespace RealtimeSeg.Tracking.Tests;

public sealed class TrackerOptionsTests
{
    [Fact]
    public void ByteTrack_IsTheReferenceSettingsWithEveryTechniqueOff()
    {
        TrackerOptions o = TrackerOptions.ByteTrack();

        Assert.Equal(0.5f, o.HighScoreThreshold);
        Assert.Equal(0.1f, o.LowScoreThreshold);
        Assert.Equal(0.6f, o.NewTrackThreshold);
        Assert.Equal(0.2f, o.MatchIouThreshold, 1e-6f);
        Assert.Equal(0.5f, o.SecondMatchIouThreshold);
        Assert.Equal(0.3f, o.UnconfirmedMatchIouThreshold, 1e-6f);
        Assert.Equal(1.0, o.TrackBufferSeconds);
        Assert.Null(o.TrackBufferFrames);
        Assert.Equal(30, o.LostTrackBufferFrames); // ByteTrack's track_buffer 30 at its reference 30 fps
        Assert.True(o.ClassAware);
        Assert.True(o.FuseScore);
        Assert.Equal(MotionModel.Xyah, o.MotionModel);
        Assert.False(o.ConfidenceScaledNoise);
        Assert.False(o.ObservationCentricReupdate);
        Assert.Null(o.RecoveryIouThreshold);
        Assert.Null(o.BoostIouThreshold);
        Assert.Null(o.BoostShadowIouThreshold);
        Assert.Equal(0f, o.MomentumWeight);
        o.Validate();
    }

    [Fact]
    public void Defaults_AreByteTrackThresholdsWithTheTechniquesTheBenchmarkKept()
    {
        var o = new TrackerOptions();

        // docs/tracking.md: the one set that won on the development benchmark and through the bundled model on the
        // synthetic drive; NSA, ORU and momentum lost there and stay off.
        Assert.Equal(TrackerOptions.ByteTrack() with
        {
            MatchIouThreshold = 0.12f,
            MotionModel = MotionModel.Xywh,
            RecoveryIouThreshold = 0.5f,
            RecoveryMaxGapSeconds = 0.8,
            BoostIouThreshold = 0.6f,
            BoostShadowIouThreshold = 0.25f,
            TrackBufferSeconds = 1.5,
        }, o);
        Assert.Equal(45, o.LostTrackBufferFrames);
        Assert.Equal(8, o.ForFrameRate(10).RecoveryMaxGapFrames);
        o.Validate();
    }

    public static TheoryData<TrackerOptions, string> BadOptions => new()
    {
        { new TrackerOptions { HighScoreThreshold = 1.5f }, nameof(TrackerOptions.HighScoreThreshold) },
        { new TrackerOptions { LowScoreThreshold = -0.1f }, nameof(TrackerOptions.LowScoreThreshold) },
        { new TrackerOptions { LowScoreThreshold = 0.6f, HighScoreThreshold = 0.5f }, nameof(TrackerOptions.LowScoreThreshold) },
        { new TrackerOptions { NewTrackThreshold = 0.4f }, nameof(TrackerOptions.NewTrackThreshold) },
        { new TrackerOptions { MatchIouThreshold = float.NaN }, nameof(TrackerOptions.MatchIouThreshold) },
        { new TrackerOptions { BoostShadowIouThreshold = 1.5f }, nameof(TrackerOptions.BoostShadowIouThreshold) },
        { new TrackerOptions { SecondMatchIouThreshold = 2f }, nameof(TrackerOptions.SecondMatchIouThreshold) },
        { new TrackerOptions { UnconfirmedMatchIouThreshold = -1f }, nameof(TrackerOptions.UnconfirmedMatchIouThreshold) },
        { new TrackerOptions { TrackBufferFrames = -1 }, nameof(TrackerOptions.TrackBufferFrames) },
        { new TrackerOptions { TrackBufferFrames = TrackerOptions.MaxTrackBufferFrames + 1 }, nameof(TrackerOptions.TrackBufferFrames) },
        { new TrackerOptions { TrackBufferSeconds = -0.5 }, nameof(TrackerOptions.TrackBufferSeconds) },
        { new TrackerOptions { TrackBufferSeconds = 61 }, nameof(TrackerOptions.TrackBufferSeconds) },
        { new TrackerOptions { TrackBufferSeconds = double.NaN }, nameof(TrackerOptions.TrackBufferSeconds) },
        { new TrackerOptions { MaxTracks = 0 }, nameof(TrackerOptions.MaxTracks) },
        { new TrackerOptions { MaxTracks = TrackerOptions.MaxTracksLimit + 1 }, nameof(TrackerOptions.MaxTracks) },
        { new TrackerOptions { MaxDetections = 0 }, nameof(TrackerOptions.MaxDetections) },
        { new TrackerOptions { MaxDetections = TrackerOptions.MaxDetectionsLimit + 1 }, nameof(TrackerOptions.MaxDetections) },
        { new TrackerOptions { MaxTracks = 4096, MaxDetections = 2048 }, nameof(TrackerOptions.MaxTracks) },
        { new TrackerOptions { DuplicateIouThreshold = -0.5f }, nameof(TrackerOptions.DuplicateIouThreshold) },
        { new TrackerOptions { TentativeTrackThreshold = 0.4f }, nameof(TrackerOptions.TentativeTrackThreshold) },
        { new TrackerOptions { TentativeTrackThreshold = 0.7f }, nameof(TrackerOptions.TentativeTrackThreshold) },
        { new TrackerOptions { TentativeTrackThreshold = float.NaN }, nameof(TrackerOptions.TentativeTrackThreshold) },
        { new TrackerOptions { RecoveryIouThreshold = 1.5f }, nameof(TrackerOptions.RecoveryIouThreshold) },
        { new TrackerOptions { RecoveryMaxGapSeconds = -1 }, nameof(TrackerOptions.RecoveryMaxGapSeconds) },
        { new TrackerOptions { BoostIouThreshold = float.NaN }, nameof(TrackerOptions.BoostIouThreshold) },
        { new TrackerOptions { MomentumWeight = 2f }, nameof(TrackerOptions.MomentumWeight) },
        { new TrackerOptions { MomentumDeltaFrames = 4 }, nameof(TrackerOptions.MomentumDeltaFrames) },
        { new TrackerOptions { MotionModel = (MotionModel)7 }, nameof(TrackerOptions.MotionModel) },
        { new TrackerOptions { TentativeConfirmFrames = 1 }, nameof(TrackerOptions.TentativeConfirmFrames) },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Validate_BadOption_ThrowsNamingIt(TrackerOptions options, string name)
    {
        var ex = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Equal(name, ex.ParamName);
        Assert.Contains(name, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(nameof(TrackerOptions.MaxTracks), "1…4096")]
    [InlineData(nameof(TrackerOptions.MaxDetections), "1…10000")]
    [InlineData(nameof(TrackerOptions.TrackBufferSeconds), "0…60 s")]
    public void Validate_OutOfRange_MessageGivesTheAllowedRange(string name, string range)
    {
        TrackerOptions bad = name switch
        {
            nameof(TrackerOptions.MaxTracks) => new TrackerOptions { MaxTracks = 100_000 },
            nameof(TrackerOptions.MaxDetections) => new TrackerOptions { MaxDetections = 100_000 },
            _ => new TrackerOptions { TrackBufferSeconds = 3600 },
        };

        var ex = Assert.Throws<ArgumentException>(bad.Validate);

        Assert.Contains(range, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_LargestTablesWithinTheCellBound_Pass()
    {
        new TrackerOptions { MaxTracks = 4096, MaxDetections = 1024 }.Validate();
        new TrackerOptions { MaxTracks = 256, MaxDetections = 10_000 }.Validate();
    }

    [Theory]
    [InlineData(1.0, 10, 10)]
    [InlineData(1.0, 25, 25)]
    [InlineData(1.0, 30, 30)]
    [InlineData(1.0, 14, 14)]     // MOT17-05
    [InlineData(1.0, 12.5, 12)]   // truncated, as ByteTrack's int(frame_rate / 30 × track_buffer)
    [InlineData(1.0, 29.97, 29)]
    [InlineData(1.2, 25, 30)]     // 1.2 × 25 is 29.999… in binary: still 30
    [InlineData(3.0, 10, 30)]     // 30 frames at KITTI's 10 fps
    [InlineData(0.0, 30, 0)]
    [InlineData(60.0, 1000, 60_000)]
    public void ForFrameRate_BufferSeconds_FramesAtThatRate(double seconds, double fps, int frames)
    {
        TrackerOptions o = new TrackerOptions { TrackBufferSeconds = seconds }.ForFrameRate(fps);

        Assert.Equal(frames, o.TrackBufferFrames);
        Assert.Equal(frames, o.LostTrackBufferFrames);
        Assert.Equal(seconds, o.TrackBufferSeconds);
        o.Validate();
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-25.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(5000.0)]
    public void ForFrameRate_UnknownRate_AssumesTheReferenceRate(double fps)
    {
        Assert.False(TrackerOptions.IsKnownFrameRate(fps));
        Assert.Equal(60, new TrackerOptions { TrackBufferSeconds = 2 }.ForFrameRate(fps).TrackBufferFrames);
    }

    [Fact]
    public void ForFrameRate_FramesGivenExplicitly_KeepsThemAtAnyRate()
    {
        var o = new TrackerOptions { TrackBufferFrames = 30 };

        Assert.Equal(o.TrackBufferFrames, o.ForFrameRate(10).TrackBufferFrames);
        Assert.Equal(30, o.ForFrameRate(10).LostTrackBufferFrames);
    }

    [Fact]
    public void LostTrackBufferFrames_NoRateGiven_CountsSecondsAtReferenceRate()
    {
        Assert.Equal(45, new TrackerOptions { TrackBufferSeconds = 1.5 }.LostTrackBufferFrames);
        Assert.Equal(TrackerOptions.ReferenceFrameRate, 30);
    }

    [Fact]
    public void Constructor_InvalidOptions_Throws()
    {
        Assert.Throws<ArgumentException>(() => new ByteTracker(new TrackerOptions { MaxTracks = -3 }));
    }
}
