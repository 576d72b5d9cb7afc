using System.Security.Cryptography;
using System.Threading.Channels;
using RealtimeSeg.Capture;
using RealtimeSeg.Core;
using RealtimeSeg.Frames;
using RealtimeSeg.Pipeline.Drives;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Pipeline.Tests.Drives;

/// <summary>The drive player with real synthetic-drive cameras (rendered frames, real capture threads and slots).</summary>
public sealed class DrivePlayerTests
{
    private const string Size = "160x120";

    private sealed record Emitted(int Stream, long Sequence, long CaptureMonotonicNs, string PixelHash);

    private static DriveCameraConfig Camera(string name, int seed, double fps = 30, double offset = 0, string? timestamps = null)
        => new() { Name = name, Uri = $"synthetic:drive?seed={seed}&size={Size}&fps={fps}", OffsetSeconds = offset, Timestamps = timestamps };

    /// <summary>Plays <paramref name="drive"/> into unbounded-enough rings and returns what each stream received.</summary>
    private static async Task<(List<Emitted>[] Streams, DrivePlayer Player, CollectingLog Log)> Play(
        DriveConfig drive, Pacing pace, long maxFrameSets, PlaybackOptions? overrides = null, int firstStreamIndex = 0, PacingClock? clock = null)
    {
        int n = drive.Cameras.Count;
        var rings = new HandOff<FrameLease>[n];
        var writers = new ChannelWriter<FrameLease>[n];
        for (int i = 0; i < n; i++)
        {
            rings[i] = new HandOff<FrameLease>(200, HandOffMode.Wait, static l => l.Dispose());
            writers[i] = rings[i].Writer;
        }
        var log = new CollectingLog();
        using var pool = new FramePool((n * 200) + (n * DriveCamera.SlotsHeld), FramePool.BytesForBgr(160, 120), diagnostics: true);
        var streams = new List<Emitted>[n];
        DrivePlayer player = DrivePlayer.Open(drive, overrides ?? new PlaybackOptions(), firstStreamIndex, writers, pace, maxFrameSets, log, clock);
        using (player)
        {
            await player.RunAsync(pool, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
        }
        for (int i = 0; i < n; i++)
        {
            streams[i] = [];
            while (rings[i].Reader.TryRead(out FrameLease lease))
            {
                FrameMetadata m = lease.Metadata;
                streams[i].Add(new Emitted(m.StreamIndex, m.Sequence, m.CaptureMonotonicNs, PixelHash(lease)));
                lease.Dispose();
            }
            Assert.True(rings[i].Reader.Completion.IsCompleted, "the drive completes every stream's ring");
        }
        pool.AssertNoLeaks();
        return (streams, player, log);
    }

    /// <summary>Hash of the image rows only: the stride padding is never written and keeps whatever a reused slot held.</summary>
    private static string PixelHash(FrameLease lease)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> pixels = lease.Pixels;
        for (int y = 0; y < lease.Height; y++)
        {
            sha.AppendData(pixels.Slice(y * lease.Stride, lease.Width * 3));
        }
        return Convert.ToHexString(sha.GetHashAndReset());
    }

    [Fact]
    public async Task RunAsync_ThreeCamerasOnOneClock_EverySetCarriesAllCamerasWithOneSequenceAndCaptureTime()
    {
        var drive = new DriveConfig { Name = "three", Cameras = [Camera("front", 1), Camera("left", 2), Camera("right", 3)] };
        var (streams, player, _) = await Play(drive, Pacing.Lockstep, maxFrameSets: 20, firstStreamIndex: 5);

        for (int c = 0; c < 3; c++)
        {
            Assert.Equal(Enumerable.Range(0, 20).Select(i => (long)i), streams[c].Select(e => e.Sequence));
            Assert.All(streams[c], e => Assert.Equal(5 + c, e.Stream));
            Assert.Equal(20, player.Cameras[c].FramesRead);
            Assert.Equal(0, player.Cameras[c].FramesMissing);
        }
        for (int i = 0; i < 20; i++)
        {
            Assert.Equal(streams[0][i].CaptureMonotonicNs, streams[1][i].CaptureMonotonicNs);
            Assert.Equal(streams[0][i].CaptureMonotonicNs, streams[2][i].CaptureMonotonicNs);
        }
        // Different seeds render different scenes: the streams are not copies of one camera.
        Assert.NotEqual(streams[0][3].PixelHash, streams[1][3].PixelHash);
    }

    [Fact]
    public async Task RunAsync_CameraRecordedHalfASecondLate_IsMissingUntilItsFirstFrameThenAligned()
    {
        var drive = new DriveConfig { Name = "late", Cameras = [Camera("front", 1), Camera("rear", 2, offset: 0.5)], Tolerance = TimeSpan.FromMilliseconds(20) };
        var (streams, player, _) = await Play(drive, Pacing.Lockstep, maxFrameSets: 20);

        Assert.Equal(20, streams[0].Count);
        // Reference times 0 … 0.467 s have no rear frame within 20 ms; from 0.5 s on, rear frame k joins set 15 + k.
        Assert.Equal(Enumerable.Range(15, 5).Select(i => (long)i), streams[1].Select(e => e.Sequence));
        Assert.Equal(15, player.Cameras[1].FramesMissing);
        Assert.Equal(0, player.Cameras[1].FramesDroppedAtSource);
    }

