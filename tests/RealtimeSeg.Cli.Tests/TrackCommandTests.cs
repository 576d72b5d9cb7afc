using RealtimeSeg.Evaluation.Mot;
using RealtimeSeg.Formats.Mot;
using RealtimeSeg.TestSupport;
using RealtimeSeg.Tracking;

namespace RealtimeSeg.Cli.Tests;

/// <summary><c>realtimeseg track</c>: the lost-track buffer in seconds, converted with the sequence's frame rate.</summary>
public sealed class TrackCommandTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    private static MotSeqInfo Seq(double? fps) => new() { SeqLength = 10, FrameRate = fps };

    [Fact]
    public void ForDetections_SeqinfoFrameRate_ConvertsTheBufferWithIt()
    {
        TrackerOptions o = TrackCommand.ForDetections(new TrackerOptions(), null, Seq(10), out string note);

        Assert.Equal(15, o.TrackBufferFrames);
        Assert.Equal("track: 10 fps (frameRate in seqinfo.ini); lost-track buffer 15 frames (1.5 s)", note);
    }

    [Fact]
    public void ForDetections_FrameRateFlag_OverridesSeqinfo()
    {
        TrackerOptions o = TrackCommand.ForDetections(new TrackerOptions { TrackBufferSeconds = 2 }, 25, Seq(10), out string note);

        Assert.Equal(50, o.TrackBufferFrames);
        Assert.StartsWith("track: 25 fps (--frame-rate)", note, StringComparison.Ordinal);
    }

    [Fact]
    public void ForDetections_NoRateAnywhere_AssumesThirtyAndSaysSo()
    {
        TrackerOptions o = TrackCommand.ForDetections(new TrackerOptions(), null, Seq(null), out string note);

        Assert.Equal(45, o.TrackBufferFrames);   // the default 1.5 s
        Assert.Contains("30 fps (assumed", note, StringComparison.Ordinal);
    }

    [Fact]
    public void ForDetections_BufferGivenInFrames_KeepsTheFramesAndSaysSo()
    {
        TrackerOptions o = TrackCommand.ForDetections(new TrackerOptions { TrackBufferFrames = 30 }, null, Seq(10), out string note);

        Assert.Equal(30, o.LostTrackBufferFrames);
        Assert.Contains("tracker.track_buffer_frames 30, a fixed count at any rate", note, StringComparison.Ordinal);
    }

    [AssetFact]
    public void Track_Mot17SequenceWithSeqinfo_LogsItsFrameRateAndBuffer()
    {
        string seq = TestAssets.Path("tracking/MOT17-mini/MOT17-05-FRCNN");
        string output = Path.Combine(Path.GetTempPath(), $"rseg-track-{Guid.NewGuid():N}.txt");
        try
        {
            var (code, _, stderr) = CliProcess.Run(Timeout, "track", "--dets", Path.Combine(seq, "det", "det.txt"), "--seqinfo", Path.Combine(seq, "seqinfo.ini"), "--out", output);

            Assert.True(code == 0, stderr);
            Assert.Contains("track: 14 fps (frameRate in seqinfo.ini); lost-track buffer 21 frames (1.5 s)", stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(output);
        }
    }

    [Fact]
    public void Track_FrameRateOutOfRange_Exits2()
    {
        var (code, _, stderr) = CliProcess.Run(Timeout, "track", "--dets", "/nonexistent/det.txt", "--out", "/nonexistent/t.txt", "--frame-rate", "0");

        Assert.Equal(2, code);
        Assert.Contains("--frame-rate must be above 0 and at most 1000", stderr, StringComparison.Ordinal);
    }

    [AssetFact]
    public void Track_ConfigWithBufferOutOfRange_Exits2NamingFileLineKeyAndRange()
    {
        string config = Path.Combine(Path.GetTempPath(), $"rseg-track-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(config, "tracker:\n  match_iou_threshold: 0.1\n  track_buffer_seconds: 3600\n");
        try
        {
            var (code, _, stderr) = CliProcess.Run(Timeout, "track", "--dets", TestAssets.Path("tracking/TUD-Campus/gt.txt"), "--out", config + ".txt", "--config", config);

            Assert.Equal(2, code);
            Assert.Contains(config + ":3:3: key 'tracker.track_buffer_seconds'", stderr, StringComparison.Ordinal);
            Assert.Contains("0…60 s", stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(config);
            File.Delete(config + ".txt");
        }
    }
}
