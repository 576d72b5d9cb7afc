namespace RealtimeSeg.Tracking.Tests;

public sealed class TrackerOptionsTests
{
    [Fact]
    public void Defaults_AreByteTrackReferenceSettings()
    {
        var o = new TrackerOptions();

        Assert.Equal(0.5f, o.HighScoreThreshold);
        Assert.Equal(0.1f, o.LowScoreThreshold);
        Assert.Equal(0.6f, o.NewTrackThreshold);
        Assert.Equal(0.2f, o.MatchIouThreshold, 1e-6f);
        Assert.Equal(0.5f, o.SecondMatchIouThreshold);
        Assert.Equal(0.3f, o.UnconfirmedMatchIouThreshold, 1e-6f);
        Assert.Equal(30, o.TrackBufferFrames);
        Assert.True(o.ClassAware);
        Assert.True(o.FuseScore);
        o.Validate();
    }

    public static TheoryData<TrackerOptions, string> BadOptions => new()
    {
        { new TrackerOptions { HighScoreThreshold = 1.5f }, nameof(TrackerOptions.HighScoreThreshold) },
        { new TrackerOptions { LowScoreThreshold = -0.1f }, nameof(TrackerOptions.LowScoreThreshold) },
        { new TrackerOptions { LowScoreThreshold = 0.6f, HighScoreThreshold = 0.5f }, nameof(TrackerOptions.LowScoreThreshold) },
        { new TrackerOptions { NewTrackThreshold = 0.4f }, nameof(TrackerOptions.NewTrackThreshold) },
        { new TrackerOptions { MatchIouThreshold = float.NaN }, nameof(TrackerOptions.MatchIouThreshold) },
        { new TrackerOptions { SecondMatchIouThreshold = 2f }, nameof(TrackerOptions.SecondMatchIouThreshold) },
        { new TrackerOptions { UnconfirmedMatchIouThreshold = -1f }, nameof(TrackerOptions.UnconfirmedMatchIouThreshold) },
        { new TrackerOptions { TrackBufferFrames = -1 }, nameof(TrackerOptions.TrackBufferFrames) },
        { new TrackerOptions { MaxTracks = 0 }, nameof(TrackerOptions.MaxTracks) },
        { new TrackerOptions { MaxDetections = 0 }, nameof(TrackerOptions.MaxDetections) },
        { new TrackerOptions { DuplicateIouThreshold = -0.5f }, nameof(TrackerOptions.DuplicateIouThreshold) },
        { new TrackerOptions { TentativeTrackThreshold = 0.4f }, nameof(TrackerOptions.TentativeTrackThreshold) },
        { new TrackerOptions { TentativeTrackThreshold = 0.7f }, nameof(TrackerOptions.TentativeTrackThreshold) },
        { new TrackerOptions { TentativeTrackThreshold = float.NaN }, nameof(TrackerOptions.TentativeTrackThreshold) },
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

    [Fact]
    public void Constructor_InvalidOptions_Throws()
    {
        Assert.Throws<ArgumentException>(() => new ByteTracker(new TrackerOptions { MaxTracks = -3 }));
    }
}
