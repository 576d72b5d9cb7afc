using RealtimeSeg.Capture.Synthetic;
using RealtimeSeg.Core;
using RealtimeSeg.Frames;
using RealtimeSeg.Synthetic;
using RealtimeSeg.TestSupport;
using static RealtimeSeg.Synthetic.Tests.SyntheticRendering;

namespace RealtimeSeg.Capture.Tests.Synthetic;

public sealed class SyntheticFrameSourceTests
{
    private const string Uri = "synthetic:drive?seed=5&size=320x180&fps=25&density=0.7";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public void Open_SyntheticUri_ReportsTheSceneGeometryAndNoEnd()
    {
        var log = new CollectingLog();
        using IFrameSource source = FrameSourceFactory.Open(Uri, 2, new SourceOptions(), log);

        var synthetic = Assert.IsType<SyntheticFrameSource>(source);
        Assert.Equal((320, 180), (source.Width, source.Height));
        Assert.Equal(25, source.FramesPerSecond);
        Assert.Null(source.FrameCount);
        Assert.Equal(2, source.StreamIndex);
        Assert.Equal(Uri, source.Uri);
        Assert.Equal(new SyntheticDriveOptions { Seed = 5, Width = 320, Height = 180, FramesPerSecond = 25, Density = 0.7 }, synthetic.Scene);
        Assert.Contains(log.Lines, l => l.Contains("synthetic drive seed 5", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("synthetic:drive?size=big", "'size'")]
    [InlineData("synthetic:drive?fps=0", "'fps'")]
    [InlineData("synthetic:drive?density=2", "'density'")]
    [InlineData("synthetic:drive?seed=x", "'seed'")]
    [InlineData("synthetic:drive?speed=3", "'speed'")]
    public void Open_BadParameter_ThrowsConfigurationExceptionNamingIt(string uri, string parameter)
    {
        var ex = Assert.Throws<ConfigurationException>(() => FrameSourceFactory.Open(uri, 0, new SourceOptions(), NullPipelineLog.Instance));

        Assert.Contains(parameter, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_UnknownScene_ThrowsSourceUnavailable()
    {
        var ex = Assert.Throws<SourceUnavailableException>(() => FrameSourceFactory.Open("synthetic:moon", 0, new SourceOptions(), NullPipelineLog.Instance));

        Assert.Equal("synthetic:moon", ex.Source);
    }

    [Fact]
    public async Task RunAsync_FirstFrame_FramesBeforeItAreCountedSkippedNotCaptured()
    {
        using IFrameSource source = FrameSourceFactory.Open(Uri, 0, new SourceOptions { Pacing = Pacing.Lockstep, FirstFrame = 4, MaxFrames = 10 }, NullPipelineLog.Instance);
        var frames = await CaptureAsync(source, slots: 3, holdMs: 0, HandOffMode.Wait);

        Assert.Equal([4L, 5, 6, 7, 8, 9], frames.Select(f => f.Sequence));
        SourceCounters c = source.Counters;
        Assert.Equal(10, c.FramesRead);
        Assert.Equal(4, c.FramesSkipped);
        Assert.Equal(6, c.FramesCaptured);
        Assert.Equal(c.FramesRead, c.FramesCaptured + c.FramesDroppedNoSlot + c.FramesCorrupt + c.FramesSkipped);
    }

    [Fact]
    public async Task RunAsync_Lockstep_EachFrameIsTheSceneRenderedAtItsSequenceNumber()
    {
        using IFrameSource source = FrameSourceFactory.Open(Uri, 0, new SourceOptions { Pacing = Pacing.Lockstep, MaxFrames = 6 }, NullPipelineLog.Instance);
        var frames = await CaptureAsync(source, slots: 3, holdMs: 0, HandOffMode.Wait);
        using var scene = new SyntheticDriveScene(SyntheticDriveOptions.Parse(Uri));

        Assert.Equal(6, frames.Count);
        foreach ((long sequence, byte[] pixels) in frames)
        {
            Assert.True(Image(scene, sequence).AsSpan().SequenceEqual(pixels), $"frame {sequence} differs from the scene's");
        }
    }

    [Fact]
    public async Task RunAsync_FramesDroppedForWantOfSlots_LaterFramesStillShowTheirOwnSequenceNumber()
    {
        // Paced at 200 fps, the reader sits on the first frame until the source has counted 20: with one slot held
        // and one queued, frames 2…18 at least find no slot and are dropped unrendered; the frames after must still be right.
        const string Fast = "synthetic:drive?seed=5&size=320x180&fps=200&density=0.7";
        using IFrameSource source = FrameSourceFactory.Open(Fast, 0, new SourceOptions { Pacing = Pacing.Realtime, MaxFrames = 40 }, NullPipelineLog.Instance);
        var frames = await CaptureAsync(source, slots: 2, holdMs: 0, HandOffMode.DropOldest,
            first: () => Assert.True(SpinWait.SpinUntil(() => source.Counters.FramesRead >= 20, Timeout), "the source stopped producing"));
        using var scene = new SyntheticDriveScene(SyntheticDriveOptions.Parse(Fast));

        Assert.True(source.Counters.FramesDroppedNoSlot >= 17, $"only {source.Counters.FramesDroppedNoSlot} frames were dropped");
        Assert.Contains(frames, f => f.Sequence >= 20);
        Assert.True(frames[^1].Sequence + 1 > frames.Count, "drops must show as gaps in the sequence numbers");
        foreach ((long sequence, byte[] pixels) in frames)
        {
            Assert.True(Image(scene, sequence).AsSpan().SequenceEqual(pixels), $"frame {sequence} differs from the scene's");
        }
    }

    [Fact]
    public void GetGroundTruth_AnyOrder_EqualsTheScenesTruthOfThatFrame()
    {
        using var source = (SyntheticFrameSource)FrameSourceFactory.Open(Uri, 0, new SourceOptions(), NullPipelineLog.Instance);
        using var scene = new SyntheticDriveScene(source.Scene);
        SyntheticGroundTruth fromSource = source.CreateGroundTruth();
        SyntheticGroundTruth fromScene = scene.CreateGroundTruth();

        foreach (long sequence in (long[])[40, 3, 41, 300])
        {
            source.GetGroundTruth(sequence, fromSource);
            scene.RenderGroundTruth(sequence, fromScene);

            Assert.Equal(sequence, fromSource.FrameIndex);
            Assert.Equal(fromScene.Map.ToArray(), fromSource.Map.ToArray());
            Assert.Equal(fromScene.Segments.ToArray(), fromSource.Segments.ToArray());
        }
    }

    [Fact]
    public async Task GetGroundTruth_WhileRunning_MatchesTheFramesDelivered()
    {
        using var source = (SyntheticFrameSource)FrameSourceFactory.Open(Uri, 0, new SourceOptions { Pacing = Pacing.Lockstep, MaxFrames = 4 }, NullPipelineLog.Instance);
        using var pool = new FramePool(2, FramePool.BytesForBgr(source.Width, source.Height), diagnostics: true);
        var handOff = new HandOff<FrameLease>(1, HandOffMode.Wait, static l => l.Dispose());
        SyntheticGroundTruth truth = source.CreateGroundTruth();
        using var scene = new SyntheticDriveScene(source.Scene);
        SyntheticGroundTruth expected = scene.CreateGroundTruth();

        Task run = source.RunAsync(pool, handOff.Writer, CancellationToken.None);
        ReceivedFrames received = await ReceivedFrames.ReadAllAsync(handOff.Reader, lease =>
        {
            source.GetGroundTruth(lease.Metadata.Sequence, truth);
            scene.RenderGroundTruth(lease.Metadata.Sequence, expected);
            Assert.Equal(expected.Segments.ToArray(), truth.Segments.ToArray());
        }).WaitAsync(Timeout);
        await run.WaitAsync(Timeout);

        Assert.Equal(4, received.Count);
        pool.AssertNoLeaks();
    }

    [Fact]
    public void GetGroundTruth_AfterDispose_ThrowsObjectDisposed()
    {
        var source = (SyntheticFrameSource)FrameSourceFactory.Open(Uri, 0, new SourceOptions(), NullPipelineLog.Instance);
        SyntheticGroundTruth truth = source.CreateGroundTruth();
        source.GetGroundTruth(0, truth);
        source.Dispose();

        Assert.Throws<ObjectDisposedException>(() => source.GetGroundTruth(1, truth));
    }

    [Fact]
    public void Open_FromOptions_UsesTheOptionsUri()
    {
        var options = new SyntheticDriveOptions { Seed = 9, Width = 64, Height = 48 };
        using SyntheticFrameSource source = SyntheticFrameSource.Open(options, 0, new SourceOptions(), NullPipelineLog.Instance);

        Assert.Equal(options.ToUri(), source.Uri);
        Assert.Equal(options, SyntheticDriveOptions.Parse(source.Uri));
    }

    /// <summary>Runs <paramref name="source"/> to its end, keeping each frame's sequence number and a copy of its pixels (packed rows).</summary>
    private static async Task<List<(long Sequence, byte[] Pixels)>> CaptureAsync(IFrameSource source, int slots, int holdMs, HandOffMode mode, Action? first = null)
    {
        using var pool = new FramePool(slots, FramePool.BytesForBgr(source.Width, source.Height), diagnostics: true);
        var handOff = new HandOff<FrameLease>(1, mode, static l => l.Dispose());
        var frames = new List<(long, byte[])>();
        Task run = source.RunAsync(pool, handOff.Writer, CancellationToken.None);
        await ReceivedFrames.ReadAllAsync(handOff.Reader, lease =>
        {
            int row = lease.Width * 3;
            byte[] packed = new byte[row * lease.Height];
            for (int y = 0; y < lease.Height; y++)
            {
                lease.Pixels.Slice(y * lease.Stride, row).CopyTo(packed.AsSpan(y * row));
            }
            frames.Add((lease.Metadata.Sequence, packed));
            if (frames.Count == 1)
            {
                first?.Invoke();
            }
        }, holdMs).WaitAsync(Timeout);
        await run.WaitAsync(Timeout);
        handOff.DrainAndRelease();
        pool.AssertNoLeaks();
        return frames;
    }
}