    [Fact]
    public async Task RunAsync_ReferenceTimestampsAt10HzAndA30HzCamera_MatchesEveryThirdFrameAndCountsTheRest()
    {
        string timestamps = Path.GetTempFileName();
        try
        {
            await File.WriteAllLinesAsync(timestamps, Enumerable.Range(0, 12).Select(i => (100 + (i * 0.1)).ToString("0.0##", System.Globalization.CultureInfo.InvariantCulture)));
            // The reference camera's own clock starts at 100 s; the side camera's rate-based clock must line up with it.
            var drive = new DriveConfig
            {
                Name = "mixed",
                Cameras = [Camera("front", 1, timestamps: timestamps), Camera("side", 2, fps: 30, offset: 100)],
                Tolerance = TimeSpan.FromMilliseconds(10),
            };
            var (streams, player, log) = await Play(drive, Pacing.Max, maxFrameSets: 0);

            // The timestamps file has 12 lines: the drive ends there, even though the synthetic camera never would.
            Assert.Equal(12, streams[0].Count);
            Assert.Equal(12, streams[1].Count);
            Assert.Equal(0, player.Cameras[1].FramesMissing);
            // Side frames 1, 2, 4, 5, … fall between reference times: skipped and counted, never emitted.
            Assert.Equal(22, player.Cameras[1].FramesDroppedAtSource);
            Assert.Contains(log.Lines, l => l.Contains("timestamps file has 12 lines", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(timestamps);
        }
    }

    [Fact]
    public async Task RunAsync_StartAndEnd_EmitsOnlyThatStretchOfTheDrive()
    {
        var drive = new DriveConfig { Name = "seek", Cameras = [Camera("front", 4)] };
        var seek = new PlaybackOptions { Start = TimeSpan.FromSeconds(1), End = TimeSpan.FromSeconds(2) };
        var (streams, _, _) = await Play(drive, Pacing.Max, maxFrameSets: 0, seek);
        var (unseeked, _, _) = await Play(drive, Pacing.Max, maxFrameSets: 61);

        // Frames 30 … 60 of a 30 fps recording lie in [1 s, 2 s]; they are renumbered from 0.
        Assert.Equal(Enumerable.Range(0, 31).Select(i => (long)i), streams[0].Select(e => e.Sequence));
        Assert.Equal(unseeked[0][30].PixelHash, streams[0][0].PixelHash);
        Assert.Equal(unseeked[0][60].PixelHash, streams[0][30].PixelHash);
    }

    [Fact]
    public async Task RunAsync_Loop_StartsAgainFromTheStartWithSequenceNumbersGoingOn()
    {
        var drive = new DriveConfig
        {
            Name = "loop",
            Cameras = [Camera("front", 5), Camera("left", 6)],
            Playback = new PlaybackOptions { End = TimeSpan.FromSeconds(0.5), Loop = true },
        };
        var (streams, _, log) = await Play(drive, Pacing.Lockstep, maxFrameSets: 40);

        Assert.Equal(Enumerable.Range(0, 40).Select(i => (long)i), streams[0].Select(e => e.Sequence));
        // 0 … 0.5 s at 30 fps is 16 frames per pass: set 16 and set 32 show frame 0 again, on both cameras.
        for (int c = 0; c < 2; c++)
        {
            Assert.Equal(streams[c][0].PixelHash, streams[c][16].PixelHash);
            Assert.Equal(streams[c][5].PixelHash, streams[c][37].PixelHash);
            Assert.NotEqual(streams[c][0].PixelHash, streams[c][15].PixelHash);
        }
        Assert.Equal(2, log.Lines.Count(l => l.Contains("looping", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task RunAsync_RealtimeAtFourTimesSpeed_PlaysOneRecordedSecondInAQuarter()
    {
        var drive = new DriveConfig { Name = "fast", Cameras = [Camera("front", 7)] };
        // A virtual clock: the schedule is checked exactly, not against the wall clock of a loaded machine.
        var clock = new VirtualPacingClock();
        long start = clock.NowNs();
        var (streams, _, _) = await Play(drive, Pacing.Realtime, maxFrameSets: 31, new PlaybackOptions { Speed = 4 }, clock: clock);

        Assert.Equal(31, streams[0].Count);
        // 30 frame periods of 1/30 s at ×4 is 0.25 s; at ×1 it would be a whole second.
        Assert.InRange((clock.NowNs() - start) / 1e9, 0.2499, 0.2501);
        Assert.Equal(30, clock.Waits);
        long spanNs = streams[0][30].CaptureMonotonicNs - streams[0][0].CaptureMonotonicNs;
        Assert.InRange(spanNs / 1e9, 0.2499, 0.2501);
    }

    [Fact]
    public void Open_MissingRecording_ThrowsSourceUnavailableNamingIt()
    {
        var drive = new DriveConfig { Name = "broken", Cameras = [Camera("front", 1), new DriveCameraConfig { Name = "rear", Uri = "/nonexistent/rear.mp4" }] };
        var rings = new[] { Channel.CreateUnbounded<FrameLease>().Writer, Channel.CreateUnbounded<FrameLease>().Writer };
        var e = Assert.Throws<SourceUnavailableException>(() => DrivePlayer.Open(drive, new PlaybackOptions(), 0, rings, Pacing.Max, 0, new CollectingLog()));
        Assert.Contains("/nonexistent/rear.mp4", e.Message);
    }
}
