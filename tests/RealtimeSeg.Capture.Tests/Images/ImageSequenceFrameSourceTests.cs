using System.Diagnostics;
using RealtimeSeg.Capture.Images;
using RealtimeSeg.Core;
using RealtimeSeg.Frames;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Capture.Tests.Images;

public sealed class ImageSequenceFrameSourceTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static async Task<(ReceivedFrames Frames, IFrameSource Source)> ReadAll(string uri, SourceOptions options, IPipelineLog log, Action<FrameLease>? onFrame = null)
    {
        IFrameSource source = FrameSourceFactory.Open(uri, 0, options, log);
        using var pool = new FramePool(3, FramePool.BytesForBgr(source.Width, source.Height), diagnostics: true);
        var handOff = new HandOff<FrameLease>(2, HandOffMode.Wait, static l => l.Dispose());
        Task run = source.RunAsync(pool, handOff.Writer, CancellationToken.None);
        ReceivedFrames frames = await ReceivedFrames.ReadAllAsync(handOff.Reader, onFrame).WaitAsync(Timeout);
        await run.WaitAsync(Timeout);
        pool.AssertNoLeaks();
        return (frames, source);
    }

    [AssetFact]
    public async Task RunAsync_FilesNumberedWithoutPadding_ReadsThemInNaturalOrder()
    {
        // frame2 must come before frame10: compare each delivered frame with the file it should be.
        using var folder = ImageSequenceFolder.FromVideo(12, i => $"frame{i}.png");
        var means = new List<double>();
        (ReceivedFrames frames, IFrameSource source) = await ReadAll("images:" + folder.Path, new SourceOptions { Pacing = Pacing.Lockstep }, NullPipelineLog.Instance,
            lease => means.Add(Mean(lease)));
        using IFrameSource _ = source;

        Assert.Equal(12, frames.Count);
        Assert.Equal(12, source.FrameCount);
        var sequence = (ImageSequenceFrameSource)source;
        for (int i = 0; i < 12; i++)
        {
            Assert.Equal($"frame{i}.png", Path.GetFileName(sequence.Files[i]));
            using var expected = OpenCvSharp.Cv2.ImRead(folder.File($"frame{i}.png"));
            Assert.Equal(expected.Mean().Val0 + expected.Mean().Val1 + expected.Mean().Val2, means[i] * 3, 3);
        }
    }

    [AssetFact]
    public async Task RunAsync_UnreadableImageInTheMiddle_SkippedCountedCorruptAndLoggedOnceByName()
    {
        using var folder = ImageSequenceFolder.FromVideo(6, i => $"{i:D3}.png");
        File.WriteAllText(folder.File("002.png"), "this is not a PNG");
        var log = new CollectingLog();

        (ReceivedFrames frames, IFrameSource source) = await ReadAll("images:" + folder.Path, new SourceOptions { Pacing = Pacing.Lockstep }, log);
        using IFrameSource _ = source;

        Assert.Equal(5, frames.Count);
        Assert.Equal(1, source.Counters.FramesCorrupt);
        Assert.Equal(6, source.Counters.FramesRead);
        Assert.DoesNotContain(frames.Metadata, m => m.Sequence == 2); // a gap where the bad image was
        string line = Assert.Single(log.Lines, l => l.StartsWith("warn:", StringComparison.Ordinal));
        Assert.Contains(folder.File("002.png"), line, StringComparison.Ordinal);
    }

    [AssetFact]
    public async Task RunAsync_ImageOfAnotherSize_SkippedAndCountedCorrupt()
    {
        using var folder = ImageSequenceFolder.FromVideo(4, i => $"{i}.jpg");
        using (var small = new OpenCvSharp.Mat(10, 10, OpenCvSharp.MatType.CV_8UC3, OpenCvSharp.Scalar.All(128)))
        {
            OpenCvSharp.Cv2.ImWrite(folder.File("1.jpg"), small);
        }
        var log = new CollectingLog();

        (ReceivedFrames frames, IFrameSource source) = await ReadAll("images:" + folder.Path, new SourceOptions { Pacing = Pacing.Lockstep }, log);
        using IFrameSource _ = source;

        Assert.Equal(3, frames.Count);
        Assert.Equal(1, source.Counters.FramesCorrupt);
        Assert.Contains(log.Lines, l => l.Contains("10x10", StringComparison.Ordinal) && l.Contains("1.jpg", StringComparison.Ordinal));
    }

    [AssetFact]
    public async Task RunAsync_KittiTimesFileRealtime_PacesByTheRecordedTimesAndExposesThem()
    {
        using var folder = ImageSequenceFolder.FromVideo(5, i => $"{i:D6}.png");
        // Uneven gaps: 0, 0.1, 0.4, 0.5, 0.9 s. A steady rate would deliver them at other times.
        File.WriteAllLines(folder.File("times.txt"), ["0.000000e+00", "1.000000e-01", "4.000000e-01", "5.000000e-01", "9.000000e-01"]);
        var arrivals = new List<long>();

        (ReceivedFrames frames, IFrameSource source) = await ReadAll("images:" + folder.Path, new SourceOptions { Pacing = Pacing.Realtime }, NullPipelineLog.Instance,
            _ => arrivals.Add(MonotonicClock.NowNs()));
        using IFrameSource _ = source;

        Assert.Equal(5, frames.Count);
        var timestamps = (ISourceTimestamps)source;
        long[] expectedNs = [0, 100_000_000, 400_000_000, 500_000_000, 900_000_000];
        for (int i = 0; i < 5; i++)
        {
            Assert.True(timestamps.TryGetSourceTimestampNs(i, out long t));
            Assert.Equal(expectedNs[i], t);
            long elapsed = frames.Metadata[i].CaptureMonotonicNs - frames.Metadata[0].CaptureMonotonicNs;
            Assert.InRange(elapsed, expectedNs[i] - 5_000_000, expectedNs[i] + 150_000_000);
        }
    }

    [AssetFact]
    public void Open_TimestampsFileWithAnotherLineCount_ThrowsConfigurationExceptionNamingBoth()
    {
        using var folder = ImageSequenceFolder.FromVideo(3, i => $"{i}.png");
        string times = Path.Combine(Path.GetTempPath(), $"rseg-times-{Guid.NewGuid():N}.txt");
        File.WriteAllLines(times, ["1000", "2000"]);
        try
        {
            var options = new SourceOptions { Images = new ImageSequenceOptions { Timestamps = times } };
            var ex = Assert.Throws<ConfigurationException>(() => FrameSourceFactory.Open("images:" + folder.Path, 0, options, NullPipelineLog.Instance));
            Assert.Contains(times, ex.Message, StringComparison.Ordinal);
            Assert.Contains("2 lines", ex.Message, StringComparison.Ordinal);
            Assert.Contains("3 images", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(times);
        }
    }

    [Fact]
    public void Open_MissingFolder_ThrowsSourceUnavailableNamingIt()
    {
        string missing = Path.Combine(Path.GetTempPath(), "rseg-no-such-folder-" + Guid.NewGuid().ToString("N"));
        var ex = Assert.Throws<SourceUnavailableException>(() => FrameSourceFactory.Open("images:" + missing, 0, new SourceOptions(), NullPipelineLog.Instance));
        Assert.Contains(missing, ex.Reason, StringComparison.Ordinal);
        Assert.Contains("not found", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_FolderWithoutImages_ThrowsSourceUnavailableSayingWhichExtensions()
    {
        string dir = Directory.CreateTempSubdirectory("rseg-empty-").FullName;
        File.WriteAllText(Path.Combine(dir, "notes.txt"), "no images here");
        try
        {
            var ex = Assert.Throws<SourceUnavailableException>(() => FrameSourceFactory.Open("images:" + dir, 0, new SourceOptions(), NullPipelineLog.Instance));
            Assert.Contains(".png", ex.Reason, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Open_NoFolderGiven_ThrowsConfigurationException()
    {
        Assert.Throws<ConfigurationException>(() => FrameSourceFactory.Open("images:", 0, new SourceOptions(), NullPipelineLog.Instance));
    }

    private static unsafe double Mean(FrameLease lease)
    {
        double sum = 0;
        byte* p = (byte*)lease.Pointer;
        for (int y = 0; y < lease.Height; y++)
        {
            for (int x = 0; x < lease.Width * 3; x++)
            {
                sum += p[((long)y * lease.Stride) + x];
            }
        }
        return sum / (lease.Width * lease.Height * 3.0);
    }
}
