using RealtimeSeg.Core;
using static RealtimeSeg.Tracking.Tests.Scene;

namespace RealtimeSeg.Tracking.Tests;

/// <summary><see cref="TrackerOptions.MatchIouThresholdByClass"/>: the first association's gate per class.</summary>
public sealed class ClassGateTests
{
    [Theory]
    [InlineData(Person, 1)]
    [InlineData(Car, 0)]
    public void Update_JumpWithIouBetweenTheGates_MatchedOnlyByTheClassWithTheLooserGate(int classId, int expectedId)
    {
        // Gate 0.3 for every class except persons (0.05). A box seen on two frames jumps so that it overlaps its
        // prediction by IoU ≈ 0.21 (× score 0.9 ≈ 0.19): the person's track takes it, the car's does not (its detection
        // starts a new, unconfirmed track instead).
        var options = new TrackerOptions
        {
            MatchIouThreshold = 0.3f,
            MatchIouThresholdByClass = [0.05f],
            RecoveryIouThreshold = null,
            BoostIouThreshold = null,
        };
        var tracker = new ByteTracker(options);
        Assert.Equal(1, Step(tracker, 0, Det(300f, 200f, classId: classId))[0].TrackId);
        Assert.Equal(1, Step(tracker, 1, Det(300f, 200f, classId: classId))[0].TrackId);

        // 40 × 80 boxes 26 px apart horizontally: IoU = 14 / 66 ≈ 0.21.
        TrackInfo r = Step(tracker, 2, Det(326f, 200f, classId: classId))[0];

        Assert.Equal(expectedId, r.TrackId);
    }

    [Fact]
    public void MatchIouThresholdFor_NegativeOrMissingEntry_FallsBackToTheSharedGate()
    {
        var options = new TrackerOptions { MatchIouThreshold = 0.12f, MatchIouThresholdByClass = [0.08f, -1f] };

        Assert.Equal(0.08f, options.MatchIouThresholdFor(0));
        Assert.Equal(0.12f, options.MatchIouThresholdFor(1));
        Assert.Equal(0.12f, options.MatchIouThresholdFor(7));
        Assert.Equal(0.12f, options.MatchIouThresholdFor(-1));
    }

    [Fact]
    public void Validate_ClassGateNaN_NamesTheEntry()
    {
        var options = new TrackerOptions { MatchIouThresholdByClass = [0.1f, float.NaN] };

        var e = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains("MatchIouThresholdByClass[1]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Update_WithClassGates_AllocatesNothing()
    {
        var tracker = new ByteTracker(new TrackerOptions { MatchIouThresholdByClass = [0.08f, 0.2f, 0.1f] });

        long allocated = ByteTrackerTests.AllocatedAfterWarmUp(tracker, seed: 9);

        Assert.Equal(0L, allocated);
    }
}
