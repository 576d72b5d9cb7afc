using System.Diagnostics;
using RealtimeSeg.Core;
using RealtimeSeg.Frames;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Capture.Tests;

public sealed class FileFrameSourceTests : IDisposable
{
    private const int UdacityFrames = 38;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private readonly string _tempDir = Directory.CreateTempSubdirectory("rseg-capture-").FullName;

    public void Dispose() => Directory.Delete(_tempDir, recursive: true);

    private static string IntelPeople => TestAssets.Path("videos/intel-people-768x432.mp4");

    [AssetFact]
    public void Open_UdacityCars_ReportsTheVideoFormat()
    {
        var log = new CollectingLog();

        using IFrameSource source = FrameSourceFactory.Open(TestAssets.UdacityCars, 3, new SourceOptions(), log);

        Assert.Equal(1280, source.Width);
        Assert.Equal(720, source.Height);
        Assert.Equal(25, source.FramesPerSecond, 3);
        Assert.Equal(UdacityFrames, source.FrameCount);
        Assert.Equal(3, source.StreamIndex);
        Assert.Equal(TestAssets.UdacityCars, source.Uri);
        Assert.Contains(log.Lines, l => l.StartsWith("info: s3: opened", StringComparison.Ordinal) && l.Contains("1280x720", StringComparison.Ordinal));
    }

    [AssetFact]
    public async Task RunAsync_LockstepWholeFile_DeliversEveryFrameInOrderWithPixels()
    {
        using IFrameSource source = FrameSourceFactory.Open(TestAssets.UdacityCars, 0, new SourceOptions { Pacing = Pacing.Lockstep }, NullPipelineLog.Instance);
        var pool = new FramePool(3, FramePool.BytesForBgr(1280, 720), diagnostics: true);
        var handOff = new HandOff<FrameLease>(1, HandOffMode.Wait, static l => l.Dispose());
        var nonBlack = new List<bool>();

        Task run = source.RunAsync(pool, handOff.Writer, CancellationToken.None);
        ReceivedFrames received = await ReceivedFrames.ReadAllAsync(handOff.Reader, lease => nonBlack.Add(HasContent(lease))).WaitAsync(Timeout);
        await run.WaitAsync(Timeout);

        Assert.Equal(UdacityFrames, received.Count);
        for (int i = 0; i < received.Count; i++)
        {
            Assert.Equal(i, received.Metadata[i].Sequence);
            Assert.Equal((1280, 720), (received.Metadata[i].Width, received.Metadata[i].Height));
            Assert.Equal((1280, 720, 3840), received.Geometry[i]);
            Assert.True(nonBlack[i], $"frame {i} is all zero");
        }
        received.AssertTimestampsNonDecreasing();
        Assert.True(received.Metadata[^1].CaptureMonotonicNs > received.Metadata[0].CaptureMonotonicNs);
        Assert.Equal(UdacityFrames, source.Counters.FramesCaptured);
        Assert.Equal(0, source.Counters.FramesDroppedNoSlot);
        Assert.Equal(0, source.Counters.FramesCorrupt);
        Assert.Equal(0, source.Counters.Reconnects);
        pool.Dispose();
    }

    [AssetTheory]
    [InlineData("videos/udacity-cars-1280x720.mp4", 0)]
    [InlineData("videos/intel-people-768x432.mp4", 60)]
    public async Task RunAsync_Lockstep_PixelsEqualAPlainVideoCaptureReadAndNothingIsCopied(string video, int maxFrames)
    {
        string path = TestAssets.Path(video);
        using IFrameSource source = FrameSourceFactory.Open(path, 0, new SourceOptions { Pacing = Pacing.Lockstep, MaxFrames = maxFrames }, NullPipelineLog.Instance);
        var pool = new FramePool(3, FramePool.BytesForBgr(source.Width, source.Height), diagnostics: true);
        var handOff = new HandOff<FrameLease>(1, HandOffMode.Wait, static l => l.Dispose());
        using var reference = new ReferenceVideo(path);

        Task run = source.RunAsync(pool, handOff.Writer, CancellationToken.None);
        ReceivedFrames received = await ReceivedFrames.ReadAllAsync(
            handOff.Reader, lease => reference.AssertSameFrame(lease, lease.Metadata.Sequence)).WaitAsync(Timeout);
        await run.WaitAsync(Timeout);

        Assert.Equal(maxFrames > 0 ? maxFrames : UdacityFrames, received.Count);
        // Every frame was decoded straight into its slot: OpenCV never had to allocate a buffer of its own.
        Assert.Equal(0, source.Counters.FramesCopied);
        pool.Dispose();
    }

    [AssetFact]
    public async Task RunAsync_Realtime25Frames_TakesAboutASecond()
    {
        using IFrameSource source = FrameSourceFactory.Open(TestAssets.UdacityCars, 0, new SourceOptions { Pacing = Pacing.Realtime, MaxFrames = 25 }, NullPipelineLog.Instance);
        var pool = new FramePool(4, FramePool.BytesForBgr(1280, 720), diagnostics: true);
        // Wait mode, so a reader held up by a busy test host cannot lose frames; it could only make the run longer.
        var handOff = new HandOff<FrameLease>(2, HandOffMode.Wait, static l => l.Dispose());
        var clock = Stopwatch.StartNew();

        Task run = source.RunAsync(pool, handOff.Writer, CancellationToken.None);
        ReceivedFrames received = await ReceivedFrames.ReadAllAsync(handOff.Reader).WaitAsync(Timeout);
        await run.WaitAsync(Timeout);
        clock.Stop();

        // 25 frames at 25 fps: the last one is due 0.96 s after the first. Only a lower bound: a loaded machine may be slower.
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.8), $"realtime pacing took only {clock.Elapsed.TotalSeconds:0.000} s");
        Assert.Equal(25, received.Count);
        double stampedSeconds = (received.Metadata[^1].CaptureMonotonicNs - received.Metadata[0].CaptureMonotonicNs) / 1e9;
        Assert.True(stampedSeconds >= 0.8, $"frames 0..24 were stamped only {stampedSeconds:0.000} s apart");
        pool.Dispose();
    }

    [AssetFact]
    public async Task RunAsync_MaxPacingPoolExhausted_SkipsFramesAndCountsThem()
    {
        using IFrameSource source = FrameSourceFactory.Open(TestAssets.UdacityCars, 0, new SourceOptions { Pacing = Pacing.Max }, NullPipelineLog.Instance);
        // One slot held by the slow reader, one in the channel: the source finds none free.
        var pool = new FramePool(2, FramePool.BytesForBgr(1280, 720), diagnostics: true);
        var handOff = new HandOff<FrameLease>(1, HandOffMode.DropOldest, static l => l.Dispose());

        Task run = source.RunAsync(pool, handOff.Writer, CancellationToken.None);
        // While the reader holds a frame the source reads two more: the second finds no free slot.
        ReceivedFrames received = await ReceivedFrames.ReadAllAsync(handOff.Reader, hold: ReceivedFrames.UntilSourceReadAhead(source, run, 2)).WaitAsync(Timeout);
        await run.WaitAsync(Timeout);

        SourceCounters c = source.Counters;
        Assert.True(c.FramesDroppedNoSlot > 0, "with every slot taken the source must skip frames");
        Assert.Equal(UdacityFrames, c.FramesRead);
        Assert.Equal(UdacityFrames, c.FramesCaptured + c.FramesDroppedNoSlot);
        Assert.Equal(c.FramesCaptured, received.Count + handOff.Dropped);
        received.AssertSequenceStrictlyIncreasing();
        pool.AssertNoLeaks();
        pool.Dispose();
    }

    [AssetFact]
    public async Task RunAsync_LockstepPoolExhausted_WaitsForASlotInsteadOfDropping()
    {
        using IFrameSource source = FrameSourceFactory.Open(TestAssets.UdacityCars, 0, new SourceOptions { Pacing = Pacing.Lockstep, MaxFrames = 10 }, NullPipelineLog.Instance);
        var pool = new FramePool(2, FramePool.BytesForBgr(1280, 720), diagnostics: true);
        var handOff = new HandOff<FrameLease>(1, HandOffMode.Wait, static l => l.Dispose());

        Task run = source.RunAsync(pool, handOff.Writer, CancellationToken.None);
        ReceivedFrames received = await ReceivedFrames.ReadAllAsync(handOff.Reader, holdMs: 30).WaitAsync(Timeout);
        await run.WaitAsync(Timeout);

        Assert.Equal(10, received.Count);
        Assert.Equal(0, source.Counters.FramesDroppedNoSlot);
        Assert.Equal(0, handOff.Dropped);
        pool.Dispose();
    }

    [AssetTheory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(37)]
    public async Task RunAsync_MaxFrames_StopsAfterThatManyFrames(int maxFrames)
    {
        using IFrameSource source = FrameSourceFactory.Open(TestAssets.UdacityCars, 0, new SourceOptions { Pacing = Pacing.Lockstep, MaxFrames = maxFrames }, NullPipelineLog.Instance);
        var pool = new FramePool(3, FramePool.BytesForBgr(1280, 720), diagnostics: true);
        var handOff = new HandOff<FrameLease>(2, HandOffMode.Wait, static l => l.Dispose());

        Task run = source.RunAsync(pool, handOff.Writer, CancellationToken.None);
        ReceivedFrames received = await ReceivedFrames.ReadAllAsync(handOff.Reader).WaitAsync(Timeout);
        await run.WaitAsync(Timeout);

        Assert.Equal(maxFrames, received.Count);
        Assert.Equal(maxFrames, source.Counters.FramesRead);
        pool.Dispose();
    }

    [AssetFact]
    public async Task RunAsync_Loop_StartsAgainWithIncreasingSequenceAndTheFirstFramesPixels()
    {
        using IFrameSource source = FrameSourceFactory.Open(TestAssets.UdacityCars, 0, new SourceOptions { Pacing = Pacing.Lockstep, Loop = true, MaxFrames = UdacityFrames + 2 }, NullPipelineLog.Instance);
        var pool = new FramePool(3, FramePool.BytesForBgr(1280, 720), diagnostics: true);
        var handOff = new HandOff<FrameLease>(1, HandOffMode.Wait, static l => l.Dispose());
        var hashes = new List<int>();

        Task run = source.RunAsync(pool, handOff.Writer, CancellationToken.None);
        ReceivedFrames received = await ReceivedFrames.ReadAllAsync(handOff.Reader, lease => hashes.Add(Hash(lease))).WaitAsync(Timeout);
        await run.WaitAsync(Timeout);

        Assert.Equal(UdacityFrames + 2, received.Count);
        received.AssertSequenceStrictlyIncreasing();
        Assert.Equal(UdacityFrames, received.Metadata[UdacityFrames].Sequence);
        Assert.Equal(hashes[0], hashes[UdacityFrames]);
        Assert.Equal(hashes[1], hashes[UdacityFrames + 1]);
        Assert.NotEqual(hashes[0], hashes[1]);
        pool.Dispose();
    }

    [AssetFact]
    public async Task RunAsync_FramesFailToConvert_SkipsCountsAndKeepsDecodingIntoSlots()
    {
        var reader = new FaultInjectingVideoReader(OpenCvVideoReader.Open(TestAssets.UdacityCars), failRetrieveAt: [3, 7, 8]);
        using var source = new FileFrameSource(TestAssets.UdacityCars, TestAssets.UdacityCars, 0, new SourceOptions { Pacing = Pacing.Lockstep }, reader, NullPipelineLog.Instance);
        var pool = new FramePool(2, FramePool.BytesForBgr(1280, 720), diagnostics: true);
        var handOff = new HandOff<FrameLease>(1, HandOffMode.Wait, static l => l.Dispose());
        using var reference = new ReferenceVideo(TestAssets.UdacityCars);

        Task run = source.RunAsync(pool, handOff.Writer, CancellationToken.None);
        ReceivedFrames received = await ReceivedFrames.ReadAllAsync(
            handOff.Reader, lease => reference.AssertSameFrame(lease, lease.Metadata.Sequence)).WaitAsync(Timeout);
        await run.WaitAsync(Timeout);

        Assert.Equal(UdacityFrames - 3, received.Count);
        Assert.Equal(3, source.Counters.FramesCorrupt);
        Assert.Equal(UdacityFrames, source.Counters.FramesRead);
        Assert.DoesNotContain(received.Metadata, m => m.Sequence is 3 or 7 or 8);
        Assert.Equal(0, source.Counters.FramesCopied);
        pool.AssertNoLeaks();
        pool.Dispose();
    }

    [AssetFact]
    public async Task RunAsync_GrabFailsMidStream_SkipsTheFrameCountsItAndCarriesOn()
    {
        var reader = new FaultInjectingVideoReader(OpenCvVideoReader.Open(TestAssets.UdacityCars), failGrabAt: [10, 11]);
        using var source = new FileFrameSource(TestAssets.UdacityCars, TestAssets.UdacityCars, 0, new SourceOptions { Pacing = Pacing.Lockstep }, reader, NullPipelineLog.Instance);
        var pool = new FramePool(2, FramePool.BytesForBgr(1280, 720), diagnostics: true);
        var handOff = new HandOff<FrameLease>(1, HandOffMode.Wait, static l => l.Dispose());
        using var reference = new ReferenceVideo(TestAssets.UdacityCars);

        Task run = source.RunAsync(pool, handOff.Writer, CancellationToken.None);
        ReceivedFrames received = await ReceivedFrames.ReadAllAsync(
            handOff.Reader, lease => reference.AssertSameFrame(lease, lease.Metadata.Sequence)).WaitAsync(Timeout);
        await run.WaitAsync(Timeout);

        Assert.True(run.IsCompletedSuccessfully);
        Assert.Equal(UdacityFrames - 2, received.Count);
        Assert.Equal(2, source.Counters.FramesCorrupt);
        Assert.Equal(9, received.Metadata[9].Sequence);
        Assert.Equal(12, received.Metadata[10].Sequence);
        pool.Dispose();
    }

    [AssetFact]
    public async Task RunAsync_TruncatedFile_EndsNormallyWithWhatDecodesAndWarns()
    {
        string truncated = Path.Combine(_tempDir, "truncated.mp4");
        byte[] bytes = await File.ReadAllBytesAsync(TestAssets.UdacityCars);
        await File.WriteAllBytesAsync(truncated, bytes.AsMemory(0, bytes.Length / 2));
        var log = new CollectingLog();
        using IFrameSource source = FrameSourceFactory.Open(truncated, 0, new SourceOptions { Pacing = Pacing.Lockstep }, log);
        var pool = new FramePool(2, FramePool.BytesForBgr(1280, 720), diagnostics: true);
        var handOff = new HandOff<FrameLease>(1, HandOffMode.Wait, static l => l.Dispose());

        Task run = source.RunAsync(pool, handOff.Writer, CancellationToken.None);
        ReceivedFrames received = await ReceivedFrames.ReadAllAsync(handOff.Reader).WaitAsync(Timeout);
        await run.WaitAsync(Timeout);

        Assert.True(run.IsCompletedSuccessfully);
        Assert.InRange(received.Count, 1, UdacityFrames - 1);
        Assert.Contains(log.Lines, l => l.StartsWith("warn:", StringComparison.Ordinal) && l.Contains($"of the {UdacityFrames} frames", StringComparison.Ordinal));
        // The frames that never came are not "corrupt frames skipped": nothing after them decoded.
        Assert.Equal(0, source.Counters.FramesCorrupt);
        pool.Dispose();
    }

    [AssetFact]
    public async Task RunAsync_DamagedBitstream_DecodesThroughWithoutFailing()
    {
        string damaged = Path.Combine(_tempDir, "damaged.mp4");
        byte[] bytes = await File.ReadAllBytesAsync(TestAssets.UdacityCars);
        for (int i = bytes.Length / 3; i < (bytes.Length / 3) + 200_000; i += 997)
        {
            bytes[i] ^= 0xFF;
        }
        await File.WriteAllBytesAsync(damaged, bytes);
        using IFrameSource source = FrameSourceFactory.Open(damaged, 0, new SourceOptions { Pacing = Pacing.Lockstep }, NullPipelineLog.Instance);
        var pool = new FramePool(2, FramePool.BytesForBgr(1280, 720), diagnostics: true);
        var handOff = new HandOff<FrameLease>(1, HandOffMode.Wait, static l => l.Dispose());

        Task run = source.RunAsync(pool, handOff.Writer, CancellationToken.None);
        ReceivedFrames received = await ReceivedFrames.ReadAllAsync(handOff.Reader).WaitAsync(Timeout);
        await run.WaitAsync(Timeout);

        Assert.True(run.IsCompletedSuccessfully);
        SourceCounters c = source.Counters;
        Assert.Equal(c.FramesRead, received.Count + c.FramesCorrupt);
        Assert.True(received.Count > UdacityFrames / 2, $"only {received.Count} frames decoded");
        pool.Dispose();
    }

    [AssetFact]
    public async Task RunAsync_FileUri_ReadsTheSameVideo()
    {
        using IFrameSource source = FrameSourceFactory.Open("file:" + TestAssets.UdacityCars, 0, new SourceOptions { Pacing = Pacing.Lockstep, MaxFrames = 2 }, NullPipelineLog.Instance);
        var pool = new FramePool(2, FramePool.BytesForBgr(1280, 720), diagnostics: true);
        var handOff = new HandOff<FrameLease>(1, HandOffMode.Wait, static l => l.Dispose());

        Task run = source.RunAsync(pool, handOff.Writer, CancellationToken.None);
        ReceivedFrames received = await ReceivedFrames.ReadAllAsync(handOff.Reader).WaitAsync(Timeout);
        await run.WaitAsync(Timeout);

        Assert.Equal(2, received.Count);
        Assert.Equal("file:" + TestAssets.UdacityCars, source.Uri);
        pool.Dispose();
    }

    [Fact]
    public void Open_MissingFile_ThrowsSourceUnavailableNamingThePath()
    {
        string missing = Path.Combine(_tempDir, "no-such-clip.mp4");

        var ex = Assert.Throws<SourceUnavailableException>(() => FrameSourceFactory.Open(missing, 0, new SourceOptions(), NullPipelineLog.Instance));

        Assert.Equal(missing, ex.Source);
        Assert.Contains(missing, ex.Message, StringComparison.Ordinal);
        Assert.Contains("not found", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_MissingFileUri_ThrowsSourceUnavailableNamingThePath()
    {
        string missing = Path.Combine(_tempDir, "gone.mp4");

        var ex = Assert.Throws<SourceUnavailableException>(() => FrameSourceFactory.Open("file:" + missing, 0, new SourceOptions(), NullPipelineLog.Instance));

        Assert.Contains(missing, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_Directory_ThrowsSourceUnavailableSayingItIsADirectory()
    {
        var ex = Assert.Throws<SourceUnavailableException>(() => FrameSourceFactory.Open(_tempDir, 0, new SourceOptions(), NullPipelineLog.Instance));

        Assert.Equal(_tempDir, ex.Source);
        Assert.Contains("directory", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_TextFileNamedMp4_ThrowsSourceUnavailable()
    {
        string fake = Path.Combine(_tempDir, "not-a-video.mp4");
        File.WriteAllText(fake, "this is plain text, not an MPEG-4 container\n");

        var ex = Assert.Throws<SourceUnavailableException>(() => FrameSourceFactory.Open(fake, 0, new SourceOptions(), NullPipelineLog.Instance));

        Assert.Equal(fake, ex.Source);
        Assert.Contains("cannot open it as a video", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_EmptyFile_ThrowsSourceUnavailable()
    {
        string empty = Path.Combine(_tempDir, "empty.mp4");
        File.WriteAllBytes(empty, []);

        var ex = Assert.Throws<SourceUnavailableException>(() => FrameSourceFactory.Open(empty, 0, new SourceOptions(), NullPipelineLog.Instance));

        Assert.Equal(empty, ex.Source);
    }

    private static bool HasContent(FrameLease lease)
    {
        Span<byte> pixels = lease.Pixels;
        int nonZero = 0;
        for (int i = 0; i < pixels.Length; i += 97)
        {
            if (pixels[i] != 0)
            {
                nonZero++;
            }
        }
        return nonZero > pixels.Length / 97 / 4;
    }

    private static int Hash(FrameLease lease)
    {
        var hash = new HashCode();
        hash.AddBytes(lease.Pixels);
        return hash.ToHashCode();
    }
}
